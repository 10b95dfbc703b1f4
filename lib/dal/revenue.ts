import "server-only";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { attributeDefinitions, contracts, invoices, sales } from "@/db/schema";
import { MRR_OVERRIDE_KEY, mrrOverrideSql } from "@/lib/rollups/mrr";
import { canSeePrivileged, type AccountSummary } from "./accounts";
import { parentRollupOf } from "./rollups";
import type { Ctx } from "./viewer";


export type RevenueSummary = {
  /** Sum of MRR over the account's own active, non-excluded contracts. */
  computedMrr: number;
  contractCount: number;
  /** The MRR override when it counts (lib/rollups/mrr.ts) and the viewer may see it. */
  override: number | null;
  /** What the account's MRR is: the override when set, else the computed value. */
  mrr: number;
  arr: number;
  /** Totals of the account and everything below it, for parent accounts only. */
  rollup: { mrr: number; arr: number; descendants: number } | null;
};

/** The override the rollups count (the one rule of lib/rollups/mrr.ts), unless it is privileged and the viewer may not see it. */
async function mrrOverride(ctx: Ctx, account: AccountSummary): Promise<number | null> {
  const [row] = await ctx.db
    .select({
      override: sql<string | null>`${mrrOverrideSql(sql`${account.id}::uuid`)}`,
      privileged: attributeDefinitions.privileged,
    })
    .from(attributeDefinitions)
    .where(and(eq(attributeDefinitions.accountTypeId, account.typeId), eq(attributeDefinitions.key, MRR_OVERRIDE_KEY), isNull(attributeDefinitions.deletedAt)))
    .limit(1);
  if (!row || row.override === null) return null;
  if (row.privileged && !(await canSeePrivileged(ctx, account.id))) return null;
  return Number(row.override);
}

/** MRR/ARR of the account from its contracts (or its override) and, on parents, the rolled-up totals. */
export async function revenueSummary(ctx: Ctx, account: AccountSummary): Promise<RevenueSummary> {
  const [[computed], override, rollup] = await Promise.all([
    ctx.db
      .select({ mrr: sql<string>`coalesce(sum(${contracts.mrr}), 0)`, count: sql<number>`count(*)::int` })
      .from(contracts)
      .where(and(eq(contracts.accountId, account.id), eq(contracts.active, true), eq(contracts.excluded, false))),
    mrrOverride(ctx, account),
    parentRollupOf(ctx, account),
  ]);
  const computedMrr = Number(computed?.mrr ?? 0);
  const mrr = override ?? computedMrr;
  const descendants = Number(rollup?.descendants ?? 0);
  return {
    computedMrr,
    contractCount: Number(computed?.count ?? 0),
    override,
    mrr,
    arr: mrr * 12,
    rollup: rollup ? { mrr: Number(rollup.mrr), arr: Number(rollup.mrr) * 12, descendants } : null,
  };
}

export type ContractRow = {
  id: string;
  name: string;
  kind: string;
  value: number;
  mrr: number;
  startDate: string;
  endDate: string | null;
  active: boolean;
  excluded: boolean;
};

export type SaleRow = { id: string; name: string; amount: number; soldOn: string };

export type InvoiceStatus = "paid" | "unpaid" | "overdue";
export type InvoiceRow = {
  id: string;
  number: string;
  amount: number;
  issuedOn: string;
  dueOn: string;
  paidOn: string | null;
  contractName: string | null;
  status: InvoiceStatus;
};

export type RevenueDetails = {
  contracts: ContractRow[];
  sales: SaleRow[];
  invoices: InvoiceRow[];
  totals: { contractValue: number; sales: number; unpaid: number; overdue: number };
};

export function invoiceStatus(invoice: { paidOn: string | null; dueOn: string }, today: string): InvoiceStatus {
  if (invoice.paidOn) return "paid";
  return invoice.dueOn < today ? "overdue" : "unpaid";
}

/** Contracts (active first), sales and invoices of the account, for the Revenue tab. */
export async function revenueDetails(ctx: Ctx, account: AccountSummary, now = new Date()): Promise<RevenueDetails> {
  const today = now.toISOString().slice(0, 10);
  const [contractRows, saleRows, invoiceRows] = await Promise.all([
    ctx.db
      .select({
        id: contracts.id,
        name: contracts.name,
        kind: contracts.kind,
        value: contracts.value,
        mrr: contracts.mrr,
        startDate: contracts.startDate,
        endDate: contracts.endDate,
        active: contracts.active,
        excluded: contracts.excluded,
      })
      .from(contracts)
      .where(eq(contracts.accountId, account.id))
      .orderBy(desc(contracts.active), asc(contracts.excluded), desc(contracts.startDate), asc(contracts.name))
      .limit(500),
    ctx.db
      .select({ id: sales.id, name: sales.name, amount: sales.amount, soldOn: sales.soldOn })
      .from(sales)
      .where(eq(sales.accountId, account.id))
      .orderBy(desc(sales.soldOn), asc(sales.name))
      .limit(500),
    ctx.db
      .select({
        id: invoices.id,
        number: invoices.number,
        amount: invoices.amount,
        issuedOn: invoices.issuedOn,
        dueOn: invoices.dueOn,
        paidOn: invoices.paidOn,
        contractName: contracts.name,
      })
      .from(invoices)
      .leftJoin(contracts, eq(contracts.id, invoices.contractId))
      .where(eq(invoices.accountId, account.id))
      .orderBy(desc(invoices.issuedOn), asc(invoices.number))
      .limit(500),
  ]);
  const contractList = contractRows.map((c) => ({ ...c, value: Number(c.value), mrr: Number(c.mrr) }));
  const saleList = saleRows.map((s) => ({ ...s, amount: Number(s.amount) }));
  const invoiceList = invoiceRows.map((i) => ({ ...i, amount: Number(i.amount), status: invoiceStatus(i, today) }));
  const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
  return {
    contracts: contractList,
    sales: saleList,
    invoices: invoiceList,
    totals: {
      contractValue: sum(contractList.filter((c) => c.active && !c.excluded).map((c) => c.value)),
      sales: sum(saleList.map((s) => s.amount)),
      unpaid: sum(invoiceList.filter((i) => i.status !== "paid").map((i) => i.amount)),
      overdue: sum(invoiceList.filter((i) => i.status === "overdue").map((i) => i.amount)),
    },
  };
}
