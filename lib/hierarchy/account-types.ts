import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { accountTypeParents, accountTypes } from "@/db/schema";
import { recordAudit } from "@/lib/admin/audit";
import { ActionError, assertMay } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, idListField } from "@/lib/actions/fields";
import { may, requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { lockHierarchy } from "@/lib/rollups/locks";
import { uuidArray } from "@/lib/rollups/sql";
import { withArticle } from "./rules";

export type AccountTypeRow = {
  id: string;
  key: string;
  name: string;
  pluralName: string;
  level: number;
  isOpportunity: boolean;
  assetLimitMb: number;
  /** Live (non-archived) accounts of this type. */
  accounts: number;
  parentTypeIds: string[];
};

/** Every account type with its allowed parents and how many accounts it has (admins only). */
export async function listAccountTypesWithParents(ctx: Ctx): Promise<AccountTypeRow[]> {
  if (!may(ctx.viewer, "accountTypes.manage")) return [];
  const [types, links, counts] = await Promise.all([
    ctx.db.select().from(accountTypes).orderBy(asc(accountTypes.level), asc(accountTypes.name)),
    ctx.db.select().from(accountTypeParents),
    ctx.db.execute(sql`select type_id, count(*)::int as n from accounts where archived_at is null group by type_id`),
  ]);
  const countByType = new Map((counts as unknown as { rows: { type_id: string; n: number }[] }).rows.map((r) => [r.type_id, Number(r.n)]));
  return types.map((t) => ({
    id: t.id,
    key: t.key,
    name: t.name,
    pluralName: t.pluralName,
    level: t.level,
    isOpportunity: t.isOpportunity,
    assetLimitMb: t.assetLimitMb,
    accounts: countByType.get(t.id) ?? 0,
    parentTypeIds: links.filter((l) => l.childTypeId === t.id).map((l) => l.parentTypeId),
  }));
}

/** The chosen parent types, refusing unknown ones and any Opportunity type (never a parent). */
async function checkParentTypes(ctx: Ctx, parentTypeIds: readonly string[]) {
  const unique = [...new Set(parentTypeIds)];
  if (!unique.length) return [];
  const found = await ctx.db.select().from(accountTypes).where(inArray(accountTypes.id, unique));
  if (found.length !== unique.length) {
    throw new ActionError("One of the chosen parent types no longer exists. Reload the page and try again.", {
      parentTypeIds: ["Unknown account type."],
    });
  }
  const opportunity = found.find((t) => t.isOpportunity);
  if (opportunity) {
    throw new ActionError(`${opportunity.name} is the reserved opportunity type: it can never be a parent.`, {
      parentTypeIds: [`${opportunity.name} cannot be a parent.`],
    });
  }
  return found;
}

/**
 * Sets which types the accounts of `typeId` may sit under (none: a root type). A parent type that
 * accounts of this type currently sit under cannot be removed: move those accounts first.
 */
export async function setAllowedParents(ctx: Ctx, typeId: string, parentTypeIds: readonly string[]): Promise<{ typeId: string; parents: number }> {
  assertMay(ctx, "accountTypes.manage");
  return ctx.db.transaction(async (db) => {
    const tx: Ctx = { db, viewer: ctx.viewer };
    await lockHierarchy(db);
    const [type] = await db.select().from(accountTypes).where(eq(accountTypes.id, typeId)).limit(1);
    if (!type) throw new ActionError("That account type no longer exists.");
    const parents = await checkParentTypes(tx, parentTypeIds);
    const wanted = new Set(parents.map((p) => p.id));
    const current = await db.select().from(accountTypeParents).where(eq(accountTypeParents.childTypeId, type.id));
    const removed = current.map((c) => c.parentTypeId).filter((id) => !wanted.has(id));
    if (removed.length) {
      const inUse = await db.execute(sql`
        select pt.name, count(*)::int as n
        from accounts a join accounts p on p.id = a.parent_id join account_types pt on pt.id = p.type_id
        where a.type_id = ${type.id} and a.archived_at is null and p.type_id = any(${uuidArray(removed)})
        group by pt.name order by pt.name`);
      const rows = (inUse as unknown as { rows: { name: string; n: number }[] }).rows;
      if (rows.length) {
        const { name, n } = rows[0];
        throw new ActionError(
          `${n} ${n === 1 ? type.name : type.pluralName} ${n === 1 ? "sits" : "sit"} under ${withArticle(name)}: move ${n === 1 ? "it" : "them"} before removing ${name} as an allowed parent.`,
          { parentTypeIds: [`${name} is still in use as a parent.`] },
        );
      }
    }
    await db.delete(accountTypeParents).where(eq(accountTypeParents.childTypeId, type.id));
    if (parents.length) await db.insert(accountTypeParents).values(parents.map((p) => ({ childTypeId: type.id, parentTypeId: p.id })));
    await recordAudit(db, ctx.viewer, {
      action: "account_type.set_parents",
      targetType: "account_type",
      targetId: type.id,
      before: current.map((c) => c.parentTypeId),
      after: parents.map((p) => p.id),
    });
    return { typeId: type.id, parents: parents.length };
  });
}

export type NewAccountType = {
  key: string;
  name: string;
  pluralName: string;
  level: number;
  assetLimitMb: number;
  parentTypeIds: readonly string[];
};

/** Creates an account type (never an Opportunity type: that one is reserved and exists already). */
export async function createAccountType(ctx: Ctx, input: NewAccountType): Promise<{ id: string }> {
  assertMay(ctx, "accountTypes.manage");
  return ctx.db.transaction(async (db) => {
    const tx: Ctx = { db, viewer: ctx.viewer };
    const clash = await db
      .select({ key: accountTypes.key, name: accountTypes.name })
      .from(accountTypes)
      .where(sql`${accountTypes.key} = ${input.key} or lower(${accountTypes.name}) = lower(${input.name})`);
    const fieldErrors: Record<string, string[]> = {};
    if (clash.some((c) => c.key === input.key)) fieldErrors.key = ["Another account type already uses this key."];
    if (clash.some((c) => c.name.toLowerCase() === input.name.toLowerCase())) fieldErrors.name = ["Another account type already has this name."];
    if (Object.keys(fieldErrors).length) throw new ActionError("Check the highlighted fields.", fieldErrors);
    const parents = await checkParentTypes(tx, input.parentTypeIds);
    const [created] = await db
      .insert(accountTypes)
      .values({ key: input.key, name: input.name, pluralName: input.pluralName, level: input.level, assetLimitMb: input.assetLimitMb })
      .returning({ id: accountTypes.id });
    if (parents.length) await db.insert(accountTypeParents).values(parents.map((p) => ({ childTypeId: created.id, parentTypeId: p.id })));
    await recordAudit(db, ctx.viewer, {
      action: "account_type.create",
      targetType: "account_type",
      targetId: created.id,
      details: { key: input.key, name: input.name, parents: parents.map((p) => p.id) },
    });
    return { id: created.id };
  });
}

/** Checkbox groups arrive as nothing, one string or several: always an array of ids. */
const typeIds = idListField("Unknown account type.", 50);

/** The admin page's forms (app/admin/account-types/actions.ts). */
export const accountTypeActions = {
  setAllowedParents: actionDefinition({
    name: "setAllowedParents",
    schema: z.object({ typeId: idField("Unknown account type."), parentTypeIds: typeIds }),
    authorize: requires("accountTypes.manage"),
    run: (ctx, input) => setAllowedParents(ctx, input.typeId, input.parentTypeIds),
    revalidate: () => ["/admin/account-types"],
    message: (data) => (data.parents ? `Saved: ${data.parents} allowed parent type${data.parents === 1 ? "" : "s"}.` : "Saved: a top-level type (no parent)."),
  }),
  create: actionDefinition({
    name: "createAccountType",
    schema: z.object({
      key: z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z][a-z0-9_]{1,39}$/, "Use 2–40 lowercase letters, digits or underscores, starting with a letter."),
      name: z.string().trim().min(1, "Enter a name.").max(60, "Use at most 60 characters."),
      pluralName: z.string().trim().min(1, "Enter the plural name.").max(60, "Use at most 60 characters."),
      level: z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(0, "Use 0 (the top) or more.").max(20, "Use a level up to 20."),
      assetLimitMb: z.coerce
        .number({ error: "Enter a number of megabytes." })
        .int("Enter a whole number of megabytes.")
        .min(1, "At least 1 MB.")
        .max(100, "Uploads are capped at 100 MB."),
      parentTypeIds: typeIds,
    }),
    authorize: requires("accountTypes.manage"),
    run: (ctx, input) => createAccountType(ctx, input),
    revalidate: () => ["/admin/account-types"],
    message: () => "Account type created.",
  }),
};
