import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ActionError } from "@/lib/actions/define";
import { may, refusal, type Capability } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";

/*
 * The placement rules of the hierarchy, in one place:
 * - a type with no allowed parents (no `account_type_parents` row) is a root type: its accounts
 *   have no parent;
 * - a type with allowed parents sits under an account of one of those types;
 * - an Opportunity is never a parent, whatever the table says;
 * - an account never moves under itself or under one of its own sub-accounts.
 * Every refusal is an ActionError: a sentence for the user, and nothing is written.
 */

export type AccountTypeInfo = {
  id: string;
  key: string;
  name: string;
  isOpportunity: boolean;
  /** Names and ids of the types its accounts may sit under. */
  parents: { id: string; name: string }[];
};

type TypeRow = { id: string; key: string; name: string; is_opportunity: boolean; parents: { id: string; name: string }[] | null };

/** One account type by id or key, with its allowed parent types; null when there is none. */
export async function loadAccountType(db: Executor, by: { typeId?: string | null; typeKey?: string | null }): Promise<AccountTypeInfo | null> {
  const condition = by.typeId ? sql`t.id::text = ${by.typeId}` : by.typeKey ? sql`t.key = ${by.typeKey}` : null;
  if (!condition) return null;
  const result = await db.execute(sql`
    select t.id, t.key, t.name, t.is_opportunity,
      (select json_agg(json_build_object('id', p.id, 'name', p.name) order by p.level, p.name)
         from account_type_parents tp join account_types p on p.id = tp.parent_type_id
        where tp.child_type_id = t.id) as parents
    from account_types t where ${condition} limit 1`);
  const row = (result as unknown as { rows: TypeRow[] }).rows[0];
  if (!row) return null;
  return { id: row.id, key: row.key, name: row.name, isOpportunity: row.is_opportunity, parents: row.parents ?? [] };
}

/** "a Product", "an Opportunity". */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? "an" : "a"} ${name}`;
}

/** Capitalises the first letter, for messages that start with "a …". */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function orList(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export type ParentCandidate = { id: string; name: string; typeId: string; typeName: string; isOpportunity: boolean };

/** Throws a user-facing ActionError when an account of `type` may not sit under `parent` (null: at the top). */
export function assertPlacement(type: AccountTypeInfo, parent: ParentCandidate | null, field = "parentId"): void {
  if (!parent) {
    if (type.parents.length) {
      throw new ActionError(
        sentence(`${withArticle(type.name)} account must sit under ${withArticle(orList(type.parents.map((p) => p.name)))}.`),
        { [field]: ["Choose a parent account."] },
      );
    }
    return;
  }
  if (parent.isOpportunity) {
    throw new ActionError(`${parent.name} is an opportunity, and an opportunity can never have sub-accounts.`, {
      [field]: ["An opportunity cannot be a parent."],
    });
  }
  if (!type.parents.length) {
    throw new ActionError(sentence(`${withArticle(type.name)} is a top-level account type: it cannot sit under ${parent.name}.`), {
      [field]: [`${type.name} accounts have no parent.`],
    });
  }
  if (!type.parents.some((p) => p.id === parent.typeId)) {
    throw new ActionError(
      sentence(`${withArticle(type.name)} can sit under ${withArticle(orList(type.parents.map((p) => p.name)))}, not under ${withArticle(parent.typeName)} (${parent.name}).`),
      { [field]: [`Not an allowed parent for ${withArticle(type.name)}.`] },
    );
  }
}

/** The viewer's role grants `capability` (lib/auth/permissions.ts), or a refusal is thrown. */
export function assertMay(ctx: Ctx, capability: Capability): void {
  if (!may(ctx.viewer, capability)) throw new ActionError(refusal(ctx.viewer, capability));
}
