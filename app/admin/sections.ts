import type { Capability } from "@/lib/auth/permissions";

/** Every admin page: the sidebar lists them and /admin shows them as cards. */
export const ADMIN_SECTIONS: { href: string; label: string; summary: string; capability: Capability }[] = [
  { href: "/admin/account-types", label: "Account types", summary: "The kinds of account in the hierarchy, which may sit under which, and their asset size limits.", capability: "accountTypes.manage" },
  { href: "/admin/attributes", label: "Attributes", summary: "The fields of each account type, their data types, field groups, rollups to parents and who may read them.", capability: "dataModel.manage" },
  { href: "/admin/lifecycles", label: "Lifecycles", summary: "The customer journey and other stage sequences: add, rename, reorder and archive stages.", capability: "dataModel.manage" },
  { href: "/admin/successplays", label: "SuccessPlays", summary: "Task templates applied to an account in one go: steps, due offsets and priorities.", capability: "dataModel.manage" },
  { href: "/admin/collections", label: "Collections", summary: "Tables of related records shown on profiles (their columns and account types), and the account groups.", capability: "dataModel.manage" },
  { href: "/admin/usage", label: "Usage", summary: "Modules and activities the usage events name: rename, hide, move or merge them.", capability: "dataModel.manage" },
  { href: "/admin/layouts", label: "Layouts", summary: "Which widgets each profile shows, per account type, team and lifecycle stage.", capability: "layouts.manage" },
  { href: "/admin/users", label: "Users", summary: "Who signs in, with which role, in which teams.", capability: "users.manage" },
  { href: "/admin/teams", label: "Teams and scopes", summary: "Which parts of the hierarchy each team sees.", capability: "teams.manage" },
  { href: "/admin/assignment-roles", label: "Assignment roles", summary: "The roles people hold on accounts (CSM, AE, SE…) and whether each grants privileged attributes.", capability: "assignmentRoles.manage" },
  { href: "/admin/api-tokens", label: "API tokens", summary: "Tokens for the /api/v1 feeds, with their scopes; revoke one at any time.", capability: "apiTokens.manage" },
  { href: "/admin/import", label: "Import CSV", summary: "Load accounts, contacts or usage from a spreadsheet, checked before anything is written.", capability: "import.run" },
  { href: "/admin/audit", label: "Audit log", summary: "Every administrative change: who, when, what it was before and after.", capability: "audit.read" },
  // Webhooks (issue 17).
  { href: "/admin/webhooks", label: "Webhooks", summary: "Signed HTTPS deliveries of account events to your systems, with their delivery log.", capability: "webhooks.manage" },
  // health (issue 16)
  { href: "/admin/health", label: "Health schemes", summary: "How each account type's health is scored: dimensions, weights, thresholds, versions and recomputes.", capability: "health.manage" },
];
