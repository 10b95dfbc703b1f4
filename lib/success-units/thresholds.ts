import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { successUnitThresholds, usageModules } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { queueAllSuccessUnits } from "./queue";

export type ModuleThresholds = { moduleId: string; amberMin: number; greenMin: number };

/** Thresholds by module id (modules without any are not rated). */
export async function thresholdsByModule(ctx: Ctx): Promise<Map<string, ModuleThresholds>> {
  const rows = await ctx.db.select().from(successUnitThresholds);
  return new Map(rows.map((r) => [r.moduleId, { moduleId: r.moduleId, amberMin: r.amberMin, greenMin: r.greenMin }]));
}

const count = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ error: `Enter ${label} as a whole number.` }).int(`Enter ${label} as a whole number.`).min(1, "Use 1 or more.").max(1_000_000, "Use at most 1,000,000.").optional(),
  );

export const thresholdsInput = z
  .object({
    moduleId: idField("Unknown module."),
    amberMin: count("the amber threshold"),
    greenMin: count("the green threshold"),
  })
  .superRefine((v, ctx) => {
    if ((v.amberMin === undefined) !== (v.greenMin === undefined)) {
      ctx.addIssue({ code: "custom", path: [v.amberMin === undefined ? "amberMin" : "greenMin"], message: "Set both thresholds, or clear both to stop rating this module." });
    } else if (v.amberMin !== undefined && v.greenMin !== undefined && v.greenMin <= v.amberMin) {
      ctx.addIssue({ code: "custom", path: ["greenMin"], message: "Green needs more active users than amber." });
    }
  });

/**
 * Set (or clear) a module's success-unit thresholds. Every rated account is queued, so colours and
 * parent counts follow within seconds (the background worker), each change kept with its time.
 */
export const setSuccessUnitThresholds = actionDefinition({
  name: "setSuccessUnitThresholds",
  schema: thresholdsInput,
  authorize: requires("dataModel.manage"),
  async run(ctx, input) {
    const [module] = await ctx.db.select({ id: usageModules.id, name: usageModules.name }).from(usageModules).where(eq(usageModules.id, input.moduleId)).limit(1);
    if (!module) throw new ActionError("This module no longer exists.");
    const [before] = await ctx.db.select().from(successUnitThresholds).where(eq(successUnitThresholds.moduleId, module.id));
    if (input.amberMin === undefined || input.greenMin === undefined) {
      await ctx.db.delete(successUnitThresholds).where(eq(successUnitThresholds.moduleId, module.id));
    } else {
      await ctx.db
        .insert(successUnitThresholds)
        .values({ moduleId: module.id, amberMin: input.amberMin, greenMin: input.greenMin, updatedBy: ctx.viewer.userId })
        .onConflictDoUpdate({
          target: successUnitThresholds.moduleId,
          set: { amberMin: input.amberMin, greenMin: input.greenMin, updatedBy: ctx.viewer.userId, updatedAt: sql`now()` },
        });
    }
    await recordAudit(ctx.db, ctx.viewer, {
      action: "successUnits.thresholds",
      targetType: "usage_module",
      targetId: module.id,
      before: before ? { amberMin: before.amberMin, greenMin: before.greenMin } : null,
      after: input.amberMin === undefined ? null : { amberMin: input.amberMin, greenMin: input.greenMin },
    });
    await queueAllSuccessUnits(ctx.db);
    return { name: module.name, cleared: input.amberMin === undefined };
  },
  revalidate: () => ["/admin/usage"],
  message: (data) => (data.cleared ? `“${data.name}” is no longer rated.` : `Thresholds of “${data.name}” saved; colours follow within seconds.`),
});
