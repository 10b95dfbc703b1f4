import { pgEnum } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["admin", "member", "leadership", "viewer"]);
export const attributeDataType = pgEnum("attribute_data_type", [
  "text",
  "number",
  "currency",
  "date",
  "select",
  "boolean",
  "url",
  "long_text",
  "percent",
  "multi_select",
  "user",
]);
export const rollupRule = pgEnum("rollup_rule", ["none", "sum", "avg", "min", "max", "count"]);
export const healthBand = pgEnum("health_band", ["poor", "average", "good"]);
export const touchpointType = pgEnum("touchpoint_type", ["call", "meeting", "email", "note", "qbr", "chat"]);
export const taskPriority = pgEnum("task_priority", ["low", "medium", "high", "urgent"]);
export const taskStatus = pgEnum("task_status", ["open", "in_progress", "done", "cancelled"]);
export const planStatus = pgEnum("plan_status", ["active", "completed", "archived"]);
export const requestStatus = pgEnum("request_status", ["open", "answered", "cancelled"]);
export const assetKind = pgEnum("asset_kind", ["file", "link"]);
export const ticketPriority = pgEnum("ticket_priority", ["low", "normal", "high", "urgent"]);
export const ticketStatus = pgEnum("ticket_status", ["new", "open", "pending", "solved", "closed"]);
export const surveyKind = pgEnum("survey_kind", ["nps", "csat"]);
export const timelineKind = pgEnum("timeline_kind", [
  "touchpoint",
  "task",
  "campaign",
  "attribute_change",
  "lifecycle_change",
  "health_change",
  "asset",
  "objective",
  "request",
  "hierarchy_change",
  "assignment",
  "contact",
  // API changes of invoices, sales and collection records (issue 17, api3 helper).
  "revenue",
  "collection_record",
]);
export const layoutStatus = pgEnum("layout_status", ["draft", "published"]);
export const scopeKind = pgEnum("scope_kind", ["all", "subtree", "attribute"]);
