import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, textField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { rows } from "@/lib/ingest/resolve";

/**
 * Lifecycles and their ordered stages, as admins define them at /admin/lifecycles. Stages are
 * archived, never deleted: accounts at an archived stage keep it (and its history), the Status
 * widget shows it as archived, and it is offered no more.
 */

export type LifecycleStageRow = { id: string; key: string; name: string; position: number; archived: boolean; accounts: number };
export type LifecycleRow = { id: string; key: string; name: string; position: number; stages: LifecycleStageRow[] };

export async function listLifecycles(ctx: Ctx): Promise<LifecycleRow[]> {
  const [lifecycles, stages] = await Promise.all([
    rows<{ id: string; key: string; name: string; position: number }>(ctx.db, sql`select id, key, name, position from lifecycles order by position, name`),
    rows<{ id: string; lifecycle_id: string; key: string; name: string; position: number; archived: boolean; accounts: number }>(
      ctx.db,
      sql`select s.id, s.lifecycle_id, s.key, s.name, s.position, s.archived_at is not null as archived,
            (select count(*)::int from account_stages x where x.stage_id = s.id) as accounts
          from lifecycle_stages s order by s.archived_at is not null, s.position, s.name`,
    ),
  ]);
  return lifecycles.map((l) => ({
    ...l,
    stages: stages.filter((s) => s.lifecycle_id === l.id).map((s) => ({ id: s.id, key: s.key, name: s.name, position: s.position, archived: s.archived, accounts: Number(s.accounts) })),
  }));
}

const keyField = z
  .string({ error: "Enter a key." })
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, "Use 2–40 lowercase letters, digits or underscores, starting with a letter.");

export const createLifecycle = actionDefinition({
  name: "createLifecycle",
  schema: z.object({ key: keyField, name: textField("a name", 60) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from lifecycles where key = ${input.key}`);
    if (clash) throw new ActionError("Check the highlighted fields.", { key: ["A lifecycle already has this key."] });
    const [created] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into lifecycles (key, name, position) values (${input.key}, ${input.name}, (select coalesce(max(position) + 1, 0) from lifecycles)) returning id`,
    );
    await recordAudit(ctx.db, ctx.viewer, { action: "lifecycle.create", targetType: "lifecycle", targetId: created.id, after: input });
    return { id: created.id, name: input.name };
  },
  revalidate: () => ["/admin/lifecycles"],
  message: (data) => `Lifecycle “${data.name}” created; add its stages below.`,
});

export const renameLifecycle = actionDefinition({
  name: "renameLifecycle",
  schema: z.object({ lifecycleId: idField("Unknown lifecycle."), name: textField("a name", 60) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [before] = await rows<{ name: string }>(ctx.db, sql`select name from lifecycles where id = ${input.lifecycleId} for update`);
    if (!before) throw new ActionError("That lifecycle no longer exists. Reload the page.");
    await ctx.db.execute(sql`update lifecycles set name = ${input.name} where id = ${input.lifecycleId}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "lifecycle.rename", targetType: "lifecycle", targetId: input.lifecycleId, before, after: { name: input.name } });
    return { name: input.name };
  },
  revalidate: () => ["/admin/lifecycles"],
  message: (data) => `Renamed to “${data.name}”.`,
});

export const addLifecycleStage = actionDefinition({
  name: "addLifecycleStage",
  schema: z.object({ lifecycleId: idField("Unknown lifecycle."), key: keyField, name: textField("a name", 60) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [lifecycle] = await rows<{ id: string }>(ctx.db, sql`select id from lifecycles where id = ${input.lifecycleId} for update`);
    if (!lifecycle) throw new ActionError("That lifecycle no longer exists. Reload the page.");
    const [clash] = await rows<{ archived: boolean }>(ctx.db, sql`select archived_at is not null as archived from lifecycle_stages where lifecycle_id = ${lifecycle.id} and key = ${input.key}`);
    if (clash) throw new ActionError("Check the highlighted fields.", { key: [clash.archived ? "An archived stage has this key: restore it instead." : "This lifecycle already has a stage with this key."] });
    const [created] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into lifecycle_stages (lifecycle_id, key, name, position)
          values (${lifecycle.id}, ${input.key}, ${input.name}, (select coalesce(max(position) + 1, 0) from lifecycle_stages where lifecycle_id = ${lifecycle.id})) returning id`,
    );
    await recordAudit(ctx.db, ctx.viewer, { action: "lifecycle.stage.add", targetType: "lifecycle_stage", targetId: created.id, after: input });
    return { name: input.name };
  },
  revalidate: () => ["/admin/lifecycles"],
  message: (data) => `Stage “${data.name}” added at the end.`,
});

async function stageById(ctx: Ctx, stageId: string) {
  const [stage] = await rows<{ id: string; lifecycle_id: string; name: string; archived: boolean }>(
    ctx.db,
    sql`select id, lifecycle_id, name, archived_at is not null as archived from lifecycle_stages where id = ${stageId} for update`,
  );
  if (!stage) throw new ActionError("That stage no longer exists. Reload the page.");
  return stage;
}

export const renameLifecycleStage = actionDefinition({
  name: "renameLifecycleStage",
  schema: z.object({ stageId: idField("Unknown stage."), name: textField("a name", 60) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const before = await stageById(ctx, input.stageId);
    await ctx.db.execute(sql`update lifecycle_stages set name = ${input.name} where id = ${before.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "lifecycle.stage.rename", targetType: "lifecycle_stage", targetId: before.id, before: { name: before.name }, after: { name: input.name } });
    return { name: input.name };
  },
  revalidate: () => ["/admin/lifecycles"],
  message: (data) => `Renamed to “${data.name}”.`,
});

/** Moves a stage one place up or down among the lifecycle's stages (archived ones included), renumbering 0…n-1. */
export async function moveStage(ctx: Ctx, stageId: string, direction: "up" | "down"): Promise<{ name: string }> {
  const stage = await stageById(ctx, stageId);
  const ordered = await rows<{ id: string }>(ctx.db, sql`select id from lifecycle_stages where lifecycle_id = ${stage.lifecycle_id} order by position, name for update`);
  const ids = ordered.map((s) => s.id);
  const at = ids.indexOf(stage.id);
  const to = direction === "up" ? at - 1 : at + 1;
  if (to < 0 || to >= ids.length) return { name: stage.name };
  [ids[at], ids[to]] = [ids[to], ids[at]];
  await ctx.db.execute(sql`update lifecycle_stages s set position = x.o - 1 from unnest(${`{${ids.join(",")}}`}::uuid[]) with ordinality as x(id, o) where s.id = x.id`);
  await recordAudit(ctx.db, ctx.viewer, { action: "lifecycle.stage.move", targetType: "lifecycle_stage", targetId: stage.id, details: { direction } });
  return { name: stage.name };
}

export const moveLifecycleStage = actionDefinition({
  name: "moveLifecycleStage",
  schema: z.object({ stageId: idField("Unknown stage."), direction: z.enum(["up", "down"], { error: "Move up or down." }) }),
  authorize: requires("dataModel.manage"),
  run: (ctx, input) => moveStage(ctx, input.stageId, input.direction),
  revalidate: () => ["/admin/lifecycles"],
  message: (data) => `Moved “${data.name}”.`,
});

export async function setStageArchived(ctx: Ctx, stageId: string, archived: boolean): Promise<{ name: string; archived: boolean; accounts: number }> {
  const stage = await stageById(ctx, stageId);
  await ctx.db.execute(sql`update lifecycle_stages set archived_at = ${archived ? sql`now()` : sql`null`} where id = ${stage.id}`);
  const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from account_stages where stage_id = ${stage.id}`);
  await recordAudit(ctx.db, ctx.viewer, { action: archived ? "lifecycle.stage.archive" : "lifecycle.stage.restore", targetType: "lifecycle_stage", targetId: stage.id, details: { accountsAtStage: n } });
  return { name: stage.name, archived, accounts: n };
}

export const archiveLifecycleStage = actionDefinition({
  name: "archiveLifecycleStage",
  schema: z.object({ stageId: idField("Unknown stage."), archived: z.enum(["true", "false"]).transform((v) => v === "true") }),
  authorize: requires("dataModel.manage"),
  run: (ctx, input) => setStageArchived(ctx, input.stageId, input.archived),
  revalidate: () => ["/admin/lifecycles"],
  message: (data) =>
    data.archived
      ? `Archived “${data.name}”${data.accounts ? `: ${data.accounts} account${data.accounts === 1 ? "" : "s"} keep it, shown as archived` : ""}.`
      : `Restored “${data.name}”.`,
});
