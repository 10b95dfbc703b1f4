/**
 * What an API token may write. Pure (no server code), so the admin form lists the same scopes the
 * API checks.
 */
export const API_SCOPES = [
  { key: "accounts:write", label: "Accounts", hint: "create, rename and move accounts by external id" },
  { key: "attributes:write", label: "Attribute values", hint: "set attribute values of accounts" },
  { key: "usage:write", label: "Usage events", hint: "send usage events in batches" },
  { key: "contacts:write", label: "Contacts", hint: "upsert contacts and link them to accounts" },
  { key: "contracts:write", label: "Contracts", hint: "upsert contracts (MRR, ARR)" },
  { key: "tickets:write", label: "Support tickets", hint: "upsert support tickets" },
  { key: "surveys:write", label: "NPS and CSAT", hint: "add NPS and CSAT responses" },
  { key: "touchpoints:write", label: "Touchpoints", hint: "log touchpoints" },
  { key: "assignments:write", label: "Assignments", hint: "assign people to accounts with a role, and unassign them" },
  // health (issue 16)
  { key: "health:write", label: "Health scores", hint: "send health scores computed elsewhere, and upsell markers" },
] as const;

export type ApiScope = (typeof API_SCOPES)[number]["key"];
export const API_SCOPE_KEYS = API_SCOPES.map((s) => s.key) as [ApiScope, ...ApiScope[]];

export function isApiScope(value: unknown): value is ApiScope {
  return typeof value === "string" && (API_SCOPE_KEYS as string[]).includes(value);
}
