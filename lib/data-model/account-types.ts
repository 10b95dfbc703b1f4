import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, textField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import { rows } from "@/lib/ingest/resolve";

/** Renaming, the asset size limit and deleting an unused account type (creation and parents: lib/hierarchy/account-types.ts). */

export const updateAccountType = actionDefinition({
  name: "updateAccountType",
  schema: z.object({
    typeId: idField("Unknown account type."),
    name: textField("a name", 60),
    pluralName: textField("the plural name", 60),
    assetLimitMb: z.coerce.number({ error: "Enter a number of megabytes." }).int("Enter a whole number of megabytes.").min(1, "At least 1 MB.").max(100, "Uploads are capped at 100 MB."),
  }),
  authorize: requires("accountTypes.manage"),
  run: async (ctx, input) => {
    const [before] = await rows<{ id: string; name: string; plural_name: string; asset_limit_mb: number }>(
      ctx.db,
      sql`select id, name, plural_name, asset_limit_mb from account_types where id = ${input.typeId} for update`,
    );
    if (!before) throw new ActionError("That account type no longer exists. Reload the page.");
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from account_types where lower(name) = lower(${input.name}) and id <> ${before.id}`);
    if (clash) throw new ActionError("Check the highlighted fields.", { name: ["Another account type already has this name."] });
    await ctx.db.execute(sql`update account_types set name = ${input.name}, plural_name = ${input.pluralName}, asset_limit_mb = ${input.assetLimitMb} where id = ${before.id}`);
    await recordAudit(ctx.db, ctx.viewer, {
      action: "account_type.update",
      targetType: "account_type",
      targetId: before.id,
      before: { name: before.name, pluralName: before.plural_name, assetLimitMb: before.asset_limit_mb },
      after: { name: input.name, pluralName: input.pluralName, assetLimitMb: input.assetLimitMb },
    });
    return { name: input.name };
  },
  revalidate: () => ["/admin/account-types"],
  message: (data) => `Saved ${data.name}.`,
});

/** Deletes an account type no account uses (archived accounts count: they keep their type). */
export const deleteAccountType = actionDefinition({
  name: "deleteAccountType",
  schema: z.object({ typeId: idField("Unknown account type.") }),
  authorize: requires("accountTypes.manage"),
  run: async (ctx, input) => {
    const [type] = await rows<{ id: string; name: string; plural_name: string; is_opportunity: boolean }>(
      ctx.db,
      sql`select id, name, plural_name, is_opportunity from account_types where id = ${input.typeId} for update`,
    );
    if (!type) throw new ActionError("That account type no longer exists. Reload the page.");
    if (type.is_opportunity) throw new ActionError(`${type.name} is the reserved opportunity type: it cannot be deleted.`);
    const [{ live, archived }] = await rows<{ live: number; archived: number }>(
      ctx.db,
      sql`select count(*) filter (where archived_at is null)::int as live, count(*) filter (where archived_at is not null)::int as archived from accounts where type_id = ${type.id}`,
    );
    if (live + archived > 0) {
      const n = live + archived;
      throw new ActionError(
        `${n.toLocaleString("en-US")} ${n === 1 ? "account is" : "accounts are"} of type ${type.name}${archived ? ` (${archived.toLocaleString("en-US")} archived)` : ""}: delete or move ${n === 1 ? "it" : "them"} first.`,
      );
    }
    await ctx.db.execute(sql`delete from account_types where id = ${type.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "account_type.delete", targetType: "account_type", targetId: type.id, before: { name: type.name } });
    return { name: type.name };
  },
  revalidate: () => ["/admin/account-types"],
  message: (data) => `Deleted the account type ${data.name}.`,
});
