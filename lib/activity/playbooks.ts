import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { objectives, playbooks, playbookSteps, tasks } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { addDays, todayIso } from "@/lib/days";
import { planForObjective } from "./objectives";
import { accountForWrite, authorizeQuickAction } from "./permissions";
import { prunedNote, recordTimeline } from "./timeline";

export const playbookInput = z.object({
  accountId: idField("Unknown account."),
  playbookId: idField("Pick a SuccessPlay from the list."),
});

/**
 * Apply a SuccessPlay: it becomes an objective (named after the play, in the account's newest
 * success plan, or a new plan when it has none) and each step a task under it, due `offsetDays`
 * after today (UTC), assigned to the person applying it; the objective's progress then follows its
 * tasks. Timeline entries for the objective and each task, as created.
 */
export const applyPlaybook = actionDefinition({
  name: "applyPlaybook",
  schema: playbookInput,
  authorize: (ctx, input) => authorizeQuickAction(ctx, input.accountId, "successplay"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const [playbook] = await ctx.db.select({ id: playbooks.id, name: playbooks.name }).from(playbooks).where(eq(playbooks.id, input.playbookId)).limit(1);
    if (!playbook) throw new ActionError("Check the highlighted fields.", { playbookId: ["Pick a SuccessPlay from the list."] });
    const steps = await ctx.db
      .select()
      .from(playbookSteps)
      .where(eq(playbookSteps.playbookId, playbook.id))
      .orderBy(asc(playbookSteps.position), asc(playbookSteps.offsetDays));
    if (!steps.length) throw new ActionError("Check the highlighted fields.", { playbookId: ["This SuccessPlay has no steps yet."] });
    const now = new Date();
    const today = todayIso(now);
    const description = `From the “${playbook.name}” SuccessPlay.`;
    const plan = await planForObjective(ctx, account, "", undefined, now, { fallbackToNewest: true });
    const [objective] = await ctx.db
      .insert(objectives)
      .values({ planId: plan.id, title: playbook.name, description, progress: 0, createdBy: ctx.viewer.userId, createdAt: now })
      .returning({ id: objectives.id });
    const created = await ctx.db
      .insert(tasks)
      .values(
        steps.map((step) => ({
          accountId: account.id,
          title: step.title,
          description,
          dueDate: addDays(today, step.offsetDays),
          assigneeId: ctx.viewer.userId,
          priority: step.priority,
          playbookId: playbook.id,
          objectiveId: objective.id,
          createdBy: ctx.viewer.userId,
          createdAt: now,
        })),
      )
      .returning({ id: tasks.id, title: tasks.title, dueDate: tasks.dueDate, priority: tasks.priority });
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "objective" as const,
        refId: objective.id,
        actorId: ctx.viewer.userId,
        title: `Objective added: ${playbook.name}`,
        snapshot: { title: playbook.name, description, plan: plan.name, planCreated: plan.created, progress: 0, successPlay: playbook.name, tasks: created.length },
        occurredAt: now,
      },
      ...created.map((task) => ({
        accountId: account.id,
        kind: "task" as const,
        refId: task.id,
        actorId: ctx.viewer.userId,
        title: `Task created: ${task.title}`,
        snapshot: {
          title: task.title,
          description,
          dueDate: task.dueDate,
          priority: task.priority,
          assignee: ctx.viewer.name,
          status: "open",
          successPlay: playbook.name,
          objective: playbook.name,
        },
        occurredAt: now,
      })),
    ]);
    return { accountId: account.id, playbook: playbook.name, plan, objectiveId: objective.id, taskIds: created.map((t) => t.id), timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, "/"],
  message: (data) =>
    `“${data.playbook}” applied: ${data.taskIds.length} tasks created and assigned to you. They make up the objective “${data.playbook}” in “${data.plan.name}”.${prunedNote(data.timeline)}`,
});
