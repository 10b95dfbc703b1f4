/**
 * Who may do what: the one role → capability table (habit 8 of STYLE.md). Every server action,
 * route handler, page and every control the UI shows or hides asks `may()`; the authorization
 * matrices (test/authorization-actions.test.ts, test/e2e/authorization-matrix.test.ts) read their
 * expectations from this table too, so a capability taken from a role is refused and tested
 * everywhere at once.
 *
 * A capability says what a role may do on an account it can SEE; visibility (team scopes,
 * assignments, opportunities) is the data layer's rule (`visibleAccount`), checked separately by
 * `authorizeOn` below. No imports from the data layer here: the table is plain data, safe for
 * client components.
 */
export type Role = "admin" | "member" | "leadership" | "viewer";

/** Every capability, with the words a refusal uses ("Your role may not <words>."). */
export const CAPABILITIES = {
  // Work on an account (quick actions and edits).
  "touchpoint.log": "log touchpoints",
  "task.create": "create tasks",
  /** Complete or reopen any task of a visible account. */
  "task.work": "change tasks",
  /** Complete or reopen a task assigned to or created by oneself. */
  "task.workOwn": "change tasks",
  "objective.add": "add objectives",
  "successplay.apply": "apply SuccessPlays",
  "request.send": "request information",
  "asset.add": "add assets",
  /** Delete any asset of a visible account (anyone may delete what they uploaded). */
  "asset.delete": "delete assets",
  "presentation.generate": "generate presentations",
  "attribute.edit": "edit attributes",
  /** Read privileged attributes on every account (others: only where they are assigned). */
  "privileged.readAll": "read privileged attributes",
  "share.create": "share profile links",
  /** See why a layout was chosen, and notices meant for those who configure the product. */
  "profile.diagnose": "see layout diagnostics",

  // Administration.
  "admin.open": "open the admin pages",
  "users.manage": "change users",
  "teams.manage": "change teams",
  "accountTypes.manage": "change account types",
  /** Attributes, field groups, lifecycles, usage modules and activities, SuccessPlay templates, collections. */
  "dataModel.manage": "change the data model",
  "hierarchy.manage": "change the account hierarchy",
  "layouts.manage": "change layouts",
  "apiTokens.manage": "manage API tokens",
  "import.run": "import data",
  "audit.read": "read the audit log",
} as const satisfies Record<string, string>;

export type Capability = keyof typeof CAPABILITIES;

const WORK: Capability[] = [
  "touchpoint.log",
  "task.create",
  "task.work",
  "task.workOwn",
  "objective.add",
  "successplay.apply",
  "request.send",
  "asset.add",
  "asset.delete",
  "presentation.generate",
  "attribute.edit",
  "share.create",
];

const ADMIN: Capability[] = [
  "privileged.readAll",
  "profile.diagnose",
  "admin.open",
  "users.manage",
  "teams.manage",
  "accountTypes.manage",
  "dataModel.manage",
  "hierarchy.manage",
  "layouts.manage",
  "apiTokens.manage",
  "import.run",
  "audit.read",
];

/**
 * The table. Admins: everything. Members (CSMs, AEs): all work on the accounts they see. Leadership:
 * reads everything, logs touchpoints and tasks and works on its own tasks. Viewers: read only.
 * Everyone signed in may make a share link of an account they can open (it writes nothing secret).
 * The presentation is a read: `/api/accounts/[id]/presentation` serves every role that can open
 * the account; the quick action that offers it is shown to those with `presentation.generate`.
 */
export const ROLE_CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  admin: new Set([...WORK, ...ADMIN]),
  member: new Set(WORK),
  leadership: new Set<Capability>(["touchpoint.log", "task.create", "task.workOwn", "share.create"]),
  viewer: new Set<Capability>(["share.create"]),
};

/** Whether `viewer`'s role grants `capability` (on an account they can see). */
export function may(viewer: { role: Role } | null | undefined, capability: Capability): boolean {
  return Boolean(viewer && ROLE_CAPABILITIES[viewer.role]?.has(capability));
}

/** The sentence a refusal shows. */
export function refusal(viewer: { role: Role }, capability: Capability): string {
  const words = CAPABILITIES[capability];
  if (viewer.role === "viewer") return `Your role can read profiles but not ${words}.`;
  if (viewer.role === "leadership") return `Leadership can log touchpoints and tasks, not ${words}.`;
  if (viewer.role === "member") return `Only admins can ${words}.`;
  return `You may not ${words} here.`;
}

/** `authorize` for a `defineAction` that needs one capability and no account: true, or why not. */
export function requires(capability: Capability) {
  return (ctx: { viewer: { role: Role } }): true | string => may(ctx.viewer, capability) || refusal(ctx.viewer, capability);
}
