import "server-only";
import { sql } from "drizzle-orm";
import { visibleAccount } from "@/lib/dal/viewer";
import { accountRecords, byBoolean, byEnum, byId, byText, fromDay, object, resource, since, text, time, toDay, until, uuidField, type TokenScope } from "./define";

/*
 * The records that belong to one account each: revenue, support, activity and assignments, one
 * table each (its columns, filters, order and scope); lib/api/reads/engine.ts reads them all alike,
 * inside the token's subtree.
 */

const TICKET_STATUS = ["new", "open", "pending", "solved", "closed"] as const;
const TICKET_PRIORITY = ["low", "normal", "high", "urgent"] as const;
const TASK_STATUS = ["open", "in_progress", "done", "cancelled"] as const;
const TASK_PRIORITY = ["low", "medium", "high", "urgent"] as const;
const TOUCHPOINT_TYPE = ["call", "meeting", "email", "note", "qbr", "chat"] as const;
const SURVEY_KIND = ["nps", "csat"] as const;

export const contractsRead = accountRecords({
  name: "Contract", path: "/api/v1/contracts", scope: "revenue:read", table: "contracts",
  doc: ["List contracts", "Contracts of the accounts the token may see."],
  columns: { id: "uuid", accountId: "uuid", externalId: "text?", name: "text", kind: "text", value: "num", mrr: "num", startDate: "day", endDate: "day?", active: "bool", excluded: "bool", createdAt: "time" },
  filters: {
    externalId: byText("The contract with this external id.", sql`r.external_id`),
    active: byBoolean("Active (true) or ended (false) contracts.", sql`r.active`),
  },
});

export const invoicesRead = accountRecords({
  name: "Invoice", path: "/api/v1/invoices", scope: "revenue:read", table: "invoices",
  doc: ["List invoices", "Invoices of the accounts the token may see."],
  columns: { id: "uuid", accountId: "uuid", contractId: "uuid?", number: "text", amount: "num", issuedOn: "day", dueOn: "day", paidOn: "day?" },
  filters: {
    contractId: byId("Invoices of this contract.", sql`r.contract_id`),
    paid: byBoolean("Paid (true) or unpaid (false) invoices.", sql`r.paid_on is not null`),
    issuedFrom: fromDay("Issued on or after this date.", sql`r.issued_on`),
    issuedTo: toDay("Issued on or before this date.", sql`r.issued_on`),
  },
});

export const salesRead = accountRecords({
  name: "Sale", path: "/api/v1/sales", scope: "revenue:read", table: "sales",
  doc: ["List sales", "One-off sales of the accounts the token may see."],
  columns: { id: "uuid", accountId: "uuid", name: "text", amount: "num", soldOn: "day" },
  filters: { soldFrom: fromDay("Sold on or after this date.", sql`r.sold_on`), soldTo: toDay("Sold on or before this date.", sql`r.sold_on`) },
});

export const ticketsRead = accountRecords({
  name: "Ticket", path: "/api/v1/tickets", scope: "support:read", table: "support_tickets",
  doc: ["List support tickets", "Support tickets of the accounts the token may see."],
  columns: { id: "uuid", accountId: "uuid", contactId: "uuid?", externalId: "text?", subject: "text", priority: TICKET_PRIORITY, status: TICKET_STATUS, openedAt: "time", closedAt: "time?" },
  filters: {
    externalId: byText("The ticket with this external id.", sql`r.external_id`),
    status: byEnum("Tickets in this status.", sql`r.status`, TICKET_STATUS),
    priority: byEnum("Tickets of this priority.", sql`r.priority`, TICKET_PRIORITY),
    openedSince: since("Opened at or after this time.", sql`r.opened_at`),
  },
});

export const surveyResponsesRead = accountRecords({
  name: "SurveyResponse", path: "/api/v1/survey-responses", scope: "support:read", table: "survey_responses",
  doc: ["List NPS and CSAT responses", "NPS (0–10) and CSAT (1–5) responses of the accounts the token may see."],
  columns: { id: "uuid", accountId: "uuid", contactId: "uuid?", kind: SURVEY_KIND, score: "int", comment: "text?", respondedAt: "time" },
  filters: {
    kind: byEnum("NPS or CSAT.", sql`r.kind`, SURVEY_KIND),
    since: since("Responded at or after this time.", sql`r.responded_at`),
    until: until("Responded before this time.", sql`r.responded_at`),
  },
});

const contactIds = {
  sql: sql`(select coalesce(json_agg(p.contact_id order by p.id), '[]'::json) from touchpoint_participants p where p.touchpoint_id = r.id and p.contact_id is not null)`,
  schema: { type: "array", items: { type: "string", format: "uuid" } },
};

export const touchpointsRead = accountRecords({
  name: "Touchpoint", path: "/api/v1/touchpoints", scope: "activity:read", table: "touchpoints",
  doc: ["List touchpoints", "Logged calls, meetings, emails… of the accounts the token may see, with their contact participants."],
  columns: { id: "uuid", accountId: "uuid", type: TOUCHPOINT_TYPE, subject: "text", body: "text", occurredAt: "time", authorId: "uuid?", createdAt: "time", contactIds },
  filters: {
    type: byEnum("Touchpoints of this type.", sql`r.type`, TOUCHPOINT_TYPE),
    since: since("Occurred at or after this time.", sql`r.occurred_at`),
    until: until("Occurred before this time.", sql`r.occurred_at`),
  },
});

export const tasksRead = accountRecords({
  name: "Task", path: "/api/v1/tasks", scope: "activity:read", table: "tasks", joins: "left join users u on u.id = r.assignee_id",
  doc: ["List tasks", "Tasks on the accounts the token may see."],
  columns: { id: "uuid", accountId: "uuid", title: "text", description: "text?", dueDate: "day?", assigneeId: "uuid?", assigneeEmail: text(sql`u.email`, true), priority: TASK_PRIORITY, status: TASK_STATUS, createdAt: "time", completedAt: "time?" },
  filters: {
    status: byEnum("Tasks in this status.", sql`r.status`, TASK_STATUS),
    priority: byEnum("Tasks of this priority.", sql`r.priority`, TASK_PRIORITY),
    assigneeEmail: byText("Tasks assigned to the user with this email.", sql`u.email`),
    dueFrom: fromDay("Due on or after this date.", sql`r.due_date`),
    dueTo: toDay("Due on or before this date.", sql`r.due_date`),
  },
});

export const assignmentsRead = accountRecords({
  name: "Assignment", path: "/api/v1/assignments", scope: "assignments:read", table: "assignments", joins: "join users u on u.id = r.user_id",
  doc: ["List assignments", "Who is assigned to which account the token may see, with which role. (History: the account's timeline.)"],
  columns: { accountId: "uuid", userId: "uuid", userEmail: text(sql`u.email`), userName: text(sql`u.name`), role: "text", assignedAt: "time" },
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.user_id`, type: "uuid" },
    { sql: sql`r.role`, type: "text" },
  ],
  filters: { userEmail: byText("Assignments of the user with this email.", sql`u.email`), role: byText("Assignments with this role.", sql`r.role`) },
});

export const collectionRecordsRead = accountRecords({
  name: "CollectionRecord", path: "/api/v1/collection-records", scope: "accounts:read", table: "collection_records", joins: "join collections c on c.id = r.collection_id",
  doc: ["List collection records", "Records of admin-defined collections (e.g. CRM opportunities) on the accounts the token may see, with their values by column key."],
  columns: { id: "uuid", accountId: "uuid", collection: text(sql`c.key`), values: object(sql`r.values`, "Values by the collection's column keys."), createdAt: "time" },
  filters: { collection: byText("Records of the collection with this key.", sql`c.key`) },
});

export const campaignSendsRead = accountRecords({
  name: "CampaignSend", path: "/api/v1/campaign-sends", scope: "activity:read", table: "campaign_sends", joins: "join campaigns c on c.id = r.campaign_id",
  doc: ["List campaign sends", "Who got which campaign at the accounts the token may see, and when they opened or clicked it."],
  columns: { campaignId: "uuid", campaignName: text(sql`c.name`), channel: text(sql`c.channel`), accountId: "uuid", contactId: "uuid", sentAt: "time", openedAt: "time?", clickedAt: "time?" },
  key: [
    { sql: sql`r.campaign_id`, type: "uuid" },
    { sql: sql`r.contact_id`, type: "uuid" },
    { sql: sql`r.account_id`, type: "uuid" },
  ],
  filters: { campaignId: byId("Sends of this campaign.", sql`r.campaign_id`), since: since("Sent at or after this time.", sql`r.sent_at`) },
});

// Campaigns themselves (issue 17, api3 helper). A campaign belongs to no one account: a token
// limited to a subtree sees those with a send there, and those without sends (they concern nobody,
// and a token that removed a campaign's sends must still reach it to delete it).
const sendsHere = (scope: TokenScope, condition = sql`true`) =>
  sql`(select count(*)::int from campaign_sends s join accounts a on a.id = s.account_id
    where s.campaign_id = r.id and a.archived_at is null and ${visibleAccount(scope.viewer, sql`a.id`, sql`a.type_id`)} and ${condition})`;

export const campaignsRead = resource({
  name: "Campaign",
  path: "/api/v1/campaigns",
  scope: "activity:read",
  summary: "List campaigns",
  description:
    "Campaigns with how many of their sends the token may see, and how many of those were opened and clicked. A token limited to a subtree lists the campaigns with a send there (and campaigns without sends). Their sends: GET /api/v1/campaign-sends?campaignId=….",
  from: sql`campaigns r`,
  accountBound: false,
  visible: (scope) =>
    scope.viewer.seesAll && scope.viewer.seesOpportunities
      ? sql`true`
      : sql`(not exists (select 1 from campaign_sends s0 where s0.campaign_id = r.id) or exists (select 1 from campaign_sends s join accounts a on a.id = s.account_id
          where s.campaign_id = r.id and a.archived_at is null and ${visibleAccount(scope.viewer, sql`a.id`, sql`a.type_id`)}))`,
  fields: {
    id: uuidField(sql`r.id`),
    name: text(sql`r.name`),
    channel: text(sql`r.channel`),
    sentAt: time(sql`r.sent_at`),
    sends: { sql: (scope) => sendsHere(scope), schema: { type: "integer", description: "Sends on accounts the token may see." } },
    opened: { sql: (scope) => sendsHere(scope, sql`s.opened_at is not null`), schema: { type: "integer", description: "Of those, opened." } },
    clicked: { sql: (scope) => sendsHere(scope, sql`s.clicked_at is not null`), schema: { type: "integer", description: "Of those, clicked." } },
  },
  key: [{ sql: sql`r.id`, type: "uuid" }],
  order: "asc",
  filters: {
    name: byText("The campaigns with this name.", sql`r.name`),
    channel: byText("Campaigns on this channel, e.g. email.", sql`r.channel`),
    since: since("Sent at or after this time.", sql`r.sent_at`),
    until: until("Sent before this time.", sql`r.sent_at`),
  },
  one: true,
});
