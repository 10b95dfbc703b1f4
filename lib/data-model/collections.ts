import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { CollectionColumn } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalIdField, textField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { rows } from "@/lib/ingest/resolve";

/**
 * Collections (admin-defined tables of related records shown by the Collection widget) and account
 * groups (picked on the company-profile form), as admins define them at /admin/collections.
 * A collection is deleted only while it holds no records; an account group only while no account
 * is in it (the refusal says how many), so nothing recorded on an account disappears silently.
 * Editing columns keeps every record's stored values: a removed or re-keyed column is only no longer shown.
 */

export const COLUMN_TYPES = ["text", "number", "currency", "date"] as const;
export type CollectionRow = { id: string; key: string; name: string; accountTypeId: string | null; accountTypeName: string | null; columns: CollectionColumn[]; records: number };
export type AccountGroupRow = { id: string; name: string; accounts: number };

export async function listCollections(ctx: Ctx): Promise<CollectionRow[]> {
  const found = await rows<{ id: string; key: string; name: string; account_type_id: string | null; type_name: string | null; columns: CollectionColumn[]; records: number }>(
    ctx.db,
    sql`select c.id, c.key, c.name, c.account_type_id, t.name as type_name, c.columns,
          (select count(*)::int from collection_records r where r.collection_id = c.id) as records
        from collections c left join account_types t on t.id = c.account_type_id order by c.name`,
  );
  return found.map((c) => ({ id: c.id, key: c.key, name: c.name, accountTypeId: c.account_type_id, accountTypeName: c.type_name, columns: c.columns, records: Number(c.records) }));
}

/** The collections an account of this type shows: those for its type and those for every type. */
export async function collectionsForAccountType(ctx: Ctx, accountTypeId: string): Promise<{ key: string; name: string }[]> {
  return rows<{ key: string; name: string }>(ctx.db, sql`select key, name from collections where account_type_id is null or account_type_id = ${accountTypeId} order by name`);
}

export async function listAccountGroups(ctx: Ctx): Promise<AccountGroupRow[]> {
  const found = await rows<{ id: string; name: string; accounts: number }>(
    ctx.db,
    sql`select g.id, g.name, (select count(*)::int from account_group_members m where m.group_id = g.id) as accounts from account_groups g order by g.name`,
  );
  return found.map((g) => ({ ...g, accounts: Number(g.accounts) }));
}

/** Account types for the "Shown on" picker, top of the hierarchy first. */
export async function accountTypeChoices(ctx: Ctx): Promise<{ id: string; name: string }[]> {
  return rows<{ id: string; name: string }>(ctx.db, sql`select id, name from account_types order by level, name`);
}

const keyField = z
  .string({ error: "Enter a key." })
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, "Use 2–40 lowercase letters, digits or underscores, starting with a letter.");

/**
 * Columns as typed in the form: one a line, `key | Label | type` (type one of text, number,
 * currency, date; text when left out). Every problem is reported with its line number.
 */
export function parseColumns(text: string): { columns: CollectionColumn[]; problems: string[] } {
  const columns: CollectionColumn[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  lines.forEach((line, i) => {
    if (!line) return;
    const [rawKey = "", rawLabel = "", rawType = "text", ...rest] = line.split("|").map((p) => p.trim());
    const key = rawKey.toLowerCase();
    const type = (rawType || "text").toLowerCase();
    if (rest.length) problems.push(`Line ${i + 1}: use “key | Label | type”, three parts at most.`);
    else if (!/^[a-z][a-z0-9_]{0,39}$/.test(key)) problems.push(`Line ${i + 1}: the key “${rawKey}” must be lowercase letters, digits or underscores, starting with a letter.`);
    else if (!rawLabel) problems.push(`Line ${i + 1}: give the column “${key}” a label.`);
    else if (rawLabel.length > 60) problems.push(`Line ${i + 1}: use at most 60 characters for the label.`);
    else if (!(COLUMN_TYPES as readonly string[]).includes(type)) problems.push(`Line ${i + 1}: the type must be one of ${COLUMN_TYPES.join(", ")}.`);
    else if (columns.some((c) => c.key === key)) problems.push(`Line ${i + 1}: the key “${key}” is used twice.`);
    else columns.push({ key, label: rawLabel, type: type as CollectionColumn["type"] });
  });
  if (!columns.length && !problems.length) problems.push("Give at least one column, e.g. “stage | Stage | text”.");
  if (columns.length > 20) problems.push("Use at most 20 columns.");
  return { columns, problems };
}

export const formatColumns = (columns: CollectionColumn[]) => columns.map((c) => `${c.key} | ${c.label} | ${c.type}`).join("\n");

const columnsField = z
  .string({ error: "Give at least one column." })
  .max(4000, "Use at most 4,000 characters (this has too many).")
  .transform((text, ctx) => {
    const { columns, problems } = parseColumns(text);
    for (const message of problems) ctx.addIssue({ code: "custom", message });
    return columns;
  });

async function checkAccountType(ctx: Ctx, accountTypeId: string | undefined) {
  if (!accountTypeId) return null;
  const [type] = await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from account_types where id = ${accountTypeId}`);
  if (!type) throw new ActionError("Check the highlighted fields.", { accountTypeId: ["Pick an account type from the list."] });
  return type;
}

async function collectionById(ctx: Ctx, collectionId: string) {
  const [found] = await rows<{ id: string; key: string; name: string; account_type_id: string | null; columns: CollectionColumn[] }>(
    ctx.db,
    sql`select id, key, name, account_type_id, columns from collections where id = ${collectionId} for update`,
  );
  if (!found) throw new ActionError("That collection no longer exists. Reload the page.");
  return found;
}

export const createCollection = actionDefinition({
  name: "createCollection",
  schema: z.object({ key: keyField, name: textField("a name", 60), accountTypeId: optionalIdField("Pick an account type from the list."), columns: columnsField }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from collections where key = ${input.key}`);
    if (clash) throw new ActionError("Check the highlighted fields.", { key: ["A collection already has this key."] });
    const type = await checkAccountType(ctx, input.accountTypeId);
    const [created] = await rows<{ id: string }>(
      ctx.db,
      sql`insert into collections (key, name, account_type_id, columns) values (${input.key}, ${input.name}, ${type?.id ?? null}, ${JSON.stringify(input.columns)}::jsonb) returning id`,
    );
    await recordAudit(ctx.db, ctx.viewer, { action: "collection.create", targetType: "collection", targetId: created.id, after: input });
    return { id: created.id, name: input.name };
  },
  revalidate: () => ["/admin/collections", "/admin/layouts"],
  message: (data) => `Collection “${data.name}” created; add its widget to a layout to show it.`,
});

export const updateCollection = actionDefinition({
  name: "updateCollection",
  schema: z.object({ collectionId: idField("Unknown collection."), name: textField("a name", 60), accountTypeId: optionalIdField("Pick an account type from the list."), columns: columnsField }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const before = await collectionById(ctx, input.collectionId);
    const type = await checkAccountType(ctx, input.accountTypeId);
    await ctx.db.execute(
      sql`update collections set name = ${input.name}, account_type_id = ${type?.id ?? null}, columns = ${JSON.stringify(input.columns)}::jsonb where id = ${before.id}`,
    );
    await recordAudit(ctx.db, ctx.viewer, {
      action: "collection.update",
      targetType: "collection",
      targetId: before.id,
      before: { name: before.name, accountTypeId: before.account_type_id, columns: before.columns },
      after: { name: input.name, accountTypeId: type?.id ?? null, columns: input.columns },
    });
    return { name: input.name };
  },
  revalidate: () => ["/admin/collections", "/admin/layouts"],
  message: (data) => `Saved “${data.name}”.`,
});

export const deleteCollection = actionDefinition({
  name: "deleteCollection",
  schema: z.object({ collectionId: idField("Unknown collection.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const found = await collectionById(ctx, input.collectionId);
    const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from collection_records where collection_id = ${found.id}`);
    if (Number(n) > 0) throw new ActionError(`“${found.name}” still holds ${n} record${Number(n) === 1 ? "" : "s"} on accounts; it cannot be deleted while it has any.`);
    await ctx.db.execute(sql`delete from collections where id = ${found.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "collection.delete", targetType: "collection", targetId: found.id, before: found });
    return { name: found.name };
  },
  revalidate: () => ["/admin/collections", "/admin/layouts"],
  message: (data) => `Deleted “${data.name}”.`,
});

export const createAccountGroup = actionDefinition({
  name: "createAccountGroup",
  schema: z.object({ name: textField("a name", 80) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from account_groups where lower(name) = lower(${input.name})`);
    if (clash) throw new ActionError("Check the highlighted fields.", { name: ["An account group already has this name."] });
    const [created] = await rows<{ id: string }>(ctx.db, sql`insert into account_groups (name) values (${input.name}) returning id`);
    await recordAudit(ctx.db, ctx.viewer, { action: "accountGroup.create", targetType: "account_group", targetId: created.id, after: input });
    return { id: created.id, name: input.name };
  },
  revalidate: () => ["/admin/collections"],
  message: (data) => `Account group “${data.name}” created; pick it on an account's company profile.`,
});

export const renameAccountGroup = actionDefinition({
  name: "renameAccountGroup",
  schema: z.object({ groupId: idField("Unknown account group."), name: textField("a name", 80) }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [before] = await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from account_groups where id = ${input.groupId} for update`);
    if (!before) throw new ActionError("That account group no longer exists. Reload the page.");
    const [clash] = await rows<{ id: string }>(ctx.db, sql`select id from account_groups where lower(name) = lower(${input.name}) and id <> ${before.id}`);
    if (clash) throw new ActionError("Check the highlighted fields.", { name: ["Another account group has this name."] });
    await ctx.db.execute(sql`update account_groups set name = ${input.name} where id = ${before.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "accountGroup.rename", targetType: "account_group", targetId: before.id, before: { name: before.name }, after: { name: input.name } });
    return { name: input.name };
  },
  revalidate: () => ["/admin/collections"],
  message: (data) => `Renamed to “${data.name}”.`,
});

export const deleteAccountGroup = actionDefinition({
  name: "deleteAccountGroup",
  schema: z.object({ groupId: idField("Unknown account group.") }),
  authorize: requires("dataModel.manage"),
  run: async (ctx, input) => {
    const [found] = await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from account_groups where id = ${input.groupId} for update`);
    if (!found) throw new ActionError("That account group no longer exists. Reload the page.");
    const [{ n }] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from account_group_members where group_id = ${found.id}`);
    if (Number(n) > 0) throw new ActionError(`“${found.name}” still has ${n} account${Number(n) === 1 ? "" : "s"} in it; take them out on their company profiles first.`);
    await ctx.db.execute(sql`delete from account_groups where id = ${found.id}`);
    await recordAudit(ctx.db, ctx.viewer, { action: "accountGroup.delete", targetType: "account_group", targetId: found.id, before: found });
    return { name: found.name };
  },
  revalidate: () => ["/admin/collections"],
  message: (data) => `Deleted “${data.name}”.`,
});
