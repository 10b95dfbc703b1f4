/**
 * What an API token may read and write. Pure (no server code), so the admin form lists the same scopes the
 * API checks.
 */
export const API_SCOPES = [
  { key: "accounts:write", label: "Accounts", hint: "create, rename, move and archive accounts" },
  { key: "attributes:write", label: "Attribute values", hint: "set attribute values of accounts" },
  { key: "usage:write", label: "Usage events", hint: "send usage events in batches" },
  { key: "contacts:write", label: "Contacts", hint: "upsert contacts, link them to accounts, change them, and delete ones no history names" },
  { key: "contracts:write", label: "Contracts", hint: "upsert contracts (MRR, ARR)" },
  { key: "tickets:write", label: "Support tickets", hint: "upsert support tickets" },
  { key: "surveys:write", label: "NPS and CSAT", hint: "add NPS and CSAT responses" },
  { key: "touchpoints:write", label: "Touchpoints", hint: "log touchpoints" },
  { key: "assignments:write", label: "Assignments", hint: "assign people to accounts with a role, and unassign them" },
  // Reads (issue 17): one scope per family of GET endpoints, and one for privileged attributes.
  { key: "accounts:read", label: "Read accounts", hint: "list and read accounts with their attribute values" },
  { key: "contacts:read", label: "Read contacts", hint: "list and read contacts and their account links" },
  { key: "revenue:read", label: "Read revenue", hint: "contracts, invoices and sales" },
  { key: "support:read", label: "Read support", hint: "support tickets, NPS and CSAT responses" },
  { key: "activity:read", label: "Read activity", hint: "touchpoints, tasks and the timeline" },
  { key: "assignments:read", label: "Read assignments", hint: "who is assigned to which account, with which role" },
  { key: "health:read", label: "Read health", hint: "current health and its weekly history" },
  { key: "lifecycle:read", label: "Read lifecycle stages", hint: "current stages and stage changes" },
  { key: "usage:read", label: "Read usage", hint: "usage per day, module and activity" },
  { key: "privileged:read", label: "Privileged attributes", hint: "include privileged attribute values in what the token reads (API and MCP)" },
  // Writes added with the reads (issue 17).
  { key: "tasks:write", label: "Tasks", hint: "create tasks (the MCP tool create_task), complete or reopen them" },
  // Lifecycles (issue 16, lifecycle helper)
  { key: "stages:write", label: "Lifecycle stages", hint: "move accounts to another lifecycle stage" },
  // health (issue 16)
  { key: "health:write", label: "Health scores", hint: "send health scores computed elsewhere, and upsell markers" },
  // Writes for every table the profile reads (issue 17, api2 helper).
  { key: "revenue:write", label: "Invoices and sales", hint: "add, change and delete invoices and one-off sales" },
  { key: "collections:write", label: "Collection records", hint: "add, change and delete records of collections (e.g. CRM opportunities)" },
  { key: "campaigns:write", label: "Campaigns", hint: "add, change and delete campaigns and their sends (who got, opened and clicked them)" },
] as const;

export type ApiScope = (typeof API_SCOPES)[number]["key"];
export const API_SCOPE_KEYS = API_SCOPES.map((s) => s.key) as [ApiScope, ...ApiScope[]];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPE_KEYS as string[]).includes(value);
}
