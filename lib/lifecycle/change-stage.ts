import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalTextField } from "@/lib/actions/fields";
import { accountForWrite, authorizeOnAccount } from "@/lib/activity/permissions";
import { moveStages } from "./move";

export const stageChangeInput = z.object({
  accountId: idField("Unknown account."),
  lifecycleId: idField("Unknown lifecycle."),
  stageId: idField("Pick a stage from the list."),
  note: optionalTextField(2000),
});

/** The Status widget's form: move the account to another (non-archived) stage, with an optional note. */
export const changeStage = actionDefinition({
  name: "changeStage",
  schema: stageChangeInput,
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "stage.change"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const { rows } = await ctx.db.execute<{ stage_name: string; archived: boolean }>(sql`
      select s.name as stage_name, s.archived_at is not null as archived from lifecycle_stages s
      where s.id = ${input.stageId}::uuid and s.lifecycle_id = ${input.lifecycleId}::uuid`);
    const stage = rows[0];
    if (!stage) throw new ActionError("Check the highlighted fields.", { stageId: ["Pick one of this lifecycle's stages."] });
    if (stage.archived) throw new ActionError("Check the highlighted fields.", { stageId: ["This stage is archived: pick another one."] });
    const [result] = await moveStages(
      ctx.db,
      { userId: ctx.viewer.userId, name: ctx.viewer.name },
      [{ accountId: account.id, lifecycleId: input.lifecycleId, stageId: input.stageId, note: input.note ?? null, at: new Date() }],
      "app",
    );
    return { accountId: account.id, stage: stage.stage_name, changed: result.changed };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`],
  message: (data) => (data.changed ? `Moved to “${data.stage}”.` : `Already at “${data.stage}”.`),
});
