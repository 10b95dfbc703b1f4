/**
 * Plans that progress (issue 16), on both drivers: an objective's progress is the share of its
 * tasks done (cancelled ones left out), kept in the task write's transaction through completion,
 * reopening, linking and relinking; set by hand only when it has no tasks; objectives and plans
 * complete and archive; a SuccessPlay becomes an objective with its tasks; completing a task emits
 * task.completed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { runAction, type ActionResult } from "@/lib/actions/define";
import { addObjective, linkTask, NEW_PLAN, setObjectiveProgress, setObjectiveStatus, setPlanStatus } from "@/lib/activity/objectives";
import { applyPlaybook } from "@/lib/activity/playbooks";
import { createTask, setTaskStatus } from "@/lib/activity/tasks";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { successPlans } from "@/lib/dal/activity";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

function data<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`refused: ${result.error} ${JSON.stringify(result.fieldErrors)}`);
  return result.data;
}

describe.each(drivers)("plans that progress on %s", (driver) => {
  let seeded: Seeded;
  let csm: Ctx;
  let viewer: Ctx;
  let product: AccountSummary;
  let other: AccountSummary;

  const rows = async <T extends Record<string, unknown>>(query: SQL): Promise<T[]> => (await seeded.db.execute(query)).rows as T[];
  const progress = async (objectiveId: string) => Number((await rows<{ progress: number }>(sql`select progress from objectives where id = ${objectiveId}`))[0].progress);
  /** The same figure from scratch. */
  const expected = async (objectiveId: string) => {
    const [r] = await rows<{ done: number; total: number }>(sql`
      select count(*) filter (where status = 'done')::int as done, count(*) filter (where status <> 'cancelled')::int as total from tasks where objective_id = ${objectiveId}`);
    return r.total ? Math.round((100 * r.done) / r.total) : null;
  };
  const newObjective = async (title: string, account = product) =>
    data(await runAction(addObjective, { accountId: account.id, planId: NEW_PLAN, planName: `${title} plan`, title }, csm));
  const newTask = async (title: string, objectiveId?: string, account = product) =>
    data(await runAction(createTask, { accountId: account.id, title, priority: "medium", ...(objectiveId ? { objectiveId } : {}) }, csm)).id;

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    const ctxFor = async (email: string): Promise<Ctx> => ({ db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds[email]))! });
    csm = await ctxFor("csm@demo.test");
    viewer = await ctxFor("viewer@demo.test");
    const products = await rows<{ account_id: string }>(sql`
      select a.account_id from assignments a join accounts x on x.id = a.account_id join account_types t on t.id = x.type_id
      where a.user_id = ${seeded.demo.userIds["csm@demo.test"]} and t.key = 'product' order by x.name limit 2`);
    product = (await findAccount(csm, products[0].account_id))!;
    other = (await findAccount(csm, products[1].account_id))!;
  }, 120_000);
  afterAll(() => seeded?.close());

  it("moves an objective's progress as its tasks are completed, reopened, cancelled and relinked", async () => {
    const a = await newObjective("Adopt dashboards");
    const b = await newObjective("Train admins");
    const t1 = await newTask("Run a dashboard workshop", a.id);
    const t2 = await newTask("Send the dashboard guide", a.id);
    const t3 = await newTask("Loose task");
    expect(await progress(a.id)).toBe(0);
    data(await runAction(setTaskStatus, { taskId: t1, status: "done" }, csm));
    expect(await progress(a.id)).toBe(50);
    const [event] = await rows<{ data: { taskId: string }; actor_id: string }>(sql`select data, actor_id from domain_events where type = 'task.completed' order by id desc limit 1`);
    expect(event).toEqual({ data: { taskId: t1, title: "Run a dashboard workshop" }, actor_id: csm.viewer.userId });
    data(await runAction(setTaskStatus, { taskId: t2, status: "done" }, csm));
    expect(await progress(a.id)).toBe(100);
    data(await runAction(setTaskStatus, { taskId: t1, status: "open" }, csm));
    expect(await progress(a.id)).toBe(50);
    // Later linking: the loose (open) task joins A; then moves to B, which had no tasks.
    data(await runAction(linkTask, { taskId: t3, objectiveId: a.id }, csm));
    expect(await progress(a.id)).toBe(33);
    data(await runAction(linkTask, { taskId: t2, objectiveId: b.id }, csm));
    expect([await progress(a.id), await progress(b.id)]).toEqual([0, 100]);
    // Cancelled tasks do not count.
    await seeded.db.execute(sql`update tasks set status = 'cancelled' where id = ${t3}`);
    data(await runAction(setTaskStatus, { taskId: t1, status: "done" }, csm));
    expect(await progress(a.id)).toBe(100);
    for (const id of [a.id, b.id]) expect(await progress(id)).toBe(await expected(id));
    // The plan's progress is the average of its objectives'.
    const plans = await successPlans(csm, product);
    expect(plans.find((p) => p.objectives.some((o) => o.id === b.id))!.progress).toBe(100);
    // A task cannot join another account's objective; unlinking empties it.
    const foreign = await newObjective("Elsewhere", other);
    expect(await runAction(linkTask, { taskId: t1, objectiveId: foreign.id }, csm)).toMatchObject({ ok: false, fieldErrors: { objectiveId: [expect.any(String)] } });
    expect(await runAction(createTask, { accountId: product.id, title: "x", priority: "low", objectiveId: foreign.id }, csm)).toMatchObject({ ok: false });
    data(await runAction(linkTask, { taskId: t2, objectiveId: "" }, csm));
    expect(await progress(b.id)).toBe(100); // no tasks left: keeps its last figure until set by hand
  });

  it("sets progress by hand only without tasks, and completes, archives and reopens objectives and plans", async () => {
    const lone = await newObjective("Executive sponsor");
    data(await runAction(setObjectiveProgress, { objectiveId: lone.id, progress: "40" }, csm));
    expect(await progress(lone.id)).toBe(40);
    await newTask("Meet the sponsor", lone.id);
    expect(await progress(lone.id)).toBe(0);
    expect(await runAction(setObjectiveProgress, { objectiveId: lone.id, progress: "90" }, csm)).toMatchObject({ ok: false, fieldErrors: { progress: [expect.any(String)] } });
    expect(await runAction(setObjectiveProgress, { objectiveId: lone.id, progress: "101" }, csm)).toMatchObject({ ok: false });
    data(await runAction(setObjectiveStatus, { objectiveId: lone.id, status: "completed" }, csm));
    data(await runAction(setObjectiveStatus, { objectiveId: lone.id, status: "archived" }, csm));
    const [o] = await rows<{ completed_at: unknown; archived_at: unknown }>(sql`select completed_at, archived_at from objectives where id = ${lone.id}`);
    expect(o.completed_at).not.toBeNull();
    expect(o.archived_at).not.toBeNull();
    data(await runAction(setPlanStatus, { planId: lone.plan.id, status: "completed" }, csm));
    expect((await successPlans(csm, product)).find((p) => p.id === lone.plan.id)!.status).toBe("completed");
    data(await runAction(setPlanStatus, { planId: lone.plan.id, status: "archived" }, csm));
    expect((await successPlans(csm, product)).find((p) => p.id === lone.plan.id)).toBeUndefined();
    expect(await runAction(setPlanStatus, { planId: lone.plan.id, status: "active" }, viewer)).toMatchObject({ ok: false });
    const timeline = await rows<{ title: string }>(sql`select title from timeline_entries where account_id = ${product.id} and kind = 'objective' order by id desc limit 2`);
    expect(timeline.map((t) => t.title)).toEqual(["Success plan archived: Executive sponsor plan", "Success plan completed: Executive sponsor plan"]);
  });

  it("turns a SuccessPlay into an objective with its tasks, whose progress follows them", async () => {
    const [play] = await rows<{ id: string; name: string; steps: number }>(sql`
      select p.id, p.name, (select count(*)::int from playbook_steps s where s.playbook_id = p.id) as steps from playbooks p order by p.name limit 1`);
    const applied = data(await runAction(applyPlaybook, { accountId: other.id, playbookId: play.id }, csm));
    const [objective] = await rows<{ title: string; tasks: number }>(sql`
      select o.title, (select count(*)::int from tasks t where t.objective_id = o.id) as tasks from objectives o where o.id = ${applied.objectiveId}`);
    expect(objective).toEqual({ title: play.name, tasks: play.steps });
    data(await runAction(setTaskStatus, { taskId: applied.taskIds[0], status: "done" }, csm));
    expect(await progress(applied.objectiveId)).toBe(Math.round(100 / play.steps));
  });
});
