import "server-only";
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { objectives, successPlans } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalDayField, optionalTextField, textField } from "@/lib/actions/fields";
import { accountForWrite, authorizeQuickAction } from "./permissions";
import { prunedNote, recordTimeline } from "./timeline";

/** The plan select's value that asks for a new plan. */
export const NEW_PLAN = "new";

export const objectiveInput = z.object({
  accountId: idField("Unknown account."),
  /** A plan of the account, "new", or empty (allowed only when the account has no plan). */
  planId: z.preprocess(
    (v) => (v === undefined || v === null ? "" : v),
    z.union([z.literal(""), z.literal(NEW_PLAN), z.guid({ error: "Pick a success plan from the list." })], { error: "Pick a success plan from the list." }),
  ),
  planName: optionalTextField(200),
  title: textField("the objective", 200),
  description: optionalTextField(2000),
  dueDate: optionalDayField,
});

export function defaultPlanName(accountName: string, now = new Date()): string {
  return `${accountName} success plan ${now.getUTCFullYear()}`;
}

/**
 * Add an objective to a success plan of the account. When the account has no (non-archived) plan,
 * or "new" is chosen, the plan is created first, in the same transaction.
 */
export const addObjective = actionDefinition({
  name: "addObjective",
  schema: objectiveInput,
  authorize: (ctx, input) => authorizeQuickAction(ctx, input.accountId, "objective"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const now = new Date();
    const plans = await ctx.db
      .select({ id: successPlans.id, name: successPlans.name })
      .from(successPlans)
      .where(and(eq(successPlans.accountId, account.id), ne(successPlans.status, "archived")));
    let plan: { id: string; name: string; created: boolean };
    if (input.planId && input.planId !== NEW_PLAN) {
      const chosen = plans.find((p) => p.id === input.planId);
      if (!chosen) throw new ActionError("Check the highlighted fields.", { planId: ["Pick one of this account's success plans."] });
      plan = { ...chosen, created: false };
    } else if (input.planId === NEW_PLAN || plans.length === 0) {
      const name = input.planName ?? defaultPlanName(account.name, now);
      const [created] = await ctx.db
        .insert(successPlans)
        .values({ accountId: account.id, name, status: "active", createdBy: ctx.viewer.userId, createdAt: now })
        .returning({ id: successPlans.id, name: successPlans.name });
      plan = { ...created, created: true };
    } else {
      throw new ActionError("Check the highlighted fields.", { planId: ["Pick the success plan this objective belongs to."] });
    }
    const [objective] = await ctx.db
      .insert(objectives)
      .values({
        planId: plan.id,
        title: input.title,
        description: input.description ?? null,
        progress: 0,
        dueDate: input.dueDate ?? null,
        createdBy: ctx.viewer.userId,
        createdAt: now,
      })
      .returning({ id: objectives.id });
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "objective",
        refId: objective.id,
        actorId: ctx.viewer.userId,
        title: `Objective added: ${input.title}`,
        snapshot: {
          title: input.title,
          description: input.description ?? null,
          plan: plan.name,
          planCreated: plan.created,
          progress: 0,
          dueDate: input.dueDate ?? null,
        },
        occurredAt: now,
      },
    ]);
    return { id: objective.id, accountId: account.id, plan, timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) =>
    `${data.plan.created ? `Success plan “${data.plan.name}” created with the objective.` : `Objective added to “${data.plan.name}”.`}${prunedNote(data.timeline)}`,
});
