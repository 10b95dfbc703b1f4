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
 * Field groups of an account type (field_groups): featured groups show first on every layout of the
 * type, the others under "Show full list"; `position` orders them. Attributes join a group from
 * /admin/attributes.
 */
export type FieldGroupRow = { id: string; name: string; featured: boolean; position: number; attributes: number };

export function listFieldGroups(ctx: Ctx, typeId: string): Promise<FieldGroupRow[]> {
  return rows<FieldGroupRow>(
    ctx.db,
    sql`select g.id, g.name, g.featured, g.position,
          (select count(*)::int from attribute_definitions d where d.group_id = g.id and d.deleted_at is null) as attributes
        from field_groups g where g.account_type_id = ${typeId} order by g.position, g.name`,
  );
}

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const positionField = z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Use 0 or more.").max(1000, "Use at most 1000.");

async function nameTaken(ctx: Ctx, typeId: string, name: string, except?: string): Promise<boolean> {
  const found = await rows<{ id: string }>(ctx.db, sql`select id from field_groups where account_type_id = ${typeId} and lower(name) = lower(${name}) ${except ? sql`and id <> ${except}` : sql``}`);
  return found.length > 0;
}

export const createFieldGroup = actionDefinition({
  name: "createFieldGroup",
  schema: z.object({ accountTypeId: idField("Pick an account type."), name: textField("a name", 60), featured: checkbox, position: positionField }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [type] = await rows<{ id: string }>(ctx.db, sql`select id from account_types where id = ${input.accountTypeId}`);
    if (!type) throw new ActionError("That account type no longer exists. Reload the page.");
    if (await nameTaken(ctx, type.id, input.name)) throw new ActionError("Check the highlighted fields.", { name: ["This type already has a group with this name."] });
    const [created] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into field_groups (account_type_id, name, featured, position) values (${type.id}, ${input.name}, ${input.featured}, ${input.position}) returning id`,
    );
    await recordAudit(ctx.db, ctx.viewer, { action: "fieldGroup.create", targetType: "field_group", targetId: created.id, after: input });
    return { name: input.name };
  },
  revalidate: () => ["/admin/attributes"],
  message: (data) => `Field group “${data.name}” created.`,
});

export const updateFieldGroup = actionDefinition({
  name: "updateFieldGroup",
  schema: z.object({ groupId: idField("Unknown field group."), name: textField("a name", 60), featured: checkbox, position: positionField }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [group] = await rows<{ id: string; account_type_id: string; name: string; featured: boolean; position: number }>(
      ctx.db,
      sql`select id, account_type_id, name, featured, position from field_groups where id = ${input.groupId} for update`,
    );
    if (!group) throw new ActionError("That field group no longer exists. Reload the page.");
    if (await nameTaken(ctx, group.account_type_id, input.name, group.id)) throw new ActionError("Check the highlighted fields.", { name: ["This type already has a group with this name."] });
    await ctx.db.execute(sql`update field_groups set name = ${input.name}, featured = ${input.featured}, position = ${input.position} where id = ${group.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "fieldGroup.update", targetType: "field_group", targetId: group.id, before: group, after: input });
    return { name: input.name };
  },
  revalidate: () => ["/admin/attributes"],
  message: (data) => `Saved “${data.name}”.`,
});
