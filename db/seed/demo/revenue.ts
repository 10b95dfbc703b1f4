import * as s from "@/db/schema";
import type { Random } from "../random";
import type { Account, DemoContext, Hierarchy } from "./model";
import { addMonths, clamp, DAY, floorDay, isoDay } from "./time";

/** The next contract and invoice numbers. */
type Numbers = { contract: number; invoice: number };

/**
 * Contracts (renewed each term, some add-ons and excluded sandbox licences), quarterly invoices and
 * one-off sales per product; products' MRR, ARR and seats, summed up the tree. Returns the product
 * whose `mrr_override` attribute will differ from its contracts.
 */
export function buildRevenue(ctx: DemoContext, { company, products, busiest }: Hierarchy): { overrideProduct: Account } {
  const rrng = ctx.root.fork("revenue");
  const numbers: Numbers = { contract: 10000, invoice: 0 };
  for (const product of products) {
    const annual = buildSubscriptions(ctx, rrng, numbers, product, product === busiest);
    buildExtras(ctx, rrng, numbers, product, product === busiest, annual);
    product.mrr = Math.round(product.mrr * 100) / 100;
    product.arr = Math.round(product.mrr * 12);
    product.seats = product.arr ? Math.max(5, Math.round(product.arr / rrng.int(350, 900))) : rrng.int(5, 40);
  }
  sumUp(company);
  const overrideProduct = products.find((p) => p.region.key === "emea" && p.productName === "Fraud Shield" && p.mrr > 0) ?? products[3];
  return { overrideProduct };
}

/**
 * A product's subscription contracts, renewed term after term since it came on board (a few lapsed),
 * with their quarterly invoices; adds the current one to the product's MRR. Returns the latest annual value.
 */
function buildSubscriptions({ today, ids, store }: DemoContext, rrng: Random, numbers: Numbers, product: Account, isBusiest: boolean): number {
  const scale = isBusiest ? 1 : clamp(Math.exp(rrng.normal(0, 0.6)), 0.25, 4);
  let annual = Math.round((isBusiest ? 960_000 : 85_000 * scale * (0.6 + Math.sqrt(product.busyness))) / 100) * 100;
  const term = isBusiest ? 24 : rrng.pick([12, 12, 24, 36]);
  let start = floorDay(product.createdAt);
  const lapsed = !isBusiest && rrng.chance(0.04);
  let n = 0;
  while (start <= today) {
    const end = addMonths(start, term) - DAY;
    const isCurrent = end >= today;
    const active = isCurrent && !(lapsed && n > 0);
    const id = ids.uuid();
    const mrr = Math.round((annual / 12) * 100) / 100;
    const years = `${new Date(start).getUTCFullYear()}–${new Date(end).getUTCFullYear()}`;
    store.add(s.contracts, {
      id,
      accountId: product.id,
      externalId: `CTR-${++numbers.contract}`,
      name: `${product.productName} subscription ${years}`,
      kind: "subscription",
      value: (annual * (term / 12)).toFixed(2),
      mrr: mrr.toFixed(2),
      startDate: isoDay(start),
      endDate: isoDay(end),
      active,
      excluded: false,
      createdAt: new Date(start - rrng.int(5, 30) * DAY),
    });
    if (active) {
      product.mrr += mrr;
      product.renewalDate = isoDay(end + DAY);
    }
    // Quarterly invoices over the last two years.
    for (let issued = start; issued <= Math.min(end, today); issued = addMonths(issued, 3)) {
      if (issued < today - 730 * DAY) continue;
      const due = issued + 30 * DAY;
      const paidLate = rrng.int(2, 40);
      const paid = due < today ? rrng.chance(0.93) : rrng.chance(0.4);
      store.add(s.invoices, {
        id: ids.uuid(),
        accountId: product.id,
        contractId: id,
        number: `INV-${new Date(issued).getUTCFullYear()}-${String(++numbers.invoice).padStart(5, "0")}`,
        amount: (annual / 4).toFixed(2),
        issuedOn: isoDay(issued),
        dueOn: isoDay(due),
        paidOn: paid ? isoDay(Math.min(issued + paidLate * DAY, today)) : null,
      });
    }
    start = end + DAY;
    annual = Math.round((annual * rrng.float(1.03, 1.14)) / 100) * 100;
    n++;
  }
  return annual;
}

/** Now and then an add-on contract, an excluded sandbox licence and a one-off sale. */
function buildExtras({ now, ids, store }: DemoContext, rrng: Random, numbers: Numbers, product: Account, isBusiest: boolean, annual: number): void {
  if (rrng.chance(0.15) || isBusiest) {
    const addOnStart = floorDay(now - rrng.int(60, 280) * DAY);
    const addOnAnnual = Math.round((annual * rrng.float(0.08, 0.25)) / 100) * 100;
    const mrr = Math.round((addOnAnnual / 12) * 100) / 100;
    store.add(s.contracts, {
      id: ids.uuid(),
      accountId: product.id,
      externalId: `CTR-${++numbers.contract}`,
      name: `${product.productName} additional seats`,
      kind: "add-on",
      value: addOnAnnual.toFixed(2),
      mrr: mrr.toFixed(2),
      startDate: isoDay(addOnStart),
      endDate: isoDay(addMonths(addOnStart, 12) - DAY),
      active: true,
      excluded: false,
      createdAt: new Date(addOnStart - 7 * DAY),
    });
    product.mrr += mrr;
  }
  if (rrng.chance(0.05) || isBusiest) {
    const sandboxStart = floorDay(now - rrng.int(30, 200) * DAY);
    store.add(s.contracts, {
      id: ids.uuid(),
      accountId: product.id,
      externalId: `CTR-${++numbers.contract}`,
      name: `${product.productName} sandbox licence (internal testing)`,
      kind: "licence",
      value: (rrng.int(6, 24) * 1000).toFixed(2),
      mrr: (rrng.int(5, 20) * 100).toFixed(2),
      startDate: isoDay(sandboxStart),
      endDate: isoDay(addMonths(sandboxStart, 12) - DAY),
      active: true,
      excluded: true,
      createdAt: new Date(sandboxStart),
    });
  }
  if (rrng.chance(0.15) || isBusiest) {
    store.add(s.sales, {
      id: ids.uuid(),
      accountId: product.id,
      name: rrng.pick(["Implementation services", "Admin training workshop", "Data migration", "Custom report pack", "Integration health check"]),
      amount: (rrng.int(5, 80) * 1000).toFixed(2),
      soldOn: isoDay(now - rrng.int(10, 600) * DAY),
    });
  }
}

/** ARR and seats of every account above the products: the sum of its children. */
function sumUp(account: Account): void {
  if (account.type === "product" || account.type === "opportunity") return;
  account.arr = 0;
  account.seats = 0;
  for (const child of account.children) {
    sumUp(child);
    account.arr += child.arr;
    account.seats += child.seats;
  }
}
