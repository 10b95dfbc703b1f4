/**
 * Who may do what: the one role → capability table (habit 8 of STYLE.md). Every server action,
 * route handler, page and every control the UI shows or hides asks `may()`; the authorization
 * matrices (test/authorization-actions.test.ts, test/e2e/authorization-matrix.test.ts) read their
 * expectations from this table too, so a capability taken from a role is refused and tested
 * everywhere at once.
 *
 * A capability says what a role may do on an account it can SEE; visibility (team scopes,
 * assignments, opportunities) is the data layer's rule (`visibleAccount`), checked separately
 * (`findAccount`, e.g. in `authorizeQuickAction` of lib/activity/permissions.ts). No imports from
 * the data layer here: the table is plain data, safe for client components and tests.
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
  /** Answer any open request of a visible account (anyone may answer a question put to them). */
  "request.answer": "answer information requests",
  "asset.add": "add assets",
  /** Delete any asset of a visible account (anyone may delete what they uploaded). */
  "asset.delete": "delete assets",
  "presentation.generate": "generate presentations",
  "attribute.edit": "edit attributes",
  /** Read privileged attributes on every account (others: only where they are assigned). */
  "privileged.readAll": "read privileged attributes",
  "share.create": "share profile links",
  /**
   * See every account and opportunity, whatever one's teams (others: their teams' scopes and their
   * assignments). Read by `loadViewer` and by the query listing who can see an account.
   */
  "accounts.seeAll": "see every account",
  /** Assign people to (and unassign them from) accounts they can see, one by one or in bulk. */
  "assignments.manage": "change assignments",
  /** Create sub-accounts under an account they can see (of the types allowed there). */
  "accounts.create": "create accounts",
  /** Rename and move (with its subtree) an account they can see, under a parent they can see. */
  "accounts.edit": "rename or move accounts",
  /** Archive and restore an account they can see, with everything below it. */
  "accounts.archive": "archive accounts",
  /** Delete accounts for good, and merge duplicate accounts. */
  "accounts.delete": "delete accounts",
  "accounts.merge": "merge accounts",
  /** Create contacts on, link them to and unlink them from accounts they can see; edit and merge contacts linked to one. */
  "contacts.edit": "change contacts",
  /** See why a layout was chosen, and notices meant for those who configure the product. */
  "profile.diagnose": "see layout diagnostics",
  /** Change one's own password (knowing the current one). */
  "password.changeOwn": "change their password",

  // Administration.
  "admin.open": "open the admin pages",
  "users.manage": "change users",
  "teams.manage": "change teams",
  "accountTypes.manage": "change account types",
  /** Attributes, field groups, lifecycles, usage modules and activities, SuccessPlay templates, collections. */
  "dataModel.manage": "change the data model",
  "layouts.manage": "change layouts",
  "apiTokens.manage": "manage API tokens",
  "import.run": "import data",
  "audit.read": "read the audit log",
  "assignmentRoles.manage": "change assignment roles",

  // Working together (issue 18: mentions, follows, notifications).
  /** Follow an account they can see (and optionally everything below it); read their own inbox and set their mail. */
  "notifications.use": "follow accounts or read notifications",
  /** Comment on a task of an account they can see (with @mentions). */
  "task.comment": "comment on tasks",
  // Webhooks (issue 17).
  /** Register, pause, rotate and delete webhook endpoints; read their delivery log. */
  "webhooks.manage": "manage webhooks",
  // Saved views and the leader's home (issue 18).
  /** Save views of the accounts list (private, or shared with one's own team), and delete one's own. */
  "views.save": "save views",
  /** The home page rolled up over the accounts one leads (health mix, ARR, renewals, movers). */
  "home.leader": "see the leader's home",
  // Lifecycles and plans (issue 16, lifecycle helper).
  /** Move an account to another stage of a lifecycle (the Status widget; the API and CSV need their own grants). */
  "stage.change": "change lifecycle stages",
  /** Link tasks to objectives, set an objective's progress by hand, complete or archive objectives and success plans. */
  "plan.manage": "change success plans",
  // health (issue 16): schemes, their versions and recomputes
  "health.manage": "change health schemes",
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
  "request.answer",
  "asset.add",
  "asset.delete",
  "presentation.generate",
  "attribute.edit",
  "share.create",
  "assignments.manage",
  "accounts.create",
  "accounts.edit",
  "accounts.archive",
  "contacts.edit",
];

const ADMIN: Capability[] = [
  "accounts.seeAll",
  "privileged.readAll",
  "profile.diagnose",
  "admin.open",
  "users.manage",
  "teams.manage",
  "accountTypes.manage",
  "dataModel.manage",
  "layouts.manage",
  "apiTokens.manage",
  "import.run",
  "audit.read",
  "assignmentRoles.manage",
  "accounts.delete",
  "accounts.merge",
  // Webhooks (issue 17).
  "webhooks.manage",
  // health (issue 16)
  "health.manage",
];

// Working together (issue 18): everyone follows and reads their inbox; those who work on accounts comment on tasks.
const WORKING_TOGETHER: Capability[] = ["notifications.use", "task.comment"];
// Lifecycles and plans (issue 16, lifecycle helper): part of the work on an account.
const LIFECYCLE_WORK: Capability[] = ["stage.change", "plan.manage"];

/**
 * The table. Admins: everything. Members (CSMs, AEs): all work on the accounts they see. Leadership:
 * sees every account, logs touchpoints and tasks and works on its own tasks. Viewers: read only.
 * Everyone signed in may make a share link of an account they can open (it writes nothing secret).
 *
 * The presentation is a read, decided on purpose: `/api/accounts/[id]/presentation` serves every
 * role that can open the account (a leader or a viewer may download the deck of a profile they can
 * read), while the Quick Actions button that offers it is shown only to roles with
 * `presentation.generate` (admins, members), whose bar is about working on the account. Both
 * matrices say so (test/authorization-actions.test.ts, test/e2e/authorization-matrix.test.ts).
 */
export const ROLE_CAPABILITIES: Record<Role, ReadonlySet<Capability>> = {
  admin: new Set<Capability>([...WORK, ...ADMIN, "password.changeOwn", ...WORKING_TOGETHER, ...LIFECYCLE_WORK]),
  member: new Set<Capability>([...WORK, "password.changeOwn", ...WORKING_TOGETHER, ...LIFECYCLE_WORK]),
  leadership: new Set<Capability>(["touchpoint.log", "task.create", "task.workOwn", "share.create", "accounts.seeAll", "password.changeOwn", ...WORKING_TOGETHER]),
  viewer: new Set<Capability>(["share.create", "password.changeOwn", "notifications.use"]),
};

// Saved views and the leader's home (issue 18): one block, so parallel additions merge mechanically.
for (const role of ["admin", "member", "leadership", "viewer"] as const) (ROLE_CAPABILITIES[role] as Set<Capability>).add("views.save");
(ROLE_CAPABILITIES.leadership as Set<Capability>).add("home.leader");

/** Whether `viewer`'s role grants `capability` (on an account they can see). */
export function may(viewer: { role: Role } | null | undefined, capability: Capability): boolean {
  return Boolean(viewer && ROLE_CAPABILITIES[viewer.role]?.has(capability));
}

/** The roles that hold `capability`, for rules stated in SQL (e.g. `u.role in (…)`). */
export function rolesWith(capability: Capability): Role[] {
  return (Object.keys(ROLE_CAPABILITIES) as Role[]).filter((role) => ROLE_CAPABILITIES[role].has(capability));
}

/** The sentence a refusal shows. */
export function refusal(viewer: { role: Role }, capability: Capability): string {
  const words = CAPABILITIES[capability];
  const holders = rolesWith(capability);
  if (holders.length === 1 && holders[0] === "admin") return `Only admins can ${words}.`;
  if (viewer.role === "viewer") return `Your role can read profiles but not ${words}.`;
  if (viewer.role === "leadership") return `Leadership can log touchpoints and tasks, not ${words}.`;
  return `You may not ${words} here.`;
}

/** `authorize` for a `defineAction` that needs one capability and no account: true, or why not. */
export function requires(capability: Capability) {
  return (ctx: { viewer: { role: Role } }): true | string => may(ctx.viewer, capability) || refusal(ctx.viewer, capability);
}
