import "server-only";
import { sql } from "drizzle-orm";
import type { AccountSummary } from "./accounts";
import type { Ctx } from "./viewer";

export type TaskPriority = "low" | "medium" | "high" | "urgent";
export type TaskStatus = "open" | "in_progress" | "done" | "cancelled";
export const PRIORITY_ORDER: readonly TaskPriority[] = ["urgent", "high", "medium", "low"];

export type TaskView = {
  id: string;
  title: string;
  description: string | null;
  /** `YYYY-MM-DD` or null. */
  dueDate: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  createdBy: string | null;
  objectiveId: string | null;
  objectiveTitle: string | null;
  completedAt: Date | null;
};

type TaskRow = {
  id: string;
  title: string;
  description: string | null;
  due_date: string | Date | null;
  priority: TaskPriority;
  status: TaskStatus;
  assignee_id: string | null;
  assignee_name: string | null;
  created_by: string | null;
  objective_id: string | null;
  objective_title: string | null;
  completed_at: string | Date | null;
  total?: number | string;
};

/** A `date` column as `YYYY-MM-DD`, whichever way the driver hands it over. */
function dayOf(value: string | Date | null): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, 10);
}

function toTask(row: TaskRow): TaskView {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    dueDate: dayOf(row.due_date),
    priority: row.priority,
    status: row.status,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    createdBy: row.created_by,
    objectiveId: row.objective_id,
    objectiveTitle: row.objective_title,
    completedAt: row.completed_at === null ? null : new Date(row.completed_at),
  };
}

const priorityRank = sql`case t.priority when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;
const taskColumns = sql`t.id, t.title, t.description, t.due_date::text as due_date, t.priority, t.status, t.assignee_id,
  u.name as assignee_name, t.created_by, t.objective_id, o.title as objective_title, t.completed_at`;

/**
 * Open and in-progress tasks of the account, soonest due first (undated last), then by priority.
 * `total` counts them all; `tasks` holds the first `limit`.
 */
export async function openTasks(ctx: Ctx, account: AccountSummary, limit = 6): Promise<{ tasks: TaskView[]; total: number }> {
  const { rows } = await ctx.db.execute<TaskRow>(sql`
    select ${taskColumns}, count(*) over ()::int as total
    from tasks t
    left join users u on u.id = t.assignee_id
    left join objectives o on o.id = t.objective_id
    where t.account_id = ${account.id}::uuid and t.status in ('open', 'in_progress')
    order by t.due_date asc nulls last, ${priorityRank}, t.title
    limit ${Math.max(1, Math.min(limit, 500))}`);
  return { tasks: rows.map(toTask), total: Number(rows[0]?.total ?? 0) };
}

/** Tasks of the account completed in the last `days` days, newest first (to reopen one by mistake). */
export async function recentlyDoneTasks(ctx: Ctx, account: AccountSummary, options: { days?: number; limit?: number } = {}): Promise<TaskView[]> {
  const days = Math.max(1, Math.min(options.days ?? 7, 90));
  const { rows } = await ctx.db.execute<TaskRow>(sql`
    select ${taskColumns}
    from tasks t
    left join users u on u.id = t.assignee_id
    left join objectives o on o.id = t.objective_id
    where t.account_id = ${account.id}::uuid and t.status = 'done' and t.completed_at >= now() - make_interval(days => ${days}::int)
    order by t.completed_at desc, t.title
    limit ${Math.max(1, Math.min(options.limit ?? 5, 50))}`);
  return rows.map(toTask);
}

export type ObjectiveView = {
  id: string;
  title: string;
  description: string | null;
  /** 0..100 as recorded on the objective. */
  progress: number;
  dueDate: string | null;
  completedAt: Date | null;
  /** Archived objectives stay listed on the Plan tab but leave the plan's progress. */
  archivedAt: Date | null;
  tasksDone: number;
  tasksTotal: number;
};

export type SuccessPlanView = {
  id: string;
  name: string;
  status: "active" | "completed" | "archived";
  dueDate: string | null;
  /** Average of the (non-archived) objectives' progress (0..100); 0 for a plan without objectives. */
  progress: number;
  objectives: ObjectiveView[];
};

type PlanRow = {
  plan_id: string;
  plan_name: string;
  plan_status: SuccessPlanView["status"];
  plan_due: string | null;
  objective_id: string | null;
  objective_title: string | null;
  objective_description: string | null;
  objective_progress: number | null;
  objective_due: string | null;
  objective_completed_at: string | Date | null;
  objective_archived_at: string | Date | null;
  tasks_done: number | string | null;
  tasks_total: number | string | null;
};

/**
 * The account's success plans (active first, archived last) with their objectives, each objective
 * with its recorded progress and how many of its tasks are done. One query.
 */
export async function successPlans(ctx: Ctx, account: AccountSummary, options: { includeArchived?: boolean } = {}): Promise<SuccessPlanView[]> {
  const { rows } = await ctx.db.execute<PlanRow>(sql`
    select p.id as plan_id, p.name as plan_name, p.status as plan_status, p.due_date::text as plan_due,
      o.id as objective_id, o.title as objective_title, o.description as objective_description,
      o.progress as objective_progress, o.due_date::text as objective_due, o.completed_at as objective_completed_at, o.archived_at as objective_archived_at,
      (select count(*) from tasks t where t.objective_id = o.id and t.status = 'done')::int as tasks_done,
      (select count(*) from tasks t where t.objective_id = o.id and t.status <> 'cancelled')::int as tasks_total
    from success_plans p
    left join objectives o on o.plan_id = p.id
    where p.account_id = ${account.id}::uuid ${options.includeArchived ? sql`` : sql`and p.status <> 'archived'`}
    order by case p.status when 'active' then 0 when 'completed' then 1 else 2 end, p.due_date asc nulls last, p.name,
      o.due_date asc nulls last, o.title`);
  const plans = new Map<string, SuccessPlanView>();
  for (const row of rows) {
    let plan = plans.get(row.plan_id);
    if (!plan) {
      plan = { id: row.plan_id, name: row.plan_name, status: row.plan_status, dueDate: dayOf(row.plan_due), progress: 0, objectives: [] };
      plans.set(row.plan_id, plan);
    }
    if (row.objective_id) {
      plan.objectives.push({
        id: row.objective_id,
        title: row.objective_title ?? "",
        description: row.objective_description,
        progress: clampPercent(Number(row.objective_progress ?? 0)),
        dueDate: dayOf(row.objective_due),
        completedAt: row.objective_completed_at === null ? null : new Date(row.objective_completed_at),
        archivedAt: row.objective_archived_at === null ? null : new Date(row.objective_archived_at),
        tasksDone: Number(row.tasks_done ?? 0),
        tasksTotal: Number(row.tasks_total ?? 0),
      });
    }
  }
  for (const plan of plans.values()) {
    const counted = plan.objectives.filter((o) => !o.archivedAt);
    plan.progress = counted.length ? Math.round(counted.reduce((sum, o) => sum + o.progress, 0) / counted.length) : 0;
  }
  return [...plans.values()];
}

function clampPercent(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(100, Math.round(n))) : 0;
}

export type AccountPlan = {
  /** Tasks for the list: open and in progress first, then by priority and due date. */
  tasks: TaskView[];
  openCount: number;
  doneCount: number;
  plans: SuccessPlanView[];
  /** Every task of the account that sits under an objective, by objective id (all statuses). */
  tasksByObjective: Record<string, TaskView[]>;
};

/** Everything the Plan tab shows: the task list (done ones only when asked) and the success plans. */
export async function planOf(ctx: Ctx, account: AccountSummary, options: { includeDone?: boolean } = {}): Promise<AccountPlan> {
  const [taskRows, plans] = await Promise.all([
    ctx.db.execute<TaskRow>(sql`
      select ${taskColumns}
      from tasks t
      left join users u on u.id = t.assignee_id
      left join objectives o on o.id = t.objective_id
      where t.account_id = ${account.id}::uuid
      order by case when t.status in ('open', 'in_progress') then 0 else 1 end, ${priorityRank},
        t.due_date asc nulls last, t.title
      limit 1000`),
    successPlans(ctx, account, { includeArchived: true }),
  ]);
  const all = taskRows.rows.map(toTask);
  const isOpen = (t: TaskView) => t.status === "open" || t.status === "in_progress";
  const tasksByObjective: Record<string, TaskView[]> = {};
  for (const task of all) {
    if (task.objectiveId) (tasksByObjective[task.objectiveId] ??= []).push(task);
  }
  return {
    tasks: options.includeDone ? all : all.filter(isOpen),
    openCount: all.filter(isOpen).length,
    doneCount: all.filter((t) => !isOpen(t)).length,
    plans,
    tasksByObjective,
  };
}

export type CampaignSummaryRow = {
  id: string;
  name: string;
  channel: string;
  sentAt: Date;
  sent: number;
  opened: number;
  clicked: number;
};

/** Campaigns sent to this account's contacts, newest first, with per-campaign engagement counts. */
export async function campaignsSummary(
  ctx: Ctx,
  account: AccountSummary,
  limit = 5,
): Promise<{ campaigns: CampaignSummaryRow[]; total: number; totals: { sent: number; opened: number; clicked: number } }> {
  const { rows } = await ctx.db.execute<{
    id: string;
    name: string;
    channel: string;
    sent_at: string | Date;
    sent: number | string;
    opened: number | string;
    clicked: number | string;
    total: number | string;
    all_sent: number | string;
    all_opened: number | string;
    all_clicked: number | string;
  }>(sql`
    select c.id, c.name, c.channel, min(s.sent_at) as sent_at,
      count(*)::int as sent, count(s.opened_at)::int as opened, count(s.clicked_at)::int as clicked,
      count(*) over ()::int as total,
      sum(count(*)) over ()::int as all_sent, sum(count(s.opened_at)) over ()::int as all_opened,
      sum(count(s.clicked_at)) over ()::int as all_clicked
    from campaign_sends s
    join campaigns c on c.id = s.campaign_id
    where s.account_id = ${account.id}::uuid
    group by c.id, c.name, c.channel
    order by min(s.sent_at) desc, c.name
    limit ${Math.max(1, Math.min(limit, 100))}`);
  const first = rows[0];
  return {
    campaigns: rows.map((r) => ({
      id: r.id,
      name: r.name,
      channel: r.channel,
      sentAt: r.sent_at instanceof Date ? r.sent_at : new Date(r.sent_at),
      sent: Number(r.sent),
      opened: Number(r.opened),
      clicked: Number(r.clicked),
    })),
    total: Number(first?.total ?? 0),
    totals: { sent: Number(first?.all_sent ?? 0), opened: Number(first?.all_opened ?? 0), clicked: Number(first?.all_clicked ?? 0) },
  };
}
