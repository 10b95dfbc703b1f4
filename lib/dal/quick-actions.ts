import "server-only";
import { and, asc, eq, ne, sql } from "drizzle-orm";
import { playbooks, playbookSteps, successPlans } from "@/db/schema";
import { quickActionsFor, type QuickActionKey } from "@/lib/activity/permissions";
import { may, rolesWith } from "@/lib/auth/permissions";
import type { AccountSummary } from "./accounts";
import { contactOptions, type ContactOption } from "./contacts";
import type { Ctx } from "./viewer";

export type Colleague = { id: string; name: string; title: string | null; roles: string[]; isViewer: boolean };
export type PlanOption = { id: string; name: string; status: string; objectives: { id: string; title: string }[] };
export type PlaybookOption = { id: string; name: string; description: string | null; steps: { title: string; offsetDays: number; priority: string }[] };
export type OpenRequest = { id: string; question: string; to: string | null; dueDate: string | null; askedBy: string | null; createdAt: Date };

function stringArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value.startsWith("{")) return value.slice(1, -1).split(",").filter(Boolean).map((s) => s.replace(/^"|"$/g, ""));
  return [];
}

/**
 * Active users who can see the account: the people a task may be assigned to, a touchpoint may
 * include, or a question may go to. One query stating the same rule as `visibleAccount` from the
 * other side (which users see this account, rather than which accounts a user sees); the write
 * path checks each picked person with the rule itself (lib/activity/people.ts), and a test keeps
 * the two in agreement. People assigned to the account come first.
 */
export async function colleaguesWhoCanSee(ctx: Ctx, account: AccountSummary): Promise<Colleague[]> {
  const id = sql`${account.id}::uuid`;
  const seesAll = sql`u.role in (${sql.join(rolesWith("accounts.seeAll").map((role) => sql`${role}`), sql`, `)})`;
  const { rows } = await ctx.db.execute<{ id: string; name: string; title: string | null; roles: unknown }>(sql`
    select u.id, u.name, u.title,
      coalesce((select array_agg(distinct a.role order by a.role) from assignments a where a.account_id = ${id} and a.user_id = u.id), '{}') as roles
    from users u
    where u.disabled_at is null
      and (
        ${seesAll}
        or exists (
          select 1 from team_members tm join team_scopes ts on ts.team_id = tm.team_id
          where tm.user_id = u.id and (
            ts.kind = 'all'
            or (ts.kind = 'subtree' and exists (select 1 from account_closure c where c.ancestor_id = ts.root_account_id and c.descendant_id = ${id}))
            or (ts.kind = 'attribute' and exists (
              select 1 from attribute_values vv join attribute_definitions vd on vd.id = vv.attribute_id
              where vv.account_id = ${id} and vd.key = ts.attribute_key and vv.value = ts.attribute_value))
          ))
        or exists (select 1 from assignments a join account_closure c on c.ancestor_id = a.account_id where a.user_id = u.id and c.descendant_id = ${id})
      )
      and (
        ${account.isOpportunity ? sql`false` : sql`true`}
        or ${seesAll}
        or exists (select 1 from team_members tm join teams t on t.id = tm.team_id where tm.user_id = u.id and t.sees_opportunities)
      )
    order by exists (select 1 from assignments a where a.account_id = ${id} and a.user_id = u.id) desc, u.name`);
  return rows.map((r) => ({ id: r.id, name: r.name, title: r.title, roles: stringArray(r.roles), isViewer: r.id === ctx.viewer.userId }));
}

/**
 * Success plans an objective may be added to (archived ones left out), each with its open
 * objectives (for the task form's objective select). One query.
 */
export async function planOptions(ctx: Ctx, account: AccountSummary): Promise<PlanOption[]> {
  const { rows } = await ctx.db.execute<{ id: string; name: string; status: string; objectives: { id: string; title: string }[] | string }>(sql`
    select p.id, p.name, p.status,
      (select coalesce(json_agg(json_build_object('id', o.id, 'title', o.title) order by o.title), '[]'::json)
         from objectives o where o.plan_id = p.id and o.archived_at is null and o.completed_at is null) as objectives
    from success_plans p
    where p.account_id = ${account.id}::uuid and p.status <> 'archived'
    order by case p.status when 'active' then 0 else 1 end, p.name`);
  return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, objectives: typeof r.objectives === "string" ? JSON.parse(r.objectives) : r.objectives }));
}

/** Every SuccessPlay with its steps (one query). */
export async function playbookOptions(ctx: Ctx): Promise<PlaybookOption[]> {
  const rows = await ctx.db
    .select({
      id: playbooks.id,
      name: playbooks.name,
      description: playbooks.description,
      stepTitle: playbookSteps.title,
      offsetDays: playbookSteps.offsetDays,
      priority: playbookSteps.priority,
    })
    .from(playbooks)
    .leftJoin(playbookSteps, eq(playbookSteps.playbookId, playbooks.id))
    .orderBy(asc(playbooks.name), asc(playbookSteps.position), asc(playbookSteps.offsetDays));
  const byId = new Map<string, PlaybookOption>();
  for (const r of rows) {
    const playbook = byId.get(r.id) ?? { id: r.id, name: r.name, description: r.description, steps: [] };
    if (r.stepTitle !== null) playbook.steps.push({ title: r.stepTitle, offsetDays: r.offsetDays ?? 0, priority: r.priority ?? "medium" });
    byId.set(r.id, playbook);
  }
  return [...byId.values()];
}

/** Open information requests of the account, oldest first (they have waited longest). */
export async function openRequestsOf(ctx: Ctx, account: AccountSummary, limit = 50): Promise<OpenRequest[]> {
  const { rows } = await ctx.db.execute<{ id: string; question: string; to_name: string | null; due_date: string | null; asked_by: string | null; created_at: Date | string }>(sql`
    select r.id, r.question, coalesce(c.name, u.name) as to_name, r.due_date::text as due_date, a.name as asked_by, r.created_at
    from information_requests r
    left join contacts c on c.id = r.to_contact_id
    left join users u on u.id = r.to_user_id
    left join users a on a.id = r.requested_by
    where r.account_id = ${account.id}::uuid and r.status = 'open'
    order by r.created_at asc
    limit ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    question: r.question,
    to: r.to_name,
    dueDate: r.due_date,
    askedBy: r.asked_by,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
  }));
}

export type QuickActionsData = {
  actions: QuickActionKey[];
  contacts: ContactOption[];
  colleagues: Colleague[];
  plans: PlanOption[];
  playbooks: PlaybookOption[];
  openRequests: OpenRequest[];
  canEditProfile: boolean;
};

/** What the (+) bar needs for this viewer: only the data of the actions they may take. */
export async function quickActionsData(ctx: Ctx, account: AccountSummary): Promise<QuickActionsData> {
  const actions = quickActionsFor(ctx.viewer);
  const has = (a: QuickActionKey) => actions.includes(a);
  const none = Promise.resolve([]);
  const [contactsList, colleagues, plans, playbookList, openRequests] = await Promise.all([
    has("touchpoint") || has("request") ? contactOptions(ctx, account) : none,
    has("touchpoint") || has("task") || has("request") ? colleaguesWhoCanSee(ctx, account) : none,
    has("objective") || has("task") ? planOptions(ctx, account) : none,
    has("successplay") ? playbookOptions(ctx) : none,
    has("request") ? openRequestsOf(ctx, account) : none,
  ]);
  return {
    actions,
    contacts: contactsList as ContactOption[],
    colleagues: colleagues as Colleague[],
    plans: plans as PlanOption[],
    playbooks: playbookList as PlaybookOption[],
    openRequests: openRequests as OpenRequest[],
    canEditProfile: may(ctx.viewer, "attribute.edit"),
  };
}
