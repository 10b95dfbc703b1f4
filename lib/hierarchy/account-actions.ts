import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalIdField, textField } from "@/lib/actions/fields";
import { NOT_FOUND_MESSAGE } from "@/lib/activity/permissions";
import { may, refusal, type Capability } from "@/lib/auth/permissions";
import { findAccount, findArchivedAccount, type AccountSummary } from "@/lib/dal/accounts";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { uuidArray } from "@/lib/rollups/sql";
import { archiveAccount, createAccount, deleteAccount, moveAccount, renameAccount, restoreAccount } from "./accounts";
import { mergeAccounts } from "./merge";
import { loadAccountType, withArticle } from "./rules";

/*
 * The profile's account management (/accounts/<id>/manage): rename, move, create a sub-account,
 * archive, delete. Each checks its capability and that the account is visible, then calls the
 * hierarchy writer (lib/hierarchy/accounts.ts), which keeps closure, paths and every rollup.
 */

async function authorizeOn(ctx: Ctx, capability: Capability, accountId: string): Promise<true | string> {
  if (!may(ctx.viewer, capability)) return refusal(ctx.viewer, capability);
  return (await findAccount(ctx, accountId)) ? true : NOT_FOUND_MESSAGE;
}

export const renameAccountAction = actionDefinition({
  name: "renameAccount",
  schema: z.object({ accountId: idField("Unknown account."), name: textField("a name", 200) }),
  authorize: (ctx, input) => authorizeOn(ctx, "accounts.edit", input.accountId),
  run: (ctx, input) => renameAccount(ctx, input.accountId, input.name),
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => `Renamed to ${data.name}.`,
});

export const moveAccountAction = actionDefinition({
  name: "moveAccount",
  schema: z.object({ accountId: idField("Unknown account."), parentId: optionalIdField("Choose a parent account.") }),
  authorize: (ctx, input) => authorizeOn(ctx, "accounts.edit", input.accountId),
  run: (ctx, input) => moveAccount(ctx, input.accountId, input.parentId ?? null),
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => `Moved, with ${data.accountsMoved - 1} sub-account${data.accountsMoved === 2 ? "" : "s"}.`,
});

export const createSubAccountAction = actionDefinition({
  name: "createSubAccount",
  schema: z.object({ parentId: idField("Unknown account."), typeId: idField("Choose an account type."), name: textField("a name", 200) }),
  authorize: (ctx, input) => authorizeOn(ctx, "accounts.create", input.parentId),
  run: (ctx, input) => createAccount(ctx, { name: input.name, typeId: input.typeId, parentId: input.parentId }),
  revalidate: (input) => [`/accounts/${input.parentId}`],
  message: () => "Sub-account created.",
});

export const archiveAccountAction = actionDefinition({
  name: "archiveAccount",
  schema: z.object({ accountId: idField("Unknown account."), confirm: z.literal("on", { error: "Tick the box to confirm." }) }),
  authorize: (ctx, input) => authorizeOn(ctx, "accounts.archive", input.accountId),
  run: (ctx, input) => archiveAccount(ctx, input.accountId),
  revalidate: (input) => [`/accounts/${input.accountId}`, "/accounts", "/"],
  message: (data) => `Archived ${data.archived} account${data.archived === 1 ? "" : "s"}.`,
});

export const restoreAccountAction = actionDefinition({
  name: "restoreAccount",
  schema: z.object({ accountId: idField("Unknown account.") }),
  // The account is archived: findAccount hides it, findArchivedAccount finds it (same visibility rule).
  authorize: async (ctx, input) => {
    if (!may(ctx.viewer, "accounts.archive")) return refusal(ctx.viewer, "accounts.archive");
    return (await findArchivedAccount(ctx, input.accountId)) ? true : NOT_FOUND_MESSAGE;
  },
  run: (ctx, input) => restoreAccount(ctx, input.accountId),
  revalidate: (input) => [`/accounts/${input.accountId}`, "/accounts", "/"],
  message: (data) => (data.restored > 1 ? `Restored, with ${data.restored - 1} sub-account${data.restored === 2 ? "" : "s"}.` : "Restored."),
});

/** Merges a duplicate (`mergedId`, same type) into this account (`accountId`, the one kept). */
export const mergeAccountsAction = actionDefinition({
  name: "mergeAccounts",
  schema: z.object({ accountId: idField("Unknown account."), mergedId: idField("Choose the duplicate account."), confirm: z.literal("on", { error: "Tick the box to confirm the merge." }) }),
  authorize: (ctx, input) => authorizeOn(ctx, "accounts.merge", input.accountId),
  run: (ctx, input) => mergeAccounts(ctx, input.accountId, input.mergedId),
  revalidate: (input) => [`/accounts/${input.accountId}`, `/accounts/${input.mergedId}`, "/accounts", "/"],
  message: (data) => `Merged ${data.mergedName} into this account.`,
});

export const deleteAccountAction = actionDefinition({
  name: "deleteAccount",
  schema: z.object({ accountId: idField("Unknown account.") }),
  authorize: (ctx, input) => authorizeOn(ctx, "accounts.delete", input.accountId),
  run: (ctx, input) => deleteAccount(ctx, input.accountId),
  revalidate: () => ["/accounts", "/"],
  message: () => "Account deleted.",
});

export type PlacementOptions = {
  /** "A Product can sit under a Region or Line of business." */
  rule: string;
  parents: { id: string; label: string }[];
  /** Types a sub-account of this account may have. */
  childTypes: { id: string; name: string }[];
  subAccounts: number;
  /** Rows that go with a delete: touchpoints, tasks, contracts, tickets, usage events... */
  records: number;
};

/**
 * What the manage page offers: only parents the rules allow (the type's allowed parent types,
 * never an opportunity, never the account's own subtree or its current parent), visible to the
 * viewer; the types a sub-account may have here; and what a delete would take with it.
 */
export async function placementOptions(ctx: Ctx, account: AccountSummary): Promise<PlacementOptions> {
  const type = await loadAccountType(ctx.db, { typeId: account.typeId });
  const parentTypeIds = type?.parents.map((p) => p.id) ?? [];
  const names = type?.parents.map((p) => p.name) ?? [];
  const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const rule = !type
    ? ""
    : names.length
      ? sentence(`${withArticle(type.name)} can sit under ${withArticle(names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}` : names[0])}.`)
      : sentence(`${withArticle(type.name)} is a top-level account type: it has no parent.`);
  const [parents, childTypes, counts] = await Promise.all([
    parentTypeIds.length
      ? ctx.db.execute<{ id: string; name: string; type_name: string; depth: number }>(sql`
          select a.id, a.name, t.name as type_name, a.depth from accounts a join account_types t on t.id = a.type_id
          where a.archived_at is null and not t.is_opportunity
            and a.type_id in (${sql.join(parentTypeIds.map((id) => sql`${id}::uuid`), sql`, `)})
            and a.id is distinct from ${account.parentId}::uuid
            and not exists (select 1 from account_closure c where c.ancestor_id = ${account.id} and c.descendant_id = a.id)
            and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
          order by a.path || a.id limit 500`)
      : Promise.resolve({ rows: [] as { id: string; name: string; type_name: string; depth: number }[] }),
    account.isOpportunity
      ? Promise.resolve({ rows: [] as { id: string; name: string }[] })
      : ctx.db.execute<{ id: string; name: string }>(sql`
          select t.id, t.name from account_type_parents p join account_types t on t.id = p.child_type_id
          where p.parent_type_id = ${account.typeId} order by t.level, t.name`),
    ctx.db.execute<{ sub_accounts: number; records: number }>(sql`select
      (select count(*)::int from accounts where parent_id = ${account.id}) as sub_accounts,
      ((select count(*) from touchpoints where account_id = ${account.id}) + (select count(*) from tasks where account_id = ${account.id})
        + (select count(*) from contracts where account_id = ${account.id}) + (select count(*) from support_tickets where account_id = ${account.id})
        + (select count(*) from usage_events where account_id = ${account.id}) + (select count(*) from assets where account_id = ${account.id})
        + (select count(*) from timeline_entries where account_id = ${account.id}))::int as records`),
  ]);
  return {
    rule,
    parents: parents.rows.map((r) => ({ id: r.id, label: `${"\u2003".repeat(r.depth)}${r.name} (${r.type_name})` })),
    childTypes: childTypes.rows,
    subAccounts: Number(counts.rows[0].sub_accounts),
    records: Number(counts.rows[0].records),
  };
}

/**
 * Accounts the manage page offers to merge into `account`: same type, live, visible, not in its
 * own chain (above or below it); labelled with their parent so two namesakes can be told apart.
 */
export async function mergeCandidates(ctx: Ctx, account: AccountSummary): Promise<{ id: string; label: string }[]> {
  const found = await ctx.db.execute<{ id: string; name: string; parent_name: string | null }>(sql`
    select a.id, a.name, p.name as parent_name from accounts a left join accounts p on p.id = a.parent_id
    where a.type_id = ${account.typeId} and a.archived_at is null and a.id <> ${account.id}
      and not (a.id = any(${uuidArray(account.path)}))
      and not exists (select 1 from account_closure c where c.ancestor_id = ${account.id} and c.descendant_id = a.id)
      and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
    order by a.name, p.name limit 500`);
  return found.rows.map((r) => ({ id: r.id, label: r.parent_name ? `${r.name} (under ${r.parent_name})` : r.name }));
}
