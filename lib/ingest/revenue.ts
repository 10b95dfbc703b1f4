import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount } from "./resolve";
import type { InvoiceItem, SaleItem } from "./schemas";

/*
 * Invoices and one-off sales from a billing system. The Revenue tab reads them per account as
 * they are (no rollup holds them), so a write needs no upkeep. They have no external id: send each
 * once, or with an Idempotency-Key; change or delete one by its id (PATCH/DELETE in lib/api).
 */

/** Adds invoices; a named contract must be on the invoice's own account. */
export async function addInvoices(ctx: Ctx, items: readonly InvoiceItem[], base: (string | number)[] = ["invoices"]): Promise<{ created: number; ids: string[] }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((i) => i.accountExternalId));
  const contractIds = items.flatMap((i) => (i.contractExternalId ? [i.contractExternalId] : []));
  const contracts = new Map(
    (await rows<{ external_id: string; id: string; account_id: string }>(ctx.db, sql`select external_id, id, account_id from contracts where external_id = any(${pgArray(contractIds)}::text[])`)).map((c) => [c.external_id, c]),
  );
  items.forEach((item, i) => {
    const account = accounts.get(item.accountExternalId);
    if (!account) issues.add([...base, i, "accountExternalId"], unknownAccount(item.accountExternalId));
    const contract = item.contractExternalId ? contracts.get(item.contractExternalId) : undefined;
    if (item.contractExternalId && (!contract || (account && contract.account_id !== account.id))) {
      issues.add([...base, i, "contractExternalId"], `No contract of this account has the external id “${item.contractExternalId}”.`);
    }
  });
  issues.throwIfAny();
  // Ids are made here, so the answer lists them in the request's order.
  const ids = items.map(() => randomUUID());
  await ctx.db.execute(
    sql`insert into invoices (id, account_id, contract_id, number, amount, issued_on, due_on, paid_on)
        select * from unnest(${pgArray(ids)}::uuid[], ${pgArray(items.map((i) => accounts.get(i.accountExternalId)!.id))}::uuid[],
          ${pgArray(items.map((i) => (i.contractExternalId ? contracts.get(i.contractExternalId)!.id : null)))}::uuid[],
          ${pgArray(items.map((i) => i.number))}::text[], ${pgArray(items.map((i) => i.amount))}::numeric[],
          ${pgArray(items.map((i) => i.issuedOn))}::date[], ${pgArray(items.map((i) => i.dueOn))}::date[], ${pgArray(items.map((i) => i.paidOn ?? null))}::date[])`,
  );
  return { created: ids.length, ids };
}

/** Adds one-off sales (services, fees). */
export async function addSales(ctx: Ctx, items: readonly SaleItem[], base: (string | number)[] = ["sales"]): Promise<{ created: number; ids: string[] }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((s) => s.accountExternalId));
  items.forEach((item, i) => {
    if (!accounts.has(item.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(item.accountExternalId));
  });
  issues.throwIfAny();
  const ids = items.map(() => randomUUID());
  await ctx.db.execute(
    sql`insert into sales (id, account_id, name, amount, sold_on)
        select * from unnest(${pgArray(ids)}::uuid[], ${pgArray(items.map((s) => accounts.get(s.accountExternalId)!.id))}::uuid[], ${pgArray(items.map((s) => s.name))}::text[],
          ${pgArray(items.map((s) => s.amount))}::numeric[], ${pgArray(items.map((s) => s.soldOn))}::date[])`,
  );
  return { created: ids.length, ids };
}
