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
import { lockHierarchy } from "@/lib/rollups/locks";

/**
 * Usage modules and activities as admins shape them at /admin/usage. Ingestion creates them the
 * first time an event names them (lib/ingest/usage.ts); here they are renamed, hidden from the
 * usage widgets, moved to another module, or merged. A merge or a move rewrites usage history, so
 * it takes the exclusive hierarchy lock: no batch is ingested halfway through it.
 */

export type UsageActivityRow = { id: string; key: string; name: string; hidden: boolean; events: number; aliases: string[] };
export type UsageModuleRow = { id: string; key: string; name: string; hidden: boolean; position: number; activities: UsageActivityRow[] };

/** Every module with its activities, their total events (from the accounts' own daily rows) and retired names. */
export async function listUsageModel(ctx: Ctx): Promise<UsageModuleRow[]> {
  const [modules, activities, aliases] = await Promise.all([
    rows<{ id: string; key: string; name: string; hidden: boolean; position: number }>(ctx.db, sql`select id, key, name, hidden, position from usage_modules order by position, name`),
    rows<{ id: string; module_id: string; key: string; name: string; hidden: boolean; events: string | number }>(
      ctx.db,
      sql`select a.id, a.module_id, a.key, a.name, a.hidden, coalesce((select sum(d.events) from usage_daily d where d.activity_id = a.id), 0)::bigint as events
          from usage_activities a order by a.name`,
    ),
    rows<{ activity_id: string; module_key: string; activity_key: string }>(ctx.db, sql`select activity_id, module_key, activity_key from usage_activity_aliases order by 2, 3`),
  ]);
  return modules.map((m) => ({
    ...m,
    activities: activities
      .filter((a) => a.module_id === m.id)
      .map((a) => ({
        id: a.id,
        key: a.key,
        name: a.name,
        hidden: a.hidden,
        events: Number(a.events),
        aliases: aliases.filter((l) => l.activity_id === a.id).map((l) => `${l.module_key} / ${l.activity_key}`),
      })),
  }));
}

async function moduleById(ctx: Ctx, id: string) {
  const [row] = await rows<{ id: string; key: string; name: string; hidden: boolean }>(ctx.db, sql`select id, key, name, hidden from usage_modules where id = ${id} for update`);
  if (!row) throw new ActionError("That module no longer exists. Reload the page.");
  return row;
}

async function activityById(ctx: Ctx, id: string, field = "activityId") {
  const [row] = await rows<{ id: string; key: string; name: string; hidden: boolean; module_id: string; module_key: string }>(
    ctx.db,
    sql`select a.id, a.key, a.name, a.hidden, a.module_id, m.key as module_key from usage_activities a join usage_modules m on m.id = a.module_id where a.id = ${id} for update of a`,
  );
  if (!row) throw new ActionError("That activity no longer exists. Reload the page.", { [field]: ["Unknown activity."] });
  return row;
}

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const updateUsageModule = actionDefinition({
  name: "updateUsageModule",
  schema: z.object({ moduleId: idField("Unknown module."), name: textField("a name", 80), hidden: checkbox, position: z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Use 0 or more.").max(1000, "Use at most 1000.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const before = await moduleById(ctx, input.moduleId);
    await ctx.db.execute(sql`update usage_modules set name = ${input.name}, hidden = ${input.hidden}, position = ${input.position} where id = ${input.moduleId}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "usage.module.update", targetType: "usage_module", targetId: input.moduleId, before: { name: before.name, hidden: before.hidden }, after: { name: input.name, hidden: input.hidden, position: input.position } });
    return { name: input.name };
  },
  revalidate: () => ["/admin/usage"],
  message: (data) => `Saved module “${data.name}”.`,
});

export const updateUsageActivity = actionDefinition({
  name: "updateUsageActivity",
  schema: z.object({ activityId: idField("Unknown activity."), name: textField("a name", 80), hidden: checkbox }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const before = await activityById(ctx, input.activityId);
    await ctx.db.execute(sql`update usage_activities set name = ${input.name}, hidden = ${input.hidden} where id = ${input.activityId}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "usage.activity.update", targetType: "usage_activity", targetId: input.activityId, before: { name: before.name, hidden: before.hidden }, after: { name: input.name, hidden: input.hidden } });
    return { name: input.name };
  },
  revalidate: () => ["/admin/usage"],
  message: (data) => `Saved activity “${data.name}”.`,
});

/** Keeps the activity's old (module, key) as a name events may still use. */
async function retireName(ctx: Ctx, moduleKey: string, activityKey: string, activityId: string): Promise<void> {
  await ctx.db.execute(sql`insert into usage_activity_aliases (module_key, activity_key, activity_id) values (${moduleKey}, ${activityKey}, ${activityId})
    on conflict (module_key, activity_key) do update set activity_id = excluded.activity_id`);
}

/**
 * Moves an activity into another module (grouping it there): its usage history follows, in the raw
 * events and in every table keyed by activity that also carries the module.
 */
export const moveUsageActivity = actionDefinition({
  name: "moveUsageActivity",
  schema: z.object({ activityId: idField("Unknown activity."), moduleId: idField("Pick a module.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    await lockHierarchy(ctx.db);
    const activity = await activityById(ctx, input.activityId);
    const target = await moduleById(ctx, input.moduleId);
    if (activity.module_id === target.id) return { name: activity.name, module: target.name };
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from usage_activities where module_id = ${target.id} and key = ${activity.key}`);
    if (clash) throw new ActionError(`${target.name} already has an activity with the key “${activity.key}”: merge the two instead.`, { moduleId: ["That module already has this key."] });
    await ctx.db.execute(sql`update usage_activities set module_id = ${target.id} where id = ${activity.id}`);
    await ctx.db.execute(sql`update usage_events set module_id = ${target.id} where activity_id = ${activity.id}`);
    await ctx.db.execute(sql`update usage_daily set module_id = ${target.id} where activity_id = ${activity.id}`);
    await ctx.db.execute(sql`update usage_rollup_daily set module_id = ${target.id} where activity_id = ${activity.id}`);
    await retireName(ctx, activity.module_key, activity.key, activity.id);
    await recordAudit(ctx.db, ctx.viewer, { action: "usage.activity.move", targetType: "usage_activity", targetId: activity.id, before: { moduleId: activity.module_id }, after: { moduleId: target.id } });
    return { name: activity.name, module: target.name };
  },
  revalidate: () => ["/admin/usage"],
  message: (data) => `Moved “${data.name}” to ${data.module}.`,
});

/**
 * Merges one activity into another: every raw event and every per-day row (the accounts' own
 * usage_daily and the subtree totals in usage_rollup_daily) moves to the kept activity, summed where
 * both have a row for the same key; the merged activity goes, and its name keeps counting on the
 * kept one. Per-user windows are not keyed by activity and do not change.
 */
export async function mergeActivities(ctx: Ctx, mergedId: string, keptId: string): Promise<{ merged: string; kept: string; events: number }> {
  if (mergedId === keptId) throw new ActionError("Pick a different activity to keep.", { keptId: ["Pick another activity than the one merged."] });
  await lockHierarchy(ctx.db);
  const merged = await activityById(ctx, mergedId);
  const kept = await activityById(ctx, keptId, "keptId");
  const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from usage_events where activity_id = ${merged.id}`);
  await ctx.db.execute(sql`update usage_events set activity_id = ${kept.id}, module_id = ${kept.module_id} where activity_id = ${merged.id}`);
  await ctx.db.execute(sql`
    insert into usage_daily (account_id, day, activity_id, module_id, contact_id, events)
    select account_id, day, ${kept.id}::uuid, ${kept.module_id}::uuid, contact_id, events from usage_daily where activity_id = ${merged.id}
    on conflict (account_id, day, activity_id, contact_id) do update set events = usage_daily.events + excluded.events`);
  await ctx.db.execute(sql`delete from usage_daily where activity_id = ${merged.id}`);
  await ctx.db.execute(sql`
    insert into usage_rollup_daily (account_id, day, activity_id, module_id, events)
    select account_id, day, ${kept.id}::uuid, ${kept.module_id}::uuid, events from usage_rollup_daily where activity_id = ${merged.id}
    on conflict (account_id, day, activity_id) do update set events = usage_rollup_daily.events + excluded.events`);
  await ctx.db.execute(sql`delete from usage_rollup_daily where activity_id = ${merged.id}`);
  await ctx.db.execute(sql`update usage_activity_aliases set activity_id = ${kept.id} where activity_id = ${merged.id}`);
  await ctx.db.execute(sql`delete from usage_activities where id = ${merged.id}`);
  await retireName(ctx, merged.module_key, merged.key, kept.id);
  await recordAudit(ctx.db, ctx.viewer, {
    action: "usage.activity.merge",
    targetType: "usage_activity",
    targetId: kept.id,
    details: { merged: { id: merged.id, key: `${merged.module_key}/${merged.key}`, name: merged.name }, events: n },
  });
  return { merged: merged.name, kept: kept.name, events: n };
}

export const mergeUsageActivities = actionDefinition({
  name: "mergeUsageActivities",
  schema: z.object({ activityId: idField("Unknown activity."), keptId: idField("Pick the activity to keep.") }),
  authorize: requires("dataModel.manage"),
  run: (ctx, input) => mergeActivities(ctx, input.activityId, input.keptId),
  revalidate: () => ["/admin/usage"],
  message: (data) => `Merged “${data.merged}” into “${data.kept}” (${data.events.toLocaleString("en-US")} events moved).`,
});
