import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalTextField, textField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { rows } from "@/lib/ingest/resolve";

/**
 * SuccessPlays (playbooks) and their ordered steps, as admins define them at /admin/successplays.
 * Applying one (lib/activity/playbooks.ts) turns each step into a task due `offset_days` after the
 * day applied. Deleting a SuccessPlay is allowed: tasks already created keep their title, due date
 * and history; their `playbook_id` is set to null by the foreign key (on delete set null), and its
 * steps go with it (on delete cascade).
 */

export const PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type PlaybookStepRow = { id: string; title: string; offsetDays: number; priority: (typeof PRIORITIES)[number]; position: number };
export type PlaybookRow = { id: string; name: string; description: string | null; tasks: number; steps: PlaybookStepRow[] };

export async function listPlaybooks(ctx: Ctx): Promise<PlaybookRow[]> {
  const [plays, steps] = await Promise.all([
    rows<{ id: string; name: string; description: string | null; tasks: number }>(
      ctx.db,
      sql`select p.id, p.name, p.description, (select count(*)::int from tasks t where t.playbook_id = p.id) as tasks from playbooks p order by p.name`,
    ),
    rows<{ id: string; playbook_id: string; title: string; offset_days: number; priority: PlaybookStepRow["priority"]; position: number }>(
      ctx.db,
      sql`select id, playbook_id, title, offset_days, priority, position from playbook_steps order by position, offset_days, title`,
    ),
  ]);
  return plays.map((p) => ({
    ...p,
    tasks: Number(p.tasks),
    steps: steps.filter((s) => s.playbook_id === p.id).map((s) => ({ id: s.id, title: s.title, offsetDays: Number(s.offset_days), priority: s.priority, position: s.position })),
  }));
}

const offsetField = z.preprocess((v) => (typeof v === "string" && !v.trim() ? undefined : v), z.coerce
  .number({ error: "Enter a number of days." })
  .int("Enter a whole number of days.")
  .min(0, "Use 0 (the day applied) or more days.")
  .max(3650, "Use at most 3650 days."));
const priorityField = z.enum(PRIORITIES, { error: "Pick a priority." });

async function playbookById(ctx: Ctx, playbookId: string) {
  const [play] = await rows<{ id: string; name: string; description: string | null }>(ctx.db, sql`select id, name, description from playbooks where id = ${playbookId} for update`);
  if (!play) throw new ActionError("That SuccessPlay no longer exists. Reload the page.");
  return play;
}

async function stepById(ctx: Ctx, stepId: string) {
  const [step] = await rows<{ id: string; playbook_id: string; title: string; offset_days: number; priority: string; position: number }>(
    ctx.db,
    sql`select id, playbook_id, title, offset_days, priority, position from playbook_steps where id = ${stepId} for update`,
  );
  if (!step) throw new ActionError("That step no longer exists. Reload the page.");
  return step;
}

export const createPlaybook = actionDefinition({
  name: "createPlaybook",
  schema: z.object({ name: textField("a name", 80), description: optionalTextField(500) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from playbooks where lower(name) = lower(${input.name})`);
    if (clash) throw new ActionError("Check the highlighted fields.", { name: ["A SuccessPlay already has this name."] });
    const [created] = await rows<{ id: string }>(ctx.db, sql`insert into playbooks (name, description) values (${input.name}, ${input.description ?? null}) returning id`);
    await recordAudit(ctx.db, ctx.viewer, { action: "playbook.create", targetType: "playbook", targetId: created.id, after: input });
    return { id: created.id, name: input.name };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `SuccessPlay “${data.name}” created; add its steps below.`,
});

export const updatePlaybook = actionDefinition({
  name: "updatePlaybook",
  schema: z.object({ playbookId: idField("Unknown SuccessPlay."), name: textField("a name", 80), description: optionalTextField(500) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const before = await playbookById(ctx, input.playbookId);
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from playbooks where lower(name) = lower(${input.name}) and id <> ${before.id}`);
    if (clash) throw new ActionError("Check the highlighted fields.", { name: ["Another SuccessPlay has this name."] });
    await ctx.db.execute(sql`update playbooks set name = ${input.name}, description = ${input.description ?? null} where id = ${before.id}`);
    await recordAudit(ctx.db, ctx.viewer, {
      action: "playbook.update",
      targetType: "playbook",
      targetId: before.id,
      before: { name: before.name, description: before.description },
      after: { name: input.name, description: input.description ?? null },
    });
    return { name: input.name };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `Saved “${data.name}”.`,
});

export const deletePlaybook = actionDefinition({
  name: "deletePlaybook",
  schema: z.object({ playbookId: idField("Unknown SuccessPlay.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const play = await playbookById(ctx, input.playbookId);
    const steps = await rows<{ title: string; offset_days: number; priority: string }>(ctx.db, sql`select title, offset_days, priority from playbook_steps where playbook_id = ${play.id} order by position`);
    const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from tasks where playbook_id = ${play.id}`);
    // Steps cascade; tasks created from it keep everything but the link (on delete set null).
    await ctx.db.execute(sql`delete from playbooks where id = ${play.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "playbook.delete", targetType: "playbook", targetId: play.id, before: { ...play, steps }, details: { tasksKept: Number(n) } });
    return { name: play.name, tasks: Number(n) };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `Deleted “${data.name}”${data.tasks ? `; the ${data.tasks} task${data.tasks === 1 ? "" : "s"} it created stay on their accounts` : ""}.`,
});

export const addPlaybookStep = actionDefinition({
  name: "addPlaybookStep",
  schema: z.object({ playbookId: idField("Unknown SuccessPlay."), title: textField("a title", 200), offsetDays: offsetField, priority: priorityField }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const play = await playbookById(ctx, input.playbookId);
    const [created] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into playbook_steps (playbook_id, title, offset_days, priority, position)
          values (${play.id}, ${input.title}, ${input.offsetDays}, ${input.priority}, (select coalesce(max(position) + 1, 0) from playbook_steps where playbook_id = ${play.id})) returning id`,
    );
    await recordAudit(ctx.db, ctx.viewer, { action: "playbook.step.add", targetType: "playbook_step", targetId: created.id, after: input });
    return { id: created.id, title: input.title };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `Step “${data.title}” added at the end.`,
});

export const updatePlaybookStep = actionDefinition({
  name: "updatePlaybookStep",
  schema: z.object({ stepId: idField("Unknown step."), title: textField("a title", 200), offsetDays: offsetField, priority: priorityField }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const before = await stepById(ctx, input.stepId);
    await ctx.db.execute(sql`update playbook_steps set title = ${input.title}, offset_days = ${input.offsetDays}, priority = ${input.priority} where id = ${before.id}`);
    await recordAudit(ctx.db, ctx.viewer, {
      action: "playbook.step.update",
      targetType: "playbook_step",
      targetId: before.id,
      before: { title: before.title, offsetDays: before.offset_days, priority: before.priority },
      after: { title: input.title, offsetDays: input.offsetDays, priority: input.priority },
    });
    return { title: input.title };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `Saved step “${data.title}”.`,
});

export const removePlaybookStep = actionDefinition({
  name: "removePlaybookStep",
  schema: z.object({ stepId: idField("Unknown step.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const step = await stepById(ctx, input.stepId);
    await ctx.db.execute(sql`delete from playbook_steps where id = ${step.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "playbook.step.remove", targetType: "playbook_step", targetId: step.id, before: step });
    return { title: step.title };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `Removed step “${data.title}”; tasks it already created stay.`,
});

/** Moves a step one place up or down within its SuccessPlay, renumbering 0…n-1. */
export const movePlaybookStep = actionDefinition({
  name: "movePlaybookStep",
  schema: z.object({ stepId: idField("Unknown step."), direction: z.enum(["up", "down"], { error: "Move up or down." }) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const step = await stepById(ctx, input.stepId);
    const ordered = await rows<{ id: string }>(ctx.db, sql`select id from playbook_steps where playbook_id = ${step.playbook_id} order by position, offset_days, title for update`);
    const ids = ordered.map((s) => s.id);
    const at = ids.indexOf(step.id);
    const to = input.direction === "up" ? at - 1 : at + 1;
    if (to >= 0 && to < ids.length) [ids[at], ids[to]] = [ids[to], ids[at]];
    await ctx.db.execute(sql`update playbook_steps s set position = x.o - 1 from unnest(${`{${ids.join(",")}}`}::uuid[]) with ordinality as x(id, o) where s.id = x.id`);
    await recordAudit(ctx.db, ctx.viewer, { action: "playbook.step.move", targetType: "playbook_step", targetId: step.id, details: { direction: input.direction } });
    return { title: step.title };
  },
  revalidate: () => ["/admin/successplays"],
  message: (data) => `Moved “${data.title}”.`,
});
