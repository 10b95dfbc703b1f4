import "server-only";
import { sql } from "drizzle-orm";
import type { Ctx } from "@/lib/dal/viewer";
import { contractUpsells } from "@/lib/health/upsells";
import { afterContractsChanged } from "@/lib/rollups/own-figures";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount, visibleAccountIds } from "./resolve";
import type { ContractItem } from "./schemas";

export type ContractUpsertResult = { created: number; updated: number; contracts: { externalId: string; id: string }[] };

/**
 * Creates or updates contracts by external id. Every account whose contracts changed (a contract
 * moved to another account changes both) gets its MRR upkeep in the same transaction, so MRR and
 * ARR are right on it and every ancestor when this commits.
 */
export async function upsertContracts(ctx: Ctx, items: readonly ContractItem[], base: (string | number)[] = ["contracts"]): Promise<ContractUpsertResult> {
  const issues = new IssueList();
  const seen = new Set<string>();
  items.forEach((c, i) => {
    if (seen.has(c.externalId)) issues.add([...base, i, "externalId"], `The external id “${c.externalId}” appears twice in this request.`);
    seen.add(c.externalId);
  });
  const accounts = await accountsByExternalId(ctx, items.map((c) => c.accountExternalId));
  items.forEach((c, i) => {
    if (!accounts.has(c.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(c.accountExternalId));
  });
  issues.throwIfAny();
  // A stored contract may only be changed by a caller who may see the account it is on now.
  const stored = await rows<{ external_id: string; account_id: string; value: string }>(
    ctx.db,
    sql`select external_id, account_id, value::text as value from contracts where external_id = any(${pgArray([...seen])}::text[]) for update`,
  );
  const storedBy = new Map(stored.map((s) => [s.external_id, s]));
  const visibleIds = await visibleAccountIds(ctx, stored.map((s) => s.account_id));
  items.forEach((c, i) => {
    const s = storedBy.get(c.externalId);
    if (s && !visibleIds.has(s.account_id)) issues.add([...base, i, "externalId"], "That contract belongs to an account this token may not write to.");
  });
  issues.throwIfAny();

  // One statement for the whole request (external ids are unique in it), columns as array literals.
  const accountIds = items.map((c) => accounts.get(c.accountExternalId)!.id);
  const written = await rows<{ id: string; external_id: string; created: boolean }>(
    ctx.db,
    sql`insert into contracts (account_id, external_id, name, kind, value, mrr, start_date, end_date, active, excluded)
        select * from unnest(${pgArray(accountIds)}::uuid[], ${pgArray(items.map((c) => c.externalId))}::text[],
          ${pgArray(items.map((c) => c.name))}::text[], ${pgArray(items.map((c) => c.kind ?? "subscription"))}::text[],
          ${pgArray(items.map((c) => c.value))}::numeric[], ${pgArray(items.map((c) => c.mrr))}::numeric[],
          ${pgArray(items.map((c) => c.startDate))}::date[], ${pgArray(items.map((c) => c.endDate ?? null))}::date[],
          ${pgArray(items.map((c) => String(c.active ?? true)))}::boolean[], ${pgArray(items.map((c) => String(c.excluded ?? false)))}::boolean[])
        on conflict (external_id) do update set account_id = excluded.account_id, name = excluded.name, kind = excluded.kind,
          value = excluded.value, mrr = excluded.mrr, start_date = excluded.start_date, end_date = excluded.end_date,
          active = excluded.active, excluded = excluded.excluded
        returning id, external_id, (xmax = 0) as created`,
  );
  const writtenBy = new Map(written.map((w) => [w.external_id, w]));
  const touched = new Set<string>([...accountIds, ...stored.map((s) => s.account_id)]);
  const result: ContractUpsertResult = { created: 0, updated: 0, contracts: [] };
  for (const c of items) {
    const row = writtenBy.get(c.externalId)!;
    if (row.created) result.created++;
    else result.updated++;
    result.contracts.push({ externalId: c.externalId, id: row.id });
  }
  // In a fixed order, so two requests touching the same accounts lock their rollup rows alike.
  for (const accountId of [...touched].sort()) await afterContractsChanged(ctx.db, accountId);
  // Health: renewal dates moved, and a contract whose value rose is an upsell marker (one call).
  await contractUpsells(ctx.db, stored, items.map((c, i) => ({ id: writtenBy.get(c.externalId)!.id, externalId: c.externalId, accountId: accountIds[i], value: c.value })), touched);
  return result;
}
