import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalIdField, textField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { attributeInputValue, DATA_TYPES, parseAttributeInput, sameValue, type AttributeDataType } from "@/lib/attributes/values";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { rows } from "@/lib/ingest/resolve";
import { lockHierarchy } from "@/lib/rollups/locks";
import { rebuildAttributeRollups } from "@/lib/rollups/rebuild";

/**
 * Attribute definitions per account type, as admins define them at /admin/attributes. An attribute
 * with values is archived, never deleted: it leaves profiles and forms, and its values and change
 * history stay. A data type change converts every stored value or is refused, saying how many would
 * not convert. A change that moves rollups (rule, source key, type of a source, archiving) rebuilds
 * that key's attribute_rollups in the same transaction, under the exclusive hierarchy lock.
 */

export const ROLLUP_RULES = ["none", "sum", "avg", "min", "max", "count"] as const;

export type AttributeDefinitionRow = {
  id: string;
  accountTypeId: string;
  key: string;
  label: string;
  dataType: string;
  options: string[] | null;
  groupId: string | null;
  position: number;
  keyInfo: boolean;
  privileged: boolean;
  rollupRule: string;
  rollupSourceKey: string | null;
  archived: boolean;
  values: number;
};

type DefinitionRecord = {
  id: string;
  account_type_id: string;
  key: string;
  label: string;
  data_type: string;
  options: string[] | null;
  group_id: string | null;
  position: number;
  key_info: boolean;
  privileged: boolean;
  rollup_rule: string;
  rollup_source_key: string | null;
  deleted_at: Date | null;
};

/** Definitions of one type (or all), archived ones last, with how many accounts hold a value. */
export async function listAttributeDefinitions(ctx: Ctx, typeId?: string): Promise<AttributeDefinitionRow[]> {
  const found = await rows<DefinitionRecord & { values: number }>(
    ctx.db,
    sql`select d.*, (select count(*)::int from attribute_values v where v.attribute_id = d.id and v.value is not null and v.value <> 'null'::jsonb) as values
        from attribute_definitions d ${typeId ? sql`where d.account_type_id = ${typeId}` : sql``}
        order by d.deleted_at is not null, d.position, d.label`,
  );
  return found.map((d) => ({
    id: d.id,
    accountTypeId: d.account_type_id,
    key: d.key,
    label: d.label,
    dataType: d.data_type,
    options: d.options,
    groupId: d.group_id,
    position: d.position,
    keyInfo: d.key_info,
    privileged: d.privileged,
    rollupRule: d.rollup_rule,
    rollupSourceKey: d.rollup_source_key,
    archived: d.deleted_at !== null,
    values: Number(d.values),
  }));
}

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());
const dataTypeField = z.enum(DATA_TYPES.map((t) => t.value) as [AttributeDataType, ...AttributeDataType[]], { error: "Pick a data type." });
const optionsField = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\n,]/).map((o) => o.trim()).filter(Boolean) : v),
  z.array(z.string().max(200, "Keep each option under 200 characters.")).max(200, "Use at most 200 options."),
);

const definitionFields = {
  label: textField("a label", 80),
  dataType: dataTypeField,
  options: optionsField.optional(),
  groupId: optionalIdField("Unknown field group."),
  position: z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Use 0 or more.").max(10_000, "Use at most 10,000."),
  keyInfo: checkbox,
  privileged: checkbox,
  rollupRule: z.enum(ROLLUP_RULES, { error: "Pick a rollup rule." }),
  rollupSourceKey: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim().toLowerCase() : v), z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, "Use the key of an attribute of the types below (lowercase letters, digits, underscores).").optional()),
};

type DefinitionInput = {
  label: string;
  dataType: AttributeDataType;
  options?: string[];
  groupId?: string;
  position: number;
  keyInfo: boolean;
  privileged: boolean;
  rollupRule: (typeof ROLLUP_RULES)[number];
  rollupSourceKey?: string;
};

/** Field errors for rules zod cannot see alone: options of selects, the group's type. */
async function checkDefinition(ctx: Ctx, typeId: string, input: DefinitionInput): Promise<void> {
  const isSelect = input.dataType === "select" || input.dataType === "multi_select";
  if (isSelect && !input.options?.length) throw new ActionError("Check the highlighted fields.", { options: ["List the options, one per line or separated by commas."] });
  if (input.rollupRule !== "none" && !["number", "currency", "percent"].includes(input.dataType) && input.rollupRule !== "count") {
    throw new ActionError("Check the highlighted fields.", { rollupRule: ["Sum, average, minimum and maximum need a number, currency or percent attribute; use Count or None."] });
  }
  if (input.groupId) {
    const [group] = await rows<{ id: string }>(ctx.db, sql`select id from field_groups where id = ${input.groupId} and account_type_id = ${typeId}`);
    if (!group) throw new ActionError("Check the highlighted fields.", { groupId: ["That field group belongs to another account type (or no longer exists)."] });
  }
}

/** Rebuilds the attribute rollups of these source keys (and drops keys no longer rolled up). */
async function rebuildRollupsFor(ctx: Ctx, keys: (string | null | undefined)[]): Promise<void> {
  const wanted = [...new Set(keys.filter((k): k is string => Boolean(k)))];
  if (wanted.length) await rebuildAttributeRollups(ctx.db, wanted);
}

export const createAttribute = actionDefinition({
  name: "createAttribute",
  schema: z.object({
    accountTypeId: idField("Pick an account type."),
    key: z.string({ error: "Enter a key." }).trim().toLowerCase().regex(/^[a-z][a-z0-9_]{1,59}$/, "Use 2–60 lowercase letters, digits or underscores, starting with a letter."),
    ...definitionFields,
  }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [type] = await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from account_types where id = ${input.accountTypeId}`);
    if (!type) throw new ActionError("Check the highlighted fields.", { accountTypeId: ["That account type no longer exists."] });
    await checkDefinition(ctx, type.id, input);
    const [existing] = await rows<{ deleted_at: Date | null }>(ctx.db, sql`select deleted_at from attribute_definitions where account_type_id = ${type.id} and key = ${input.key}`);
    if (existing) {
      throw new ActionError("Check the highlighted fields.", {
        key: [existing.deleted_at ? `An archived ${type.name} attribute has this key: restore it instead.` : `${type.name} already has an attribute with this key.`],
      });
    }
    const rolls = input.rollupRule !== "none";
    if (rolls) await lockHierarchy(ctx.db);
    const sourceKey = rolls ? (input.rollupSourceKey ?? input.key) : null;
    const [created] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into attribute_definitions (account_type_id, key, label, data_type, options, group_id, position, key_info, privileged, rollup_rule, rollup_source_key)
          values (${type.id}, ${input.key}, ${input.label}, ${input.dataType}, ${input.options?.length ? JSON.stringify(input.options) : null}::jsonb, ${input.groupId ?? null},
            ${input.position}, ${input.keyInfo}, ${input.privileged}, ${input.rollupRule}, ${sourceKey}) returning id`,
    );
    if (rolls) await rebuildRollupsFor(ctx, [sourceKey]);
    await recordAudit(ctx.db, ctx.viewer, { action: "attribute.create", targetType: "attribute_definition", targetId: created.id, after: { type: type.name, ...input } });
    return { id: created.id, label: input.label };
  },
  revalidate: () => ["/admin/attributes"],
  message: (data) => `Attribute “${data.label}” created.`,
});

async function definitionById(ctx: Ctx, id: string): Promise<DefinitionRecord> {
  const [d] = await rows<DefinitionRecord>(ctx.db, sql`select * from attribute_definitions where id = ${id} for update`);
  if (!d) throw new ActionError("That attribute no longer exists. Reload the page.");
  return d;
}

/**
 * Converts every stored value of the attribute to `dataType` (through the text a form would show),
 * or refuses, saying how many values would not convert. Changed values are written with a change
 * row each (source "data_model"), so the history says why they changed.
 */
async function convertValues(ctx: Ctx, definition: DefinitionRecord, dataType: AttributeDataType, options: string[] | undefined): Promise<number> {
  const values = await rows<{ account_id: string; value: unknown }>(
    ctx.db,
    sql`select account_id, value from attribute_values where attribute_id = ${definition.id} and value is not null and value <> 'null'::jsonb for update`,
  );
  const converted: { accountId: string; from: unknown; to: unknown }[] = [];
  let failed = 0;
  let example = "";
  for (const v of values) {
    const parsed = parseAttributeInput({ key: definition.key, label: definition.label, dataType, options }, attributeInputValue(definition.data_type, v.value));
    if (!parsed.ok) {
      failed++;
      example ||= attributeInputValue(definition.data_type, v.value);
    } else if (!sameValue(parsed.value, v.value)) converted.push({ accountId: v.account_id, from: v.value, to: parsed.value });
  }
  if (failed) {
    const label = DATA_TYPES.find((t) => t.value === dataType)?.label ?? dataType;
    const message = `${failed.toLocaleString("en-US")} of ${values.length.toLocaleString("en-US")} stored value${values.length === 1 ? "" : "s"} would not convert to ${label} (e.g. “${example.slice(0, 60)}”). Fix or clear them first.`;
    throw new ActionError(message, { dataType: [message] });
  }
  for (const c of converted) {
    await ctx.db.execute(sql`update attribute_values set value = ${JSON.stringify(c.to)}::jsonb, version = version + 1, updated_by = ${ctx.viewer.userId}, updated_at = now()
      where account_id = ${c.accountId} and attribute_id = ${definition.id}`);
    await ctx.db.execute(sql`insert into attribute_changes (account_id, attribute_id, old_value, new_value, changed_by, source)
      values (${c.accountId}, ${definition.id}, ${JSON.stringify(c.from)}::jsonb, ${JSON.stringify(c.to)}::jsonb, ${ctx.viewer.userId}, 'data_model')`);
  }
  return converted.length;
}

export const updateAttribute = actionDefinition({
  name: "updateAttribute",
  schema: z.object({ attributeId: idField("Unknown attribute."), ...definitionFields }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    // Rollups may move: no upkeep may run between the rebuild and commit.
    await lockHierarchy(ctx.db);
    const before = await definitionById(ctx, input.attributeId);
    await checkDefinition(ctx, before.account_type_id, input);
    const converted = before.data_type !== input.dataType || (input.options && JSON.stringify(input.options) !== JSON.stringify(before.options)) ? await convertValues(ctx, before, input.dataType, input.options) : 0;
    const sourceKey = input.rollupRule !== "none" ? (input.rollupSourceKey ?? before.rollup_source_key ?? before.key) : null;
    await ctx.db.execute(sql`update attribute_definitions set label = ${input.label}, data_type = ${input.dataType},
      options = ${input.options?.length ? JSON.stringify(input.options) : null}::jsonb, group_id = ${input.groupId ?? null}, position = ${input.position},
      key_info = ${input.keyInfo}, privileged = ${input.privileged}, rollup_rule = ${input.rollupRule}, rollup_source_key = ${sourceKey}
      where id = ${before.id}`);
    const rollupsMove = before.rollup_rule !== input.rollupRule || before.rollup_source_key !== sourceKey || (before.rollup_rule === "none" && before.data_type !== input.dataType);
    if (rollupsMove) await rebuildRollupsFor(ctx, [before.rollup_source_key, sourceKey, before.rollup_rule === "none" ? before.key : null]);
    await recordAudit(ctx.db, ctx.viewer, {
      action: "attribute.update",
      targetType: "attribute_definition",
      targetId: before.id,
      before: { label: before.label, dataType: before.data_type, rollupRule: before.rollup_rule, rollupSourceKey: before.rollup_source_key },
      after: { ...input, rollupSourceKey: sourceKey },
      details: { convertedValues: converted, rollupsRebuilt: rollupsMove },
    });
    return { label: input.label, converted };
  },
  revalidate: () => ["/admin/attributes"],
  message: (data) => `Saved “${data.label}”${data.converted ? ` (${data.converted} value${data.converted === 1 ? "" : "s"} converted)` : ""}.`,
});

/**
 * Archives an attribute that has values or history (it leaves profiles and forms; values and
 * history stay); deletes one that never held a value.
 */
export async function archiveAttributeDefinition(ctx: Ctx, attributeId: string): Promise<{ label: string; archived: boolean }> {
  await lockHierarchy(ctx.db);
  const d = await definitionById(ctx, attributeId);
  if (d.deleted_at) return { label: d.label, archived: true };
  const [{ n }] = await rows<{ n: number }>(
    ctx.db,
    sql`select ((select count(*) from attribute_values where attribute_id = ${d.id}) + (select count(*) from attribute_changes where attribute_id = ${d.id}))::int as n`,
  );
  const archived = n > 0;
  if (archived) await ctx.db.execute(sql`update attribute_definitions set deleted_at = now() where id = ${d.id}`);
  else await ctx.db.execute(sql`delete from attribute_definitions where id = ${d.id}`);
  await rebuildRollupsFor(ctx, [d.rollup_source_key, d.rollup_rule === "none" ? d.key : null]);
  await recordAudit(ctx.db, ctx.viewer, { action: archived ? "attribute.archive" : "attribute.delete", targetType: "attribute_definition", targetId: d.id, before: { key: d.key, label: d.label } });
  return { label: d.label, archived };
}

export const archiveAttribute = actionDefinition({
  name: "archiveAttribute",
  schema: z.object({ attributeId: idField("Unknown attribute.") }),
  authorize: requires("dataModel.manage"),
  run: (ctx, input) => archiveAttributeDefinition(ctx, input.attributeId),
  revalidate: () => ["/admin/attributes"],
  message: (data) => (data.archived ? `Archived “${data.label}”: it left profiles and forms; its values and history are kept.` : `Deleted “${data.label}” (it never held a value).`),
});

export const restoreAttribute = actionDefinition({
  name: "restoreAttribute",
  schema: z.object({ attributeId: idField("Unknown attribute.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    await lockHierarchy(ctx.db);
    const d = await definitionById(ctx, input.attributeId);
    await ctx.db.execute(sql`update attribute_definitions set deleted_at = null where id = ${d.id}`);
    await rebuildRollupsFor(ctx, [d.rollup_source_key, d.rollup_rule === "none" ? d.key : null]);
    await recordAudit(ctx.db, ctx.viewer, { action: "attribute.restore", targetType: "attribute_definition", targetId: d.id });
    return { label: d.label };
  },
  revalidate: () => ["/admin/attributes"],
  message: (data) => `Restored “${data.label}”.`,
});
