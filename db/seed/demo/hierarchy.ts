import * as s from "@/db/schema";
import type { Random } from "../random";
import { BUSINESS_LINES, COMPANY_NAME, PRODUCT_NAMES, REGIONS } from "./catalogue";
import type { Account, DemoContext, Hierarchy, Roster, TypeKey } from "./model";
import type { AddTimeline } from "./timeline";
import type { RegionKey } from "./staff";
import { DAY, floorDay, HOUR, slug } from "./time";

/* Account types, the Company > Region > Line of business > Product tree with its opportunities, and the account rows. */

export const ACCOUNT_TYPES: readonly { key: TypeKey; name: string; plural: string; level: number; isOpportunity?: boolean }[] = [
  { key: "company", name: "Company", plural: "Companies", level: 0 },
  { key: "region", name: "Region", plural: "Regions", level: 1 },
  { key: "line_of_business", name: "Line of business", plural: "Lines of business", level: 2 },
  { key: "product", name: "Product", plural: "Products", level: 3 },
  { key: "opportunity", name: "Opportunity", plural: "Opportunities", level: 4, isOpportunity: true },
];

/**
 * The five account types and which may sit under which. The migrations create the reserved
 * Opportunity type: `opportunityTypeId` is that row's id, kept so the demo set uses it.
 */
export function buildAccountTypes({ now, ids, store }: DemoContext, opportunityTypeId: string | null): Record<TypeKey, string> {
  const typeIds = {} as Record<TypeKey, string>;
  for (const def of ACCOUNT_TYPES) {
    typeIds[def.key] = ids.uuid(); // drawn even when replaced, so every later id stays the same
    if (def.isOpportunity && opportunityTypeId) typeIds[def.key] = opportunityTypeId;
    store.add(s.accountTypes, {
      id: typeIds[def.key],
      key: def.key,
      name: def.name,
      pluralName: def.plural,
      level: def.level,
      isOpportunity: Boolean(def.isOpportunity),
      assetLimitMb: def.isOpportunity ? 50 : 100,
      createdAt: new Date(now - 1000 * DAY),
    });
  }
  const parentRules: [TypeKey, TypeKey][] = [
    ["region", "company"],
    ["line_of_business", "region"],
    ["product", "line_of_business"],
    ["opportunity", "product"],
    ["opportunity", "line_of_business"],
  ];
  for (const [child, parent] of parentRules) store.add(s.accountTypeParents, { childTypeId: typeIds[child], parentTypeId: typeIds[parent] });
  return typeIds;
}

/** ~300 accounts: one company, 3 regions, 36 lines of business, 240 products and 20 opportunities. */
export function buildHierarchy(ctx: DemoContext): Hierarchy {
  const accounts: Account[] = [];
  const newAccount = accountFactory(ctx.ids, accounts);
  const { company, regions, lobs, products, busiest } = buildTree(ctx, newAccount);
  const busyOthers = assignBusyness(ctx, products, busiest);
  const opportunities = buildOpportunities(ctx, newAccount, lobs, products, busiest);
  makeNamesUnique(accounts);
  return { accounts, company, regions, lobs, products, busiest, busyOthers, opportunities };
}

type NewAccount = (fields: Pick<Account, "externalId" | "name" | "type" | "parent" | "createdAt" | "region"> & Partial<Account>) => Account;

/** Creates accounts (ids from the shared stream), hangs each under its parent and lists it in `accounts`. */
function accountFactory(ids: Random, accounts: Account[]): NewAccount {
  return (fields) => {
    const account: Account = {
      id: ids.uuid(),
      children: [],
      busyness: 0,
      staff: [],
      links: [],
      dip: null,
      weeks: [],
      mrr: 0,
      arr: 0,
      seats: 0,
      renewalDate: null,
      journeyStage: null,
      ...fields,
    };
    fields.parent?.children.push(account);
    accounts.push(account);
    return account;
  };
}

/** The company, its regions, their lines of business and ~7 products each. */
function buildTree({ now, root }: DemoContext, newAccount: NewAccount): Pick<Hierarchy, "company" | "regions" | "lobs" | "products" | "busiest"> {
  const hrng = root.fork("hierarchy");
  const company = newAccount({
    externalId: "demo-northwind",
    name: COMPANY_NAME,
    type: "company",
    parent: null,
    createdAt: floorDay(now - 1460 * DAY) + 9 * HOUR,
    region: REGIONS[0],
  });
  const regions = {} as Record<RegionKey, Account>;
  const lobs: Account[] = [];
  const products: Account[] = [];
  let lobCounter = 0;
  for (const region of REGIONS) {
    const regionAccount = newAccount({
      externalId: `demo-${region.key}`,
      name: region.name,
      type: "region",
      parent: company,
      createdAt: company.createdAt + hrng.int(1, 20) * DAY,
      region,
    });
    regions[region.key] = regionAccount;
    for (const line of BUSINESS_LINES) {
      const lobName = `${line.name} ${region.name}`;
      const lob = newAccount({
        externalId: `demo-${region.key}-${line.key}`,
        name: lobName,
        type: "line_of_business",
        parent: regionAccount,
        createdAt: regionAccount.createdAt + hrng.int(10, 700) * DAY,
        region,
        line,
        lobName,
      });
      lobs.push(lob);
      // 24 lines of business get seven products, 12 get six: 240 products.
      const count = lobCounter++ % 3 === 2 ? 6 : 7;
      let names: string[] = hrng.sample(PRODUCT_NAMES, count);
      if (line.key === "retail-banking" && region.key === "emea") {
        names = ["Payments Hub", ...names.filter((n) => n !== "Payments Hub")].slice(0, count);
      }
      for (const productName of names) {
        // About one product in eight came on board within the last year (still onboarding).
        const isNew = hrng.chance(0.12);
        const createdAt = isNew
          ? floorDay(now - hrng.int(40, 330) * DAY) + 10 * HOUR
          : Math.max(lob.createdAt + hrng.int(5, 60) * DAY, floorDay(now - hrng.int(420, 1100) * DAY)) + 10 * HOUR;
        products.push(
          newAccount({
            externalId: `demo-${region.key}-${line.key}-${slug(productName)}`,
            name: `${productName} — ${lobName}`,
            type: "product",
            parent: lob,
            createdAt: Math.min(createdAt, now - 35 * DAY),
            region,
            line,
            lobName,
            productName,
          }),
        );
      }
    }
  }
  const busiest = products.find((p) => p.name === "Payments Hub — Retail Banking EMEA")!;
  busiest.createdAt = floorDay(now - 940 * DAY) + 10 * HOUR;
  busiest.parent!.createdAt = Math.min(busiest.parent!.createdAt, busiest.createdAt - 45 * DAY);
  return { company, regions, lobs, products, busiest };
}

/** Usage intensity: a handful of products are far busier than the rest. Returns the four next-busiest. */
function assignBusyness({ now, root }: DemoContext, products: Account[], busiest: Account): Account[] {
  const urng = root.fork("busyness");
  for (const product of products) product.busyness = Math.exp(urng.normal(-0.55, 0.75));
  busiest.busyness = 42;
  const busyOthers = urng.sample(
    products.filter((p) => p !== busiest && now - p.createdAt > 400 * DAY),
    4,
  );
  busyOthers.forEach((p, i) => (p.busyness = 18 - i * 2.5));
  return busyOthers;
}

/** Opportunities: 14 under products, 6 under lines of business, spread over the regions. */
function buildOpportunities({ now, root }: DemoContext, newAccount: NewAccount, lobs: Account[], products: Account[], busiest: Account): Account[] {
  const opportunities: Account[] = [];
  const orng = root.fork("opportunities");
  const oppKinds = ["expansion", "upsell", "renewal", "cross-sell"] as const;
  const oppParents = [
    ...orng.sample(products.filter((p) => p.region.key === "emea" && p !== busiest), 5),
    busiest,
    ...orng.sample(products.filter((p) => p.region.key === "americas"), 5),
    ...orng.sample(products.filter((p) => p.region.key === "apac"), 3),
    ...orng.sample(lobs.filter((l) => l.region.key === "emea"), 2),
    ...orng.sample(lobs.filter((l) => l.region.key === "americas"), 2),
    ...orng.sample(lobs.filter((l) => l.region.key === "apac"), 2),
  ];
  oppParents.forEach((parent, i) => {
    const kind = orng.pick(oppKinds);
    const fiscal = new Date(now).getUTCFullYear() + 1;
    const name =
      parent.type === "product"
        ? kind === "renewal"
          ? `${parent.productName} renewal FY${String(fiscal).slice(2)} — ${parent.lobName}`
          : `${parent.productName} ${kind} — ${parent.lobName}`
        : `${orng.pick(PRODUCT_NAMES)} ${kind === "renewal" ? "cross-sell" : kind} — ${parent.name}`;
    opportunities.push(
      newAccount({
        externalId: `demo-opp-${String(i + 1).padStart(2, "0")}`,
        name,
        type: "opportunity",
        parent,
        createdAt: floorDay(now - orng.int(8, 170) * DAY) + 14 * HOUR,
        region: parent.region,
        line: parent.line,
        lobName: parent.lobName,
        productName: parent.productName,
      }),
    );
  });
  return opportunities;
}

/** Names must be unique for search and the tests; disambiguate the rare duplicate. */
function makeNamesUnique(accounts: Account[]): void {
  const seenNames = new Set<string>();
  for (const account of accounts) {
    let name = account.name;
    for (let n = 2; seenNames.has(name); n++) name = `${account.name} (${n})`;
    account.name = name;
    seenNames.add(name);
  }
}

/**
 * The `accounts` rows and each account's first move (its creation); one product was moved to
 * another line of business 96 days ago, which shows in its timeline.
 */
export function buildAccountRows({ now, store }: DemoContext, { accounts, products, lobs }: Hierarchy, typeIds: Record<TypeKey, string>, { admin }: Roster, addTimeline: AddTimeline): void {
  const movedProduct = products.find((p) => p.region.key === "americas" && p.productName === "Data Warehouse" && now - p.createdAt > 400 * DAY) ?? products[100];
  const formerParent = lobs.find((l) => l.region.key === movedProduct.region.key && l !== movedProduct.parent)!;
  const moveAt = floorDay(now - 96 * DAY) + 15 * HOUR;
  for (const account of accounts) {
    store.add(s.accounts, {
      id: account.id,
      externalId: account.externalId,
      name: account.name,
      typeId: typeIds[account.type],
      parentId: account.parent?.id ?? null,
      createdAt: new Date(account.createdAt),
      updatedAt: new Date(account === movedProduct ? moveAt : account.createdAt),
    });
    store.add(s.accountMoves, {
      accountId: account.id,
      oldParentId: null,
      newParentId: account === movedProduct ? formerParent.id : (account.parent?.id ?? null),
      movedBy: admin.id,
      movedAt: new Date(account.createdAt),
    });
  }
  store.add(s.accountMoves, { accountId: movedProduct.id, oldParentId: formerParent.id, newParentId: movedProduct.parent!.id, movedBy: admin.id, movedAt: new Date(moveAt) });

  addTimeline(movedProduct, "hierarchy_change", moveAt, `Moved from ${formerParent.name} to ${movedProduct.parent!.name}`, { from: { id: formerParent.id, name: formerParent.name }, to: { id: movedProduct.parent!.id, name: movedProduct.parent!.name } }, null, admin);
}

/** Rows of the closure table: every account with each of its ancestors and itself. */
export function closureRowCount(accounts: readonly Account[]): number {
  return accounts.reduce((sum, a) => {
    let depth = 0;
    for (let p = a.parent; p; p = p.parent) depth++;
    return sum + depth + 1;
  }, 0);
}
