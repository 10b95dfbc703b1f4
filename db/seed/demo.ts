/**
 * The demo data set: one believable customer ("Northwind Holdings", ~300 accounts in a Company >
 * Region > Line of business > Product hierarchy, plus opportunities) with a year of history in every
 * part of the profile. Deterministic: a fixed seed, and every date relative to `now`, so the same
 * `now` always gives the same rows and ids. Everything is generated in memory first, then written in
 * one transaction, so a failure leaves nothing half-written.
 */
import bcrypt from "bcryptjs";
import { eq, getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Executor } from "@/db/client";
import * as s from "@/db/schema";
import { rebuildClosure } from "@/lib/rollups/rebuild";
import { createRandom, type Random } from "./random";
import { type Band, bandOf, BUSINESS_LINES, type BusinessLine, COMPANY_ATTRIBUTES, COMPANY_NAME, CUSTOMER_DOMAIN, END_USER_TITLES, FIELD_GROUPS, FIRST_NAMES, GOOD_FROM, HEALTH_DIMENSIONS, HealthWeek, LAST_NAMES, LIFECYCLES, OPPORTUNITY_ATTRIBUTES, POOR_BELOW, PRODUCT_MODULE_WEIGHTS, PRODUCT_NAMES, REGIONS, USAGE_MODULES, WEEKS } from "./demo/catalogue";
import { dropIndexesAndConstraints, type Insert, insertRows, RowStore } from "./demo/rows";
import { buildStaff, DEMO_PASSWORD, type Job, type RegionKey, SEED, type StaffMember } from "./demo/staff";
import { addMonths, clamp, DAY, excerpt, fill, floorDay, HOUR, isoDay, mondayOf, officeTime, round1, slug } from "./demo/time";

// The catalogue, staff and bulk writer are shared with the large data set (db/seed/large.ts).
export { BUSINESS_LINES, COMPANY_ATTRIBUTES, END_USER_TITLES, FIELD_GROUPS, FIRST_NAMES, GOOD_FROM, HEALTH_DIMENSIONS, INDUSTRIES, LAST_NAMES, LIFECYCLES, OPPORTUNITY_ATTRIBUTES, POOR_BELOW, PRODUCT_NAMES, USAGE_MODULES, type AttrDef, type BusinessLine } from "./demo/catalogue";
export { dropIndexesAndConstraints, insertRows } from "./demo/rows";
export { DEMO_PASSWORD, DEMO_STAFF, DEMO_TEAMS, seedDemoStaff, type RegionKey, type StaffMember } from "./demo/staff";

export type PutAsset = (key: string, bytes: Uint8Array, contentType: string) => Promise<void>;

export type SeedDemoOptions = {
  /** The moment the data set is generated for; every date is relative to it. Default: now. */
  now?: Date;
  /** Stores the bytes of file assets; without it only link assets are created. */
  putAsset?: PutAsset;
};

export type DemoSummary = {
  now: string;
  /** Rows written per table (SQL table name). */
  counts: Record<string, number>;
  companyId: string;
  emeaRegionId: string;
  americasRegionId: string;
  apacRegionId: string;
  /** "Payments Hub — Retail Banking EMEA": the most usage and exactly 2,000 timeline entries. */
  busiestProductId: string;
  busiestProductName: string;
  /** An opportunity under EMEA (visible to the EMEA team, not to the Americas viewers). */
  opportunityId: string;
  /** A product whose `mrr_override` attribute differs from the MRR of its contracts. */
  mrrOverrideProductId: string;
  /** A contact linked to several accounts at different levels with different roles. */
  sharedContactId: string;
  /** Users by email. */
  userIds: Record<string, string>;
  /** Password of every demo user. */
  password: string;
};

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

type TypeKey = "company" | "region" | "line_of_business" | "product" | "opportunity";
type Staff = StaffMember & { id: string };
type Contact = { id: string; name: string; email: string; title: string };
type Link = { contact: Contact; role: string; isKey: boolean };

type Account = {
  id: string;
  externalId: string;
  name: string;
  type: TypeKey;
  parent: Account | null;
  children: Account[];
  createdAt: number;
  region: (typeof REGIONS)[number];
  line?: BusinessLine;
  lobName?: string;
  productName?: string;
  /** Products: average raw usage rows a day. */
  busyness: number;
  staff: { user: Staff; role: string }[];
  links: Link[];
  /** Health dip window (week indexes), if any. */
  dip: [number, number] | null;
  weeks: HealthWeek[];
  mrr: number;
  arr: number;
  seats: number;
  renewalDate: string | null;
  journeyStage: string | null;
};

/**
 * Writes the demo data set into an empty, migrated database (PGlite or Postgres) in one
 * transaction, including the closure table. Layouts and rollups are left to the caller (see
 * `seedAll`). File assets are stored through `putAsset` when given.
 */
export async function seedDemo(db: Database, options: SeedDemoOptions = {}): Promise<DemoSummary> {
  const nowDate = options.now ?? new Date();
  const existing = await db.execute<{ n: number }>(sql`select count(*)::int as n from account_types where not is_opportunity`);
  if (Number(existing.rows[0]?.n ?? 0) > 0) {
    throw new Error("seedDemo needs an empty database: account types already exist");
  }
  // The migrations create the reserved Opportunity type: the demo set uses that row.
  const migrated = await db.execute<{ id: string }>(sql`select id from account_types where is_opportunity limit 1`);
  const opportunityTypeId = migrated.rows[0]?.id ?? null;
  const generated = generateDemo(nowDate, opportunityTypeId);
  const files = options.putAsset ? generated.files : [];
  await db.transaction(async (tx) => {
    const restore = await dropIndexesAndConstraints(tx, BULK_TABLES);
    for (const file of files) {
      await options.putAsset!(file.storageKey, file.bytes, file.contentType);
      generated.store.add(s.assets, file.row);
      generated.addTimeline(file.account, "asset", file.row.createdAt!.getTime(), `Asset added: ${file.row.name}`, { name: file.row.name, kind: "file", contentType: file.contentType, sizeBytes: file.bytes.length }, file.row.id!, file.uploader);
    }
    generated.finishTimeline();
    for (const table of INSERT_ORDER) {
      let rows = generated.store.rows(table) as Record<string, unknown>[];
      if (table === s.accountTypes && opportunityTypeId) {
        const opportunity = rows.find((r) => r.id === opportunityTypeId)!;
        await tx
          .update(s.accountTypes)
          .set({ name: opportunity.name as string, pluralName: opportunity.pluralName as string, level: opportunity.level as number, assetLimitMb: opportunity.assetLimitMb as number, createdAt: opportunity.createdAt as Date })
          .where(eq(s.accountTypes.id, opportunityTypeId));
        rows = rows.filter((r) => r.id !== opportunityTypeId);
      }
      await insertRows(tx, table, rows);
      if (table === s.accounts) await rebuildClosure(tx);
    }
    await restore();
  });
  return { ...generated.summary, counts: { ...generated.store.counts(), account_closure: generated.closureRows } };
}

/** The big tables of the demo set: loaded without their indexes and foreign keys, then restored. */
const BULK_TABLES = [
  "usage_events",
  "usage_daily",
  "health_snapshots",
  "timeline_entries",
  "touchpoints",
  "touchpoint_participants",
  "attribute_values",
  "attribute_changes",
  "stage_changes",
  "account_contacts",
  "tasks",
];

/** Tables in foreign-key order. */
const INSERT_ORDER: readonly PgTable[] = [
  s.users,
  s.accountTypes,
  s.accountTypeParents,
  s.accounts,
  s.accountMoves,
  s.teams,
  s.teamMembers,
  s.teamScopes,
  s.auditLog,
  s.fieldGroups,
  s.attributeDefinitions,
  s.attributeValues,
  s.attributeChanges,
  s.healthSchemes,
  s.healthDimensions,
  s.healthSchemeVersions,
  s.healthSnapshots,
  s.lifecycles,
  s.lifecycleStages,
  s.accountStages,
  s.stageChanges,
  s.contacts,
  s.accountContacts,
  s.assignments,
  s.assignmentHistory,
  s.usageModules,
  s.usageActivities,
  s.usageEvents,
  s.usageDaily,
  s.touchpoints,
  s.touchpointParticipants,
  s.successPlans,
  s.objectives,
  s.playbooks,
  s.playbookSteps,
  s.tasks,
  s.campaigns,
  s.campaignSends,
  s.informationRequests,
  s.assets,
  s.contracts,
  s.invoices,
  s.sales,
  s.supportTickets,
  s.surveyResponses,
  s.tags,
  s.accountTags,
  s.accountGroups,
  s.accountGroupMembers,
  s.collections,
  s.collectionRecords,
  s.timelineEntries,
];

type PendingFile = {
  account: Account;
  uploader: Staff;
  storageKey: string;
  bytes: Uint8Array;
  contentType: string;
  row: Insert<typeof s.assets>;
};

function generateDemo(nowDate: Date, opportunityTypeId: string | null) {
  const now = nowDate.getTime();
  const today = floorDay(now);
  const yearAgo = now - 365 * DAY;
  const root = createRandom(SEED);
  const ids = root.fork("ids");
  const store = new RowStore();

  // ----- account types ---------------------------------------------------------------------
  const typeDefs: { key: TypeKey; name: string; plural: string; level: number; isOpportunity?: boolean }[] = [
    { key: "company", name: "Company", plural: "Companies", level: 0 },
    { key: "region", name: "Region", plural: "Regions", level: 1 },
    { key: "line_of_business", name: "Line of business", plural: "Lines of business", level: 2 },
    { key: "product", name: "Product", plural: "Products", level: 3 },
    { key: "opportunity", name: "Opportunity", plural: "Opportunities", level: 4, isOpportunity: true },
  ];
  const typeIds = {} as Record<TypeKey, string>;
  for (const def of typeDefs) {
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

  // ----- hierarchy --------------------------------------------------------------------------
  const hrng = root.fork("hierarchy");
  const accounts: Account[] = [];
  const newAccount = (fields: Pick<Account, "externalId" | "name" | "type" | "parent" | "createdAt" | "region"> & Partial<Account>): Account => {
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

  // Usage intensity: a handful of products are far busier than the rest.
  const urng = root.fork("busyness");
  for (const product of products) product.busyness = Math.exp(urng.normal(-0.55, 0.75));
  busiest.busyness = 42;
  const busyOthers = urng.sample(
    products.filter((p) => p !== busiest && now - p.createdAt > 400 * DAY),
    4,
  );
  busyOthers.forEach((p, i) => (p.busyness = 18 - i * 2.5));

  // Opportunities: 14 under products, 6 under lines of business, spread over the regions.
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
  // Names must be unique for search and the tests; disambiguate the rare duplicate.
  const seenNames = new Set<string>();
  for (const account of accounts) {
    let name = account.name;
    for (let n = 2; seenNames.has(name); n++) name = `${account.name} (${n})`;
    account.name = name;
    seenNames.add(name);
  }

  // ----- staff ------------------------------------------------------------------------------
  const regionIds = { emea: regions.emea.id, americas: regions.americas.id, apac: regions.apac.id };
  const { staff } = buildStaff(store, root.fork("staff"), now, regionIds);
  const byEmail = new Map(staff.map((m) => [m.email, m]));
  const admin = byEmail.get("admin@demo.test")!;
  const casey = byEmail.get("csm@demo.test")!;
  const leader = byEmail.get("leader@demo.test")!;
  const regionStaff = (region: RegionKey, job: Job) => staff.filter((m) => m.region === region && m.job === job);

  // ----- assignments ------------------------------------------------------------------------
  const arng = root.fork("assignments");
  const assign = (account: Account, user: Staff, role: string, at: number) => {
    if (account.staff.some((a) => a.user.id === user.id && a.role === role)) return;
    account.staff.push({ user, role });
    const assignedAt = new Date(Math.max(account.createdAt, at));
    store.add(s.assignments, { accountId: account.id, userId: user.id, role, assignedAt });
    store.add(s.assignmentHistory, { accountId: account.id, userId: user.id, role, assignedAt, assignedBy: admin.id });
  };
  assign(company, leader, "Executive sponsor", company.createdAt + 30 * DAY);
  assign(company, admin, "Account owner", company.createdAt + 30 * DAY);
  for (const region of REGIONS) {
    const account = regions[region.key];
    const csms = regionStaff(region.key, "CSM").filter((m) => m.id !== casey.id);
    assign(account, csms[0], "CSM", account.createdAt + 20 * DAY);
    assign(account, regionStaff(region.key, "AE")[0], "AE", account.createdAt + 20 * DAY);
  }
  const caseyProducts = products.filter((p) => p.region.key === "emea").slice(0, 23);
  for (const region of REGIONS) {
    const regionLobs = lobs.filter((l) => l.region.key === region.key);
    const csms = regionStaff(region.key, "CSM").filter((m) => m.id !== casey.id);
    const aes = regionStaff(region.key, "AE");
    const ses = regionStaff(region.key, "SE");
    const support = regionStaff(region.key, "Support manager");
    regionLobs.forEach((lob, i) => {
      const lobCsm = region.key === "emea" && i < 2 ? casey : csms[i % csms.length];
      assign(lob, lobCsm, "CSM", lob.createdAt + arng.int(5, 40) * DAY);
      assign(lob, aes[i % aes.length], "AE", lob.createdAt + arng.int(1, 20) * DAY);
      lob.children.forEach((product, j) => {
        const csm = caseyProducts.includes(product) ? casey : csms[(i + j) % csms.length];
        assign(product, csm, "CSM", product.createdAt + arng.int(0, 25) * DAY);
        assign(product, aes[(i + j) % aes.length], "AE", product.createdAt + arng.int(0, 10) * DAY);
        if (ses.length && (arng.chance(0.25) || product === busiest)) assign(product, ses[0], "SE", product.createdAt + arng.int(10, 90) * DAY);
        if (support.length && arng.chance(0.2)) assign(product, support[0], "Support manager", product.createdAt + arng.int(10, 200) * DAY);
      });
    });
    // EMEA has no dedicated support manager: the solutions engineer covers the busiest accounts.
    if (region.key === "emea") assign(busiest, ses[0], "Support manager", busiest.createdAt + 100 * DAY);
  }
  for (const opp of opportunities) {
    const ae = opp.parent!.staff.find((a) => a.role === "AE")?.user ?? regionStaff(opp.region.key, "AE")[0];
    assign(opp, ae, "AE", opp.createdAt);
    const csm = opp.parent!.staff.find((a) => a.role === "CSM")?.user;
    if (csm && arng.chance(0.5)) assign(opp, csm, "CSM", opp.createdAt + DAY);
  }
  const csmOf = (account: Account): Staff =>
    account.staff.find((a) => a.role === "CSM")?.user ?? account.staff[0]?.user ?? regionStaff(account.region.key, "CSM")[0];
  const aeOf = (account: Account): Staff => account.staff.find((a) => a.role === "AE")?.user ?? csmOf(account);
  const teamOf = (account: Account): Staff[] => [...new Set(account.staff.map((a) => a.user))];

  // ----- accounts rows ----------------------------------------------------------------------
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

  // ----- timeline collector -----------------------------------------------------------------
  const timelineCount = new Map<string, number>();
  const addTimeline = (
    account: Account,
    kind: (typeof s.timelineKind.enumValues)[number],
    at: number,
    title: string,
    snapshot: Record<string, unknown>,
    refId: string | null,
    actor: Staff | null,
  ) => {
    store.add(s.timelineEntries, { accountId: account.id, kind, refId, actorId: actor?.id ?? null, title, snapshot, occurredAt: new Date(at) });
    timelineCount.set(account.id, (timelineCount.get(account.id) ?? 0) + 1);
  };
  addTimeline(movedProduct, "hierarchy_change", moveAt, `Moved from ${formerParent.name} to ${movedProduct.parent!.name}`, { from: { id: formerParent.id, name: formerParent.name }, to: { id: movedProduct.parent!.id, name: movedProduct.parent!.name } }, null, admin);

  // ----- contacts ---------------------------------------------------------------------------
  const crng = root.fork("contacts");
  const contacts: Contact[] = [];
  const usedNames = new Set<string>();
  const usedEmails = new Set<string>();
  const newContact = (title: string, extra: Record<string, unknown> = {}): Contact => {
    let first = "";
    let last = "";
    do {
      first = crng.pick(FIRST_NAMES);
      last = crng.pick(LAST_NAMES);
    } while (usedNames.has(`${first} ${last}`));
    usedNames.add(`${first} ${last}`);
    const local = `${first}.${last}`.toLowerCase().normalize("NFKD").replace(/[^a-z.]/g, "");
    let email = `${local}@${CUSTOMER_DOMAIN}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${CUSTOMER_DOMAIN}`;
    usedEmails.add(email);
    const contact: Contact = { id: ids.uuid(), name: `${first} ${last}`, email, title };
    contacts.push(contact);
    store.add(s.contacts, {
      id: contact.id,
      externalId: `crm-c-${String(contacts.length).padStart(4, "0")}`,
      email,
      name: contact.name,
      title,
      phone: crng.chance(0.6) ? `+${crng.pick(["44 20", "1 212", "65 6", "49 69", "61 2"])} ${crng.int(1000, 9999)} ${crng.int(1000, 9999)}` : null,
      attributes: { department: extra.department ?? "Operations", location: extra.location ?? "Remote", language: crng.pick(["English", "English", "German", "French", "Spanish", "Japanese"]) },
      createdAt: new Date(Math.max(company.createdAt, now - crng.int(40, 1300) * DAY)),
    });
    return contact;
  };
  const link = (account: Account, contact: Contact, role: string, isKey: boolean) => {
    if (account.links.some((l) => l.contact.id === contact.id)) return;
    account.links.push({ contact, role, isKey });
    store.add(s.accountContacts, { accountId: account.id, contactId: contact.id, role, isKey, linkedAt: new Date(account.createdAt + crng.int(0, 60) * DAY) });
  };
  const groupCeo = newContact("Group Chief Executive Officer", { department: "Executive office", location: "London" });
  const groupCfo = newContact("Group Chief Financial Officer", { department: "Finance", location: "London" });
  const groupCio = newContact("Group Chief Information Officer", { department: "Technology", location: "London" });
  link(company, groupCeo, "Executive sponsor", true);
  link(company, groupCfo, "Billing", false);
  link(company, groupCio, "Technical sponsor", true);
  link(regions.emea, groupCio, "Executive sponsor", false);
  let sharedContact: Contact | null = null;
  for (const region of REGIONS) {
    const account = regions[region.key];
    const md = newContact(`Managing Director, ${region.name}`, { department: "Executive office", location: region.city });
    const cdo = newContact(`Chief Digital Officer, ${region.name}`, { department: "Digital", location: region.city });
    const procurement = newContact(`Head of Procurement, ${region.name}`, { department: "Procurement", location: region.city });
    const it = newContact(`IT Director, ${region.name}`, { department: "Technology", location: region.city });
    link(account, md, "Executive sponsor", true);
    link(account, cdo, "Champion", true);
    link(account, procurement, "Billing", false);
    link(account, it, "Technical contact", false);
    // The digital officer is also a contact on a few products: a key decision maker on one, not on the others.
    const regionProducts = products.filter((p) => p.region.key === region.key);
    const picks = region.key === "emea" ? [busiest, ...crng.sample(regionProducts.filter((p) => p !== busiest), 2)] : crng.sample(regionProducts, 3);
    picks.forEach((product, i) => link(product, cdo, i === 0 ? "Decision maker" : "Executive sponsor", i === 0));
    for (const lob of crng.sample(lobs.filter((l) => l.region.key === region.key), 2)) link(lob, it, "Technical contact", false);
    if (region.key === "emea") sharedContact = cdo;
  }
  for (const lob of lobs) {
    const location = lob.region.city;
    const head = newContact(`Head of ${lob.name}`, { department: lob.line!.name, location });
    const ops = newContact(crng.pick(["Operations Manager", "Head of Operations", "Platform Owner"]), { department: lob.line!.name, location });
    const finance = newContact("Finance Business Partner", { department: "Finance", location });
    const users = Array.from({ length: 7 }, () => newContact(crng.pick(END_USER_TITLES), { department: lob.line!.name, location }));
    link(lob, head, "Executive sponsor", true);
    link(lob, ops, "Champion", true);
    link(lob, finance, "Billing", false);
    for (const product of crng.sample(lob.children, crng.int(1, 2))) link(product, head, "Decision maker", crng.chance(0.5));
    for (const product of lob.children) {
      const pool = crng.shuffle(users);
      link(product, pool[0], "Champion", true);
      link(product, finance, "Billing", false);
      if (crng.chance(0.5)) link(product, ops, "Admin", false);
      const endUsers = product.busyness > 5 ? pool.slice(1) : pool.slice(1, 1 + crng.int(2, 5));
      for (const user of endUsers) link(product, user, "End user", false);
    }
  }
  // The busiest products have extra end users of their own.
  for (const product of [busiest, ...busyOthers]) {
    for (let i = 0; i < 5; i++) link(product, newContact(crng.pick(END_USER_TITLES), { department: product.line!.name, location: product.region.city }), "End user", false);
  }
  for (const opp of opportunities) {
    const parentLinks = opp.parent!.links.filter((l) => ["Champion", "Decision maker", "Executive sponsor"].includes(l.role));
    for (const l of crng.sample(parentLinks, crng.int(1, 2))) link(opp, l.contact, "Decision maker", l.isKey);
  }
  const usersOf = (account: Account) => account.links.filter((l) => l.role === "Champion" || l.role === "End user" || l.role === "Admin").map((l) => l.contact);

  // ----- health -----------------------------------------------------------------------------
  const thisMonday = mondayOf(now);
  const weekStarts = Array.from({ length: WEEKS }, (_, i) => thisMonday - (WEEKS - 1 - i) * 7 * DAY);
  const hr = root.fork("health");
  const makeWeek = (index: number, dims: Record<string, number>): HealthWeek => {
    const score = round1(HEALTH_DIMENSIONS.reduce((sum, d) => sum + d.weight * dims[d.key], 0) / HEALTH_DIMENSIONS.reduce((sum, d) => sum + d.weight, 0));
    return { index, weekStart: weekStarts[index], dims, score, band: bandOf(score), upsell: false, upsellAmount: null };
  };
  for (const product of products) {
    const base = product === busiest ? 78 : clamp(hr.normal(64, 15), 22, 92);
    const targets: Record<string, number> = {};
    const current: Record<string, number> = {};
    for (const d of HEALTH_DIMENSIONS) {
      targets[d.key] = clamp(base + hr.normal(0, 9), 10, 98);
      current[d.key] = clamp(targets[d.key] + hr.normal(0, 6), 5, 99);
    }
    if (product === busiest || hr.chance(0.12)) {
      const start = product === busiest ? WEEKS - 8 : hr.int(20, WEEKS - 4);
      product.dip = [start, Math.min(WEEKS - 1, start + (product === busiest ? 3 : hr.int(2, 6)))];
    }
    const firstWeek = weekStarts.findIndex((w) => w + 7 * DAY > product.createdAt);
    const upsellProne = product === busiest || hr.chance(0.3);
    for (let i = Math.max(0, firstWeek); i < WEEKS; i++) {
      const dims: Record<string, number> = {};
      for (const d of HEALTH_DIMENSIONS) {
        current[d.key] = clamp(current[d.key] + hr.normal(0, 3.5) + 0.15 * (targets[d.key] - current[d.key]), 3, 99);
        let value = current[d.key];
        if (product.dip && i >= product.dip[0] && i <= product.dip[1]) value -= d.key === "usage" ? 34 : d.key === "engagement" ? 24 : 14;
        dims[d.key] = round1(clamp(value, 1, 100));
      }
      const week = makeWeek(i, dims);
      if (upsellProne && i > firstWeek + 4 && hr.chance(1 / 15)) {
        week.upsell = true;
        week.upsellAmount = hr.int(10, 160) * 500;
      }
      product.weeks.push(week);
    }
  }
  const aggregateHealth = (parent: Account, from: Account[]) => {
    const noise: Record<string, number> = {};
    for (const d of HEALTH_DIMENSIONS) noise[d.key] = hr.normal(0, 3);
    for (let i = 0; i < WEEKS; i++) {
      const rows = from.map((c) => c.weeks.find((w) => w.index === i)).filter((w): w is HealthWeek => Boolean(w));
      if (!rows.length) continue;
      const dims: Record<string, number> = {};
      for (const d of HEALTH_DIMENSIONS) {
        noise[d.key] = clamp(noise[d.key] * 0.8 + hr.normal(0, 1.5), -8, 8);
        dims[d.key] = round1(clamp(rows.reduce((sum, w) => sum + w.dims[d.key], 0) / rows.length + noise[d.key], 1, 100));
      }
      const week = makeWeek(i, dims);
      if (parent.type === "line_of_business" && hr.chance(1 / 40)) {
        week.upsell = true;
        week.upsellAmount = hr.int(40, 400) * 500;
      }
      parent.weeks.push(week);
    }
  };
  for (const lob of lobs) aggregateHealth(lob, lob.children.filter((c) => c.type === "product"));
  for (const region of REGIONS) aggregateHealth(regions[region.key], regions[region.key].children);
  aggregateHealth(company, Object.values(regions));
  const latestBand = (account: Account): Band | null => account.weeks[account.weeks.length - 1]?.band ?? null;

  const healthTypes: TypeKey[] = ["company", "region", "line_of_business", "product"];
  for (const typeKey of healthTypes) {
    const schemeId = ids.uuid();
    store.add(s.healthSchemes, { id: schemeId, accountTypeId: typeIds[typeKey], name: `${typeDefs.find((t) => t.key === typeKey)!.name} health`, poorBelow: POOR_BELOW, goodFrom: GOOD_FROM });
    HEALTH_DIMENSIONS.forEach((d, i) =>
      store.add(s.healthDimensions, { id: ids.uuid(), schemeId, key: d.key, label: d.label, weight: d.weight, rule: d.rule, poorBelow: POOR_BELOW, goodFrom: GOOD_FROM, position: i }),
    );
    // Version 1, as if an admin had saved it when the history began.
    store.add(s.healthSchemeVersions, {
      schemeId,
      version: 1,
      definition: { poorBelow: POOR_BELOW, goodFrom: GOOD_FROM, parentScoring: "none", dimensions: HEALTH_DIMENSIONS.map((d) => ({ key: d.key, label: d.label, weight: d.weight, rule: d.rule })) },
      createdBy: null,
      createdAt: new Date(weekStarts[0]),
    });
  }
  for (const account of accounts) {
    let previous: HealthWeek | null = null;
    for (const week of account.weeks) {
      const computedAt = Math.min(week.weekStart + 7 * DAY, now);
      store.add(s.healthSnapshots, {
        accountId: account.id,
        weekStart: isoDay(week.weekStart),
        score: week.score,
        band: week.band,
        dimensions: Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [d.key, { score: week.dims[d.key], band: bandOf(week.dims[d.key]) }])),
        upsell: week.upsell,
        upsellAmount: week.upsellAmount === null ? null : week.upsellAmount.toFixed(2),
        schemeVersion: 1,
        computedAt: new Date(computedAt),
      });
      if (previous && previous.band !== week.band) {
        addTimeline(account, "health_change", computedAt - HOUR, `Health changed from ${previous.band} to ${week.band}`, { from: previous.band, to: week.band, score: week.score, weekStart: isoDay(week.weekStart) }, null, null);
      }
      previous = week;
    }
  }

  // ----- lifecycles -------------------------------------------------------------------------
  const lrng = root.fork("lifecycles");
  const stageIds: Record<string, Record<string, string>> = {};
  const stageNames: Record<string, Record<string, string>> = {};
  const lifecycleIds: Record<string, string> = {};
  LIFECYCLES.forEach((def, i) => {
    const lifecycleId = ids.uuid();
    lifecycleIds[def.key] = lifecycleId;
    stageIds[def.key] = {};
    stageNames[def.key] = {};
    store.add(s.lifecycles, { id: lifecycleId, key: def.key, name: def.name, position: i });
    def.stages.forEach(([key, name], position) => {
      stageIds[def.key][key] = ids.uuid();
      stageNames[def.key][key] = name;
      store.add(s.lifecycleStages, { id: stageIds[def.key][key], lifecycleId, key, name, position });
    });
  });
  const writeStages = (account: Account, lifecycleKey: "journey" | "onboarding", path: [string, number][]) => {
    const steps = path.filter(([, at]) => at < now);
    if (!steps.length) return;
    const def = LIFECYCLES.find((d) => d.key === lifecycleKey)!;
    let from: string | null = null;
    for (const [stage, at] of steps) {
      const actor = lrng.chance(0.85) ? csmOf(account) : aeOf(account);
      store.add(s.stageChanges, {
        accountId: account.id,
        lifecycleId: lifecycleIds[lifecycleKey],
        fromStageId: from ? stageIds[lifecycleKey][from] : null,
        toStageId: stageIds[lifecycleKey][stage],
        changedBy: actor.id,
        changedAt: new Date(at),
      });
      addTimeline(
        account,
        "lifecycle_change",
        at,
        `${def.name}: ${from ? `${stageNames[lifecycleKey][from]} → ` : ""}${stageNames[lifecycleKey][stage]}`,
        { lifecycle: def.name, lifecycleKey, from: from ? stageNames[lifecycleKey][from] : null, to: stageNames[lifecycleKey][stage], fromKey: from, toKey: stage },
        null,
        actor,
      );
      from = stage;
    }
    const [lastStage, since] = steps[steps.length - 1];
    store.add(s.accountStages, { accountId: account.id, lifecycleId: lifecycleIds[lifecycleKey], stageId: stageIds[lifecycleKey][lastStage], since: new Date(since) });
    if (lifecycleKey === "journey") account.journeyStage = lastStage;
  };
  const stamp = (ms: number) => floorDay(ms) + lrng.int(9, 17) * HOUR + lrng.int(0, 59) * 60_000;
  for (const account of accounts) {
    if (account.type === "opportunity") continue;
    const start = account.createdAt;
    const kickoff = stamp(start + lrng.int(1, 6) * DAY);
    const configuration = stamp(kickoff + lrng.int(8, 20) * DAY);
    const training = stamp(configuration + lrng.int(15, 35) * DAY);
    const goLive = stamp(training + lrng.int(12, 40) * DAY);
    if (account.type === "product" || account.type === "line_of_business") {
      writeStages(account, "onboarding", [["kickoff", kickoff], ["configuration", configuration], ["training", training], ["go_live", goLive]]);
    }
    const journey: [string, number][] = [["onboarding", stamp(start)]];
    let cursor = goLive + lrng.int(0, 5) * DAY;
    journey.push(["adoption", stamp(cursor)]);
    cursor += lrng.int(70, 180) * DAY;
    journey.push(["nurture", stamp(cursor)]);
    while (cursor < now) {
      cursor += lrng.int(200, 330) * DAY;
      journey.push(["renewal", stamp(cursor)]);
      cursor += lrng.int(25, 75) * DAY;
      if (lrng.chance(0.35)) {
        journey.push(["expansion", stamp(cursor)]);
        cursor += lrng.int(30, 90) * DAY;
      }
      journey.push(["nurture", stamp(cursor)]);
    }
    writeStages(account, "journey", journey);
  }

  // ----- revenue ----------------------------------------------------------------------------
  const rrng = root.fork("revenue");
  let contractSeq = 10000;
  let invoiceSeq = 0;
  for (const product of products) {
    const scale = product === busiest ? 1 : clamp(Math.exp(rrng.normal(0, 0.6)), 0.25, 4);
    let annual = Math.round((product === busiest ? 960_000 : 85_000 * scale * (0.6 + Math.sqrt(product.busyness))) / 100) * 100;
    const term = product === busiest ? 24 : rrng.pick([12, 12, 24, 36]);
    let start = floorDay(product.createdAt);
    const lapsed = product !== busiest && rrng.chance(0.04);
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
        externalId: `CTR-${++contractSeq}`,
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
          number: `INV-${new Date(issued).getUTCFullYear()}-${String(++invoiceSeq).padStart(5, "0")}`,
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
    if (rrng.chance(0.15) || product === busiest) {
      const addOnStart = floorDay(now - rrng.int(60, 280) * DAY);
      const addOnAnnual = Math.round((annual * rrng.float(0.08, 0.25)) / 100) * 100;
      const mrr = Math.round((addOnAnnual / 12) * 100) / 100;
      store.add(s.contracts, {
        id: ids.uuid(),
        accountId: product.id,
        externalId: `CTR-${++contractSeq}`,
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
    if (rrng.chance(0.05) || product === busiest) {
      const sandboxStart = floorDay(now - rrng.int(30, 200) * DAY);
      store.add(s.contracts, {
        id: ids.uuid(),
        accountId: product.id,
        externalId: `CTR-${++contractSeq}`,
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
    if (rrng.chance(0.15) || product === busiest) {
      store.add(s.sales, {
        id: ids.uuid(),
        accountId: product.id,
        name: rrng.pick(["Implementation services", "Admin training workshop", "Data migration", "Custom report pack", "Integration health check"]),
        amount: (rrng.int(5, 80) * 1000).toFixed(2),
        soldOn: isoDay(now - rrng.int(10, 600) * DAY),
      });
    }
    product.mrr = Math.round(product.mrr * 100) / 100;
    product.arr = Math.round(product.mrr * 12);
    product.seats = product.arr ? Math.max(5, Math.round(product.arr / rrng.int(350, 900))) : rrng.int(5, 40);
  }
  const sumUp = (account: Account): void => {
    if (account.type === "product" || account.type === "opportunity") return;
    account.arr = 0;
    account.seats = 0;
    for (const child of account.children) {
      sumUp(child);
      account.arr += child.arr;
      account.seats += child.seats;
    }
  };
  sumUp(company);
  const overrideProduct = products.find((p) => p.region.key === "emea" && p.productName === "Fraud Shield" && p.mrr > 0) ?? products[3];

  // ----- attributes -------------------------------------------------------------------------
  const attributeIds: Record<TypeKey, Record<string, string>> = { company: {}, region: {}, line_of_business: {}, product: {}, opportunity: {} };
  const attributeLabels: Record<string, string> = {};
  const privilegedKeys = new Set<string>();
  for (const def of typeDefs) {
    const groupIds: Record<string, string> = {};
    FIELD_GROUPS[def.key].forEach(([name, featured], position) => {
      groupIds[name] = ids.uuid();
      store.add(s.fieldGroups, { id: groupIds[name], accountTypeId: typeIds[def.key], name, featured, position });
    });
    const list = def.key === "opportunity" ? OPPORTUNITY_ATTRIBUTES : COMPANY_ATTRIBUTES;
    list.forEach((attr, position) => {
      const id = ids.uuid();
      attributeIds[def.key][attr.key] = id;
      attributeLabels[attr.key] = attr.label;
      if (attr.privileged) privilegedKeys.add(attr.key);
      const rolls = Boolean(attr.rollup) && def.key !== "product" && def.key !== "opportunity";
      store.add(s.attributeDefinitions, {
        id,
        accountTypeId: typeIds[def.key],
        key: attr.key,
        label: attr.label,
        dataType: attr.dataType,
        groupId: groupIds[attr.group],
        keyInfo: Boolean(attr.keyInfo),
        privileged: Boolean(attr.privileged),
        rollupRule: rolls ? "sum" : "none",
        rollupSourceKey: rolls ? attr.key : null,
        options: attr.options ?? null,
        position,
      });
    });
  }

  const vrng = root.fork("attribute-values");
  const DEAL_PROBABILITY: Record<string, number> = { Discovery: 20, Proposal: 40, Negotiation: 60, "Verbal commit": 85 };
  const segmentOf = (arr: number) => (arr >= 250_000 ? "Enterprise" : arr >= 60_000 ? "Mid-Market" : "SMB");
  const NOTES = [
    "Sponsor is supportive but budget sign-off moved to the group CFO this year.",
    "Champion is very hands-on; prefers short calls and written summaries.",
    "Watch the reconciliation backlog: it drives most of their support tickets.",
    "Procurement pushes hard on discount at renewal; hold the line on multi-year terms.",
    "Team restructured in Q2; new operations lead still getting up to speed.",
    "Strong reference candidate once the mobile rollout is complete.",
    "Integration with the core ledger is fragile; involve the SE before any upgrade.",
  ];
  const finalValues = new Map<Account, Record<string, unknown>>();
  for (const account of accounts) {
    const v: Record<string, unknown> = {};
    const created = account.createdAt;
    if (account.type === "opportunity") {
      const amount = vrng.int(20, 400) * 1000;
      v.amount = amount;
      v.close_date = isoDay(now + vrng.int(14, 200) * DAY);
      v.deal_stage = vrng.pick(["Discovery", "Proposal", "Negotiation", "Verbal commit"]);
      v.probability = DEAL_PROBABILITY[v.deal_stage as string];
      v.next_step = vrng.pick(["Send revised proposal", "Security review with IT", "Pricing call with procurement", "Demo for the operations team", "Legal redlines on the order form"]);
      if (vrng.chance(0.5)) v.competitor = vrng.pick(["Finastra", "Temenos", "In-house build", "FIS"]);
      finalValues.set(account, v);
      continue;
    }
    v.arr = account.arr || null;
    v.seats = account.seats || null;
    v.industry = account.line?.industry ?? "Banking";
    v.date_acquired = isoDay(created);
    if (account.type === "company") {
      v.executive_summary = `${COMPANY_NAME} is a diversified financial-services group operating in ${REGIONS.length} regions with ${lobs.length} lines of business. Goals this year: consolidate payments onto one platform, cut manual reconciliation in half and launch self-service onboarding for small-business clients.`;
      v.segment = "Enterprise";
      v.is_strategic = true;
      v.website = `https://www.${CUSTOMER_DOMAIN}`;
      v.employees = 48_500;
      v.yearly_revenue = 12_400_000_000;
      v.year_established = 1898;
      v.discount_pct = 12;
      v.csm_notes = "Group-level relationship owned by Lee; all pricing exceptions go through the quarterly steering committee.";
    } else if (account.type === "region") {
      v.executive_summary = `${account.name} covers ${account.children.length} lines of business run from ${account.region.city}. Focus: standardise on Payments Hub and Risk Analytics across business lines before the group-wide renewal.`;
      v.segment = "Enterprise";
      v.is_strategic = true;
      v.website = `https://${account.region.key}.${CUSTOMER_DOMAIN}`;
      v.employees = { emea: 17_200, americas: 19_800, apac: 11_500 }[account.region.key];
      v.yearly_revenue = { emea: 4_600_000_000, americas: 5_300_000_000, apac: 2_500_000_000 }[account.region.key];
      v.discount_pct = vrng.int(8, 14);
      v.csm_notes = vrng.pick(NOTES);
    } else if (account.type === "line_of_business") {
      v.executive_summary = `${account.name} uses our platform for ${account.line!.focus}. ${account.children.length} products live; the sponsor measures success on straight-through processing and time saved per case.`;
      v.segment = account.arr >= 1_000_000 ? "Enterprise" : "Mid-Market";
      v.is_strategic = vrng.chance(0.3);
      if (vrng.chance(0.7)) v.website = `https://${account.region.key}.${CUSTOMER_DOMAIN}/${account.line!.key}`;
      v.employees = vrng.int(8, 60) * 50;
      if (vrng.chance(0.6)) v.yearly_revenue = vrng.int(20, 900) * 1_000_000;
      if (vrng.chance(0.5)) v.year_established = vrng.int(1950, 2015);
      if (vrng.chance(0.6)) v.discount_pct = vrng.int(5, 18);
      if (vrng.chance(0.5)) v.csm_notes = vrng.pick(NOTES);
    } else {
      if (account === busiest || vrng.chance(0.85)) {
        v.executive_summary = `${account.productName} runs ${account.lobName}'s ${account.line!.focus}. About ${account.seats} seats across ${vrng.int(2, 40)} sites; this year's goal: ${vrng.pick(["retire the legacy batch tool", "halve manual reconciliation", "move approvals to mobile", "onboard the new subsidiary", "pass the regulator's audit without findings"])}.`;
      }
      v.segment = segmentOf(account.arr);
      if (account.renewalDate) v.renewal_date = account.renewalDate;
      if (vrng.chance(0.3)) delete v.industry;
      if (account === busiest || vrng.chance(0.7)) v.is_strategic = account === busiest || vrng.chance(0.12);
      if (account === busiest || vrng.chance(0.6)) v.discount_pct = vrng.int(0, 20);
      if (vrng.chance(0.3)) v.website = `https://${slug(account.productName!)}.${account.region.key}.${CUSTOMER_DOMAIN}`;
      if (vrng.chance(0.4)) v.employees = vrng.int(2, 40) * 25;
      if (vrng.chance(0.2)) v.yearly_revenue = vrng.int(5, 300) * 1_000_000;
      if (vrng.chance(0.2)) v.year_established = vrng.int(1990, 2020);
      if (account === busiest || vrng.chance(0.45)) v.csm_notes = vrng.pick(NOTES);
      if (vrng.chance(0.2)) delete v.date_acquired;
      if (account === overrideProduct) v.mrr_override = Math.round(account.mrr * 0.85);
    }
    for (const key of Object.keys(v)) if (v[key] === null || v[key] === undefined) delete v[key];
    finalValues.set(account, v);
  }

  /** An earlier plausible value of an attribute, for history chains that end in the current value. */
  const previousValue = (key: string, value: unknown, account: Account): unknown => {
    switch (key) {
      case "seats":
        return Math.max(1, (value as number) - vrng.int(3, 40));
      case "arr":
        return Math.round(((value as number) * vrng.float(0.8, 0.95)) / 100) * 100;
      case "renewal_date":
        return isoDay(Date.parse(`${value}T00:00:00Z`) - 365 * DAY);
      case "segment":
        return value === "Enterprise" ? "Mid-Market" : value === "SMB" ? "Mid-Market" : vrng.pick(["SMB", "Enterprise"]);
      case "discount_pct":
        return clamp((value as number) + vrng.pick([-5, -3, 2, 4, 5]), 0, 30);
      case "csm_notes":
        return vrng.pick(NOTES.filter((n) => n !== value));
      case "executive_summary":
        return `${account.name}: ${account.line?.focus ?? "group platform"}. Rollout in progress.`;
      case "is_strategic":
        return !value;
      case "employees":
        return Math.max(10, (value as number) - vrng.int(1, 10) * 25);
      case "deal_stage": {
        const stages = ["Discovery", "Proposal", "Negotiation", "Verbal commit"];
        return stages[Math.max(0, stages.indexOf(value as string) - 1)];
      }
      case "probability":
        return Math.max(10, (value as number) - 20);
      case "amount":
        return Math.round(((value as number) * vrng.float(0.6, 0.9)) / 1000) * 1000;
      case "close_date":
        return isoDay(Date.parse(`${value}T00:00:00Z`) - vrng.int(20, 60) * DAY);
      default:
        return null;
    }
  };
  const MUTABLE = ["seats", "arr", "renewal_date", "segment", "discount_pct", "csm_notes", "executive_summary", "is_strategic", "employees"];
  const recentAccounts = new Set<Account>([busiest, regions.emea, ...vrng.sample(products, 30), ...vrng.sample(lobs, 4)]);
  for (const account of accounts) {
    const values = finalValues.get(account)!;
    const typeAttrIds = attributeIds[account.type];
    const importAt = account.createdAt + 2 * HOUR;
    const active = account === busiest || account.type === "opportunity" || recentAccounts.has(account) || vrng.chance(0.55);
    const mutable = Object.keys(values).filter((k) => (account.type === "opportunity" ? ["amount", "close_date", "deal_stage", "probability"] : MUTABLE).includes(k));
    const changing = new Set(active ? vrng.sample(mutable, account === busiest ? mutable.length : vrng.int(1, 4)) : []);
    const windowStart = Math.max(account.createdAt + 10 * DAY, yearAgo);
    for (const key of Object.keys(values)) {
      const attributeId = typeAttrIds[key];
      // The chain of values, oldest first, ending with the current one.
      const chain: unknown[] = [values[key]];
      let times: number[] = [];
      const people = teamOf(account);
      if (key === "mrr_override") {
        // Set once, by hand, a few weeks ago: the import never had it.
        const at = stamp(now - 19 * DAY);
        const by = csmOf(account);
        store.add(s.attributeChanges, { accountId: account.id, attributeId, oldValue: null, newValue: values[key], changedBy: by.id, changedAt: new Date(at), source: "app" });
        store.add(s.attributeValues, { accountId: account.id, attributeId, value: values[key], version: 1, updatedBy: by.id, updatedAt: new Date(at) });
        addTimeline(account, "attribute_change", at, `${attributeLabels[key]} set`, { attributeKey: key, label: attributeLabels[key], old: null, new: values[key] }, attributeId, by);
        continue;
      }
      if (changing.has(key) && windowStart < now - DAY) {
        const steps = account === busiest ? vrng.int(2, 4) : vrng.int(1, 3);
        for (let i = 0; i < steps; i++) {
          const earlier = previousValue(key, chain[0], account);
          // A step that would not change anything is no change at all.
          if (earlier === null || JSON.stringify(earlier) === JSON.stringify(chain[0])) break;
          chain.unshift(earlier);
        }
        times = Array.from({ length: chain.length - 1 }, () => windowStart + Math.floor(vrng.next() * (now - HOUR - windowStart))).sort((a, b) => a - b);
        if (recentAccounts.has(account) && times.length) times[times.length - 1] = now - vrng.int(2, 6 * 24) * HOUR;
        times.sort((a, b) => a - b);
      }
      // The import: the first value, without an author.
      store.add(s.attributeChanges, { accountId: account.id, attributeId, oldValue: null, newValue: chain[0], changedBy: null, changedAt: new Date(importAt), source: "import" });
      let lastBy: Staff | null = null;
      let lastAt = importAt;
      for (let i = 1; i < chain.length; i++) {
        const by = people.length ? vrng.pick(people) : admin;
        const at = Math.max(times[i - 1], lastAt + 60_000);
        store.add(s.attributeChanges, { accountId: account.id, attributeId, oldValue: chain[i - 1], newValue: chain[i], changedBy: by.id, changedAt: new Date(at), source: "app" });
        // Privileged values stay out of the timeline, which every viewer of the account may read.
        if (!privilegedKeys.has(key)) {
          addTimeline(account, "attribute_change", at, `${attributeLabels[key]} changed`, { attributeKey: key, label: attributeLabels[key], old: chain[i - 1], new: chain[i] }, attributeId, by);
        }
        lastBy = by;
        lastAt = at;
      }
      store.add(s.attributeValues, { accountId: account.id, attributeId, value: values[key], version: chain.length, updatedBy: lastBy?.id ?? null, updatedAt: new Date(lastAt) });
    }
  }

  // ----- usage ------------------------------------------------------------------------------
  const moduleIds: Record<string, string> = {};
  const activities: { id: string; moduleKey: string; moduleId: string; key: string; name: string; weight: number }[] = [];
  for (const module of USAGE_MODULES) {
    moduleIds[module.key] = ids.uuid();
    store.add(s.usageModules, { id: moduleIds[module.key], key: module.key, name: module.name });
    for (const [key, name, weight] of module.activities) {
      const activity = { id: ids.uuid(), moduleKey: module.key, moduleId: moduleIds[module.key], key, name, weight };
      activities.push(activity);
      store.add(s.usageActivities, { id: activity.id, moduleId: activity.moduleId, key, name });
    }
  }
  const uRng = root.fork("usage");
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(uRng.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= uRng.next();
    } while (p > limit);
    return k - 1;
  };
  const daily = new Map<string, { accountId: string; day: string; activityId: string; moduleId: string; contactId: string; events: number }>();
  for (const product of products) {
    const moduleWeights = PRODUCT_MODULE_WEIGHTS[product.productName!];
    const weightedActivities = activities
      .filter((a) => moduleWeights[a.moduleKey])
      .map((a) => [a, a.weight * moduleWeights[a.moduleKey]] as const);
    const people = usersOf(product);
    // A few power users do most of the work.
    const weightedPeople = people.map((c, i) => [c, i === 0 ? 5 : 1 + uRng.next() * 3] as const);
    const firstDay = Math.max(floorDay(yearAgo) + DAY, floorDay(product.createdAt) + 14 * DAY);
    for (let day = firstDay; day <= today; day += DAY) {
      const weekday = new Date(day).getUTCDay();
      const weekdayFactor = weekday === 0 || weekday === 6 ? 0.2 : 1.15;
      const trend = 0.8 + (0.4 * (day - yearAgo)) / (365 * DAY);
      const weekIndex = Math.floor((day - weekStarts[0]) / (7 * DAY));
      const dipFactor = product.dip && weekIndex >= product.dip[0] && weekIndex <= product.dip[1] ? 0.4 : 1;
      const rows = poisson(product.busyness * weekdayFactor * trend * dipFactor);
      for (let r = 0; r < rows; r++) {
        const activity = uRng.weighted(weightedActivities);
        const contact = people.length && uRng.chance(0.93) ? uRng.weighted(weightedPeople) : null;
        const occurredAt = officeTime(uRng, day) + uRng.int(0, 59_999);
        if (occurredAt >= now) continue;
        const count = 1 + Math.floor(uRng.next() ** 2 * (product.busyness > 10 ? 25 : 12));
        store.add(s.usageEvents, { accountId: product.id, contactId: contact?.id ?? null, moduleId: activity.moduleId, activityId: activity.id, occurredAt: new Date(occurredAt), count });
        const contactId = contact?.id ?? s.NO_CONTACT;
        const dayKey = isoDay(occurredAt);
        const key = `${product.id}|${dayKey}|${activity.id}|${contactId}`;
        const entry = daily.get(key);
        if (entry) entry.events += count;
        else daily.set(key, { accountId: product.id, day: dayKey, activityId: activity.id, moduleId: activity.moduleId, contactId, events: count });
      }
    }
  }
  for (const row of daily.values()) store.add(s.usageDaily, row);

  // ----- touchpoints ------------------------------------------------------------------------
  const trng = root.fork("touchpoints");
  const TOUCHPOINTS: { type: (typeof s.touchpointType.enumValues)[number]; subject: string; body: string }[] = [
    { type: "call", subject: "Weekly sync with {champion}", body: "Walked through open items with {champion}. Volumes on {name} are steady; they want the reconciliation export to include settlement dates. Agreed to confirm the roadmap date with product by Friday." },
    { type: "qbr", subject: "Quarterly business review — {name}", body: "Reviewed adoption against the success plan: active users up {pct}% quarter over quarter, two integrations still pending. {sponsor} asked for a benchmark against peer banks before the renewal conversation. Next QBR pencilled in for next quarter." },
    { type: "email", subject: "Renewal timeline for {name}", body: "Sent the renewal timeline and the draft order form to {contact}. Procurement needs the security questionnaire refreshed by the end of the month; I will coordinate with the SE." },
    { type: "note", subject: "Escalation follow-up", body: "Ticket backlog down to {n} open items after last week's patch. {contact} still reports slow report exports in the afternoon; logged with support for the performance team." },
    { type: "call", subject: "Executive check-in with {sponsor}", body: "{sponsor} is happy with the rollout pace but worried about the budget freeze in Q1. Positioned the multi-year option; they will take it to the steering committee." },
    { type: "meeting", subject: "Admin training session", body: "Ran a 90-minute admin training for {n} people from the operations team: roles, approval chains and alert rules. Recording and slides shared afterwards." },
    { type: "email", subject: "Release notes: dashboard sharing", body: "Shared the release notes for dashboard sharing and scheduled exports with {champion}. They plan to retire the weekly spreadsheet once scheduled reports are switched on." },
    { type: "note", subject: "Champion changing roles", body: "Heard from {contact} that {champion} is moving to another team next quarter. Need a new champion; asking for an intro to the operations lead." },
    { type: "meeting", subject: "Integration workshop", body: "Workshop with their IT team on the core-ledger integration. Agreed on webhook retries and a nightly reconciliation job. Action items: sandbox credentials, test plan, go/no-go in three weeks." },
    { type: "call", subject: "Usage dip investigation", body: "Usage dropped for two weeks. Root cause: a month-end freeze on the payments desk plus an SSO certificate issue for a subset of users. Both resolved; usage is recovering." },
    { type: "chat", subject: "Quick question on approval limits", body: "{contact} asked whether approval limits can differ per branch. Pointed them to the approval-chain settings and offered a short call." },
    { type: "email", subject: "Invoice query from finance", body: "{contact} from finance asked about the add-on line on the last invoice. Explained the prorated seats and sent the breakdown." },
    { type: "meeting", subject: "Roadmap preview", body: "Previewed next quarter's roadmap: bulk approvals, mobile alerts and the new audit export. Strong interest in bulk approvals; they offered to join the beta." },
    { type: "note", subject: "Internal account review", body: "Account review with the AE: health is {band}, renewal in view, expansion potential in the neighbouring business lines. Agreed to run an executive sponsor meeting before the renewal." },
    { type: "call", subject: "Go-live readiness check", body: "Walked through the go-live checklist with {champion}: user provisioning done, data migration validated, support runbook shared. Go-live confirmed." },
    { type: "qbr", subject: "Executive business review — {name}", body: "Presented outcomes to {sponsor}: manual work down {pct}%, faster month-end close, fewer escalations. Discussed expansion to two more teams next year." },
    { type: "email", subject: "Feedback on the mobile beta", body: "{champion} sent feedback on the mobile beta: approvals on the go work well, but push notifications arrive late. Forwarded to the product team." },
    { type: "note", subject: "Expansion signal", body: "{contact} mentioned a new subsidiary joining in spring that will need the same setup. Flagged to the AE as an expansion opportunity." },
    { type: "meeting", subject: "Onboarding kickoff", body: "Kickoff with {champion} and the project team: scope, timeline, success criteria and weekly status calls agreed. Configuration starts next week." },
    { type: "call", subject: "Support escalation review", body: "Reviewed the open high-priority tickets with {contact}. Two are waiting on the customer's IT; one is a confirmed bug with a fix in the next release." },
  ];
  const TOPUP_SUBJECTS = [
    "Daily stand-up notes: payments rollout",
    "Settlement file check",
    "Branch onboarding wave update",
    "Approval-chain change request",
    "Month-end close support",
    "Alert tuning follow-up",
    "Weekly usage review",
    "Integration error triage",
    "User access review",
    "Report pack feedback",
  ];
  const participantsFor = (account: Account, at: number, author: Staff) => {
    const people = account.links.length ? trng.sample(account.links, trng.int(1, Math.min(3, account.links.length))) : [];
    const colleagues = trng.chance(0.3) ? teamOf(account).filter((u) => u.id !== author.id).slice(0, 1) : [];
    void at;
    return { contacts: people.map((l) => l.contact), users: [author, ...colleagues] };
  };
  const addTouchpoint = (account: Account, at: number, type: (typeof s.touchpointType.enumValues)[number], subject: string, body: string, author: Staff) => {
    const id = ids.uuid();
    store.add(s.touchpoints, { id, accountId: account.id, type, subject, body, occurredAt: new Date(at), authorId: author.id, createdAt: new Date(at + trng.int(5, 240) * 60_000) });
    const { contacts: people, users } = participantsFor(account, at, author);
    for (const contact of people) store.add(s.touchpointParticipants, { touchpointId: id, contactId: contact.id, userId: null });
    for (const user of users) store.add(s.touchpointParticipants, { touchpointId: id, contactId: null, userId: user.id });
    addTimeline(
      account,
      "touchpoint",
      at,
      `${type === "qbr" ? "QBR" : type[0].toUpperCase() + type.slice(1)}: ${subject}`,
      { type, subject, body: excerpt(body), participants: [...people.map((c) => c.name), ...users.map((u) => u.name)] },
      id,
      author,
    );
  };
  const textValues = (account: Account) => {
    const champion = account.links.find((l) => l.role === "Champion")?.contact.name ?? account.links[0]?.contact.name ?? "the project lead";
    const sponsor = account.links.find((l) => l.role === "Executive sponsor" || l.role === "Decision maker")?.contact.name ?? champion;
    return { name: account.name, champion, sponsor, contact: account.links.length ? trng.pick(account.links).contact.name : champion, pct: trng.int(8, 45), n: trng.int(3, 14), band: latestBand(account) ?? "average" };
  };
  for (const account of accounts) {
    const count =
      account.type === "company" ? 3 : account.type === "region" ? trng.int(3, 5) : account.type === "line_of_business" ? trng.int(3, 7) : account.type === "opportunity" ? trng.int(1, 3) : account.busyness > 5 ? trng.int(14, 24) : trng.int(2, 10);
    const from = Math.max(account.createdAt + DAY, now - 400 * DAY);
    for (let i = 0; i < count; i++) {
      const template = trng.pick(TOUCHPOINTS);
      const values = textValues(account);
      const at = officeTime(trng, from + trng.next() * (now - HOUR - from));
      if (at >= now) continue;
      const author = trng.chance(0.8) ? csmOf(account) : aeOf(account);
      addTouchpoint(account, at, template.type, fill(template.subject, values), fill(template.body, values), author);
    }
  }

  // ----- playbooks, success plans and tasks -------------------------------------------------
  const krng = root.fork("tasks");
  const playbookDefs = [
    { name: "Onboarding kickoff", description: "First 30 days of a new product: kickoff to go-live.", steps: [["Schedule kickoff call", 0, "high"], ["Share onboarding plan", 2, "medium"], ["Confirm admin users and SSO", 7, "high"], ["Run admin training", 14, "medium"], ["Go-live readiness review", 28, "high"]] },
    { name: "Renewal preparation", description: "Starts 120 days before the renewal date.", steps: [["Review usage and health trends", 0, "medium"], ["Prepare value summary for the sponsor", 10, "high"], ["Executive sponsor meeting", 30, "high"], ["Send renewal proposal", 45, "urgent"]] },
    { name: "At-risk recovery", description: "When health turns poor: find the cause and agree a recovery plan.", steps: [["Call the champion to understand the drop", 0, "urgent"], ["Review open support tickets", 1, "high"], ["Agree a recovery plan with the customer", 7, "high"], ["Check health again after two weeks", 21, "medium"]] },
  ] as const;
  const playbookIds: string[] = [];
  playbookDefs.forEach((def, i) => {
    const id = ids.uuid();
    playbookIds.push(id);
    store.add(s.playbooks, { id, name: def.name, description: def.description, createdAt: new Date(now - (700 - i * 30) * DAY) });
    def.steps.forEach(([title, offsetDays, priority], position) => store.add(s.playbookSteps, { id: ids.uuid(), playbookId: id, title, offsetDays, priority, position }));
  });
  const TASKS = [
    "Send QBR deck to {champion}",
    "Follow up on renewal pricing",
    "Schedule admin training",
    "Review open support tickets with {champion}",
    "Confirm go-live date",
    "Prepare executive business review",
    "Update success plan objectives",
    "Follow up on NPS feedback",
    "Check integration error rates",
    "Introduce the new solutions engineer",
    "Share release notes for next quarter",
    "Validate seat count before renewal",
    "Book onsite workshop",
    "Draft expansion proposal",
    "Verify billing contact",
    "Chase signed order form",
    "Run usage health check",
    "Find a new champion",
  ];
  const priorityOf = () => krng.weighted([["low", 20], ["medium", 45], ["high", 25], ["urgent", 10]] as const);
  const addTask = (
    account: Account,
    fields: { title: string; createdAt: number; dueDate: number | null; assignee: Staff; priority: (typeof s.taskPriority.enumValues)[number]; objectiveId?: string; playbookId?: string; description?: string; createdBy?: Staff },
  ) => {
    const id = ids.uuid();
    const due = fields.dueDate;
    let status: (typeof s.taskStatus.enumValues)[number] = "open";
    let completedAt: number | null = null;
    if (due !== null && due < today - 2 * DAY && krng.chance(0.82)) status = "done";
    else if (due !== null && due < today + 20 * DAY && krng.chance(0.12)) status = "in_progress";
    else if (krng.chance(0.04)) status = "cancelled";
    if (status === "done") completedAt = Math.min(now - HOUR, Math.max(fields.createdAt + HOUR, (due ?? now) - krng.int(-3, 6) * DAY + krng.int(9, 17) * HOUR));
    store.add(s.tasks, {
      id,
      accountId: account.id,
      title: fields.title,
      description: fields.description ?? null,
      dueDate: due === null ? null : isoDay(due),
      assigneeId: fields.assignee.id,
      priority: fields.priority,
      status,
      objectiveId: fields.objectiveId ?? null,
      playbookId: fields.playbookId ?? null,
      createdBy: (fields.createdBy ?? fields.assignee).id,
      createdAt: new Date(fields.createdAt),
      completedAt: completedAt === null ? null : new Date(completedAt),
    });
    addTimeline(
      account,
      "task",
      fields.createdAt,
      `Task created: ${fields.title}`,
      { title: fields.title, dueDate: due === null ? null : isoDay(due), priority: fields.priority, assignee: fields.assignee.name, status: "open" },
      id,
      fields.createdBy ?? fields.assignee,
    );
    return id;
  };
  for (const account of accounts) {
    const count =
      account === busiest ? 14 : account.type === "product" ? krng.int(0, 5) : account.type === "line_of_business" ? krng.int(1, 3) : account.type === "opportunity" ? krng.int(0, 2) : krng.int(1, 2);
    for (let i = 0; i < count; i++) {
      // Most tasks are recent: due dates from a few weeks overdue to next month, plus older done ones.
      const recent = krng.chance(0.65);
      const due = recent ? today + krng.int(-20, 35) * DAY : today - krng.int(25, 330) * DAY;
      const createdAt = Math.max(account.createdAt + HOUR, officeTime(krng, due - krng.int(3, 40) * DAY));
      if (createdAt >= now) continue;
      const assignee = krng.chance(0.75) ? csmOf(account) : krng.pick(teamOf(account).length ? teamOf(account) : [csmOf(account)]);
      addTask(account, { title: fill(krng.pick(TASKS), textValues(account)), createdAt, dueDate: due, assignee, priority: priorityOf() });
    }
  }
  // Playbooks applied on some accounts: their steps become tasks.
  const playbookTargets: [Account, number][] = [
    ...products.filter((p) => now - p.createdAt < 120 * DAY).slice(0, 4).map((p) => [p, 0] as [Account, number]),
    ...krng.sample(products.filter((p) => p.journeyStage === "renewal"), 4).map((p) => [p, 1] as [Account, number]),
    ...products.filter((p) => latestBand(p) === "poor").slice(0, 4).map((p) => [p, 2] as [Account, number]),
  ];
  for (const [account, index] of playbookTargets) {
    const applied = officeTime(krng, now - krng.int(3, 25) * DAY);
    const assignee = csmOf(account);
    for (const [title, offsetDays, priority] of playbookDefs[index].steps) {
      addTask(account, { title, createdAt: applied, dueDate: floorDay(applied) + offsetDays * DAY, assignee, priority, playbookId: playbookIds[index], description: `From the "${playbookDefs[index].name}" SuccessPlay.` });
    }
  }
  // Casey's own portfolio gets a full to-do list.
  for (const product of caseyProducts.slice(0, 10)) {
    addTask(product, { title: fill(krng.pick(TASKS), textValues(product)), createdAt: officeTime(krng, now - krng.int(2, 20) * DAY), dueDate: today + krng.int(-6, 30) * DAY, assignee: casey, priority: priorityOf() });
  }
  const OBJECTIVES = [
    ["Roll out to all branches", "Every branch of the business line uses the product for daily work."],
    ["Reduce manual reconciliation by 50%", "Measured on the monthly count of manually matched items."],
    ["Integrate with the core ledger", "Nightly reconciliation and real-time postings in production."],
    ["Train 40 power users", "Two power users per team, certified on the admin course."],
    ["Reach 80% weekly active users", "Of licensed seats, over four consecutive weeks."],
    ["Retire the legacy reporting tool", "All scheduled reports moved and the old tool switched off."],
    ["Quarterly executive reviews", "A business review with the sponsor every quarter."],
  ] as const;
  const planTargets = [busiest, ...krng.sample(products.filter((p) => p !== busiest), 17), ...krng.sample(lobs, 6)];
  planTargets.forEach((account, i) => {
    const planCount = account === busiest ? 2 : 1;
    for (let p = 0; p < planCount; p++) {
      const planId = ids.uuid();
      const createdAt = officeTime(krng, Math.max(account.createdAt + 30 * DAY, now - krng.int(40, 300) * DAY));
      const status = i % 9 === 4 ? "completed" : i % 13 === 7 ? "archived" : "active";
      const owner = csmOf(account);
      const year = new Date(now).getUTCFullYear() + (p === 0 ? 0 : 1);
      store.add(s.successPlans, {
        id: planId,
        accountId: account.id,
        name: p === 0 ? `${account.productName ?? account.name} success plan ${year}` : `Expansion plan ${year}`,
        status,
        dueDate: isoDay(now + krng.int(30, 240) * DAY),
        createdBy: owner.id,
        createdAt: new Date(createdAt),
      });
      for (const [title, description] of krng.sample(OBJECTIVES, krng.int(2, 4))) {
        const objectiveId = ids.uuid();
        const progress = status === "completed" ? 100 : krng.pick([0, 10, 25, 40, 50, 60, 75, 90, 100]);
        const objectiveCreated = createdAt + krng.int(0, 3) * DAY;
        const due = now + krng.int(-20, 200) * DAY;
        store.add(s.objectives, {
          id: objectiveId,
          planId,
          title,
          description,
          progress,
          dueDate: isoDay(due),
          createdBy: owner.id,
          createdAt: new Date(objectiveCreated),
          completedAt: progress === 100 ? new Date(Math.min(now - DAY, objectiveCreated + krng.int(20, 120) * DAY)) : null,
        });
        addTimeline(account, "objective", objectiveCreated, `Objective added: ${title}`, { title, progress: 0, dueDate: isoDay(due) }, objectiveId, owner);
        for (let t = 0, n = krng.int(1, 3); t < n; t++) {
          const taskCreated = objectiveCreated + krng.int(0, 10) * DAY;
          if (taskCreated >= now) continue;
          addTask(account, {
            title: krng.pick(["Agree success criteria", "Collect baseline numbers", "Workshop with the operations team", "Review progress with the sponsor", "Enable the integration in production", "Send a progress summary"]),
            createdAt: taskCreated,
            dueDate: Math.min(due, taskCreated + krng.int(7, 60) * DAY),
            assignee: krng.chance(0.7) ? owner : krng.pick(teamOf(account)),
            priority: priorityOf(),
            objectiveId,
            createdBy: owner,
          });
        }
      }
    }
  });

  // ----- campaigns --------------------------------------------------------------------------
  const grng = root.fork("campaigns");
  const campaignDefs = [
    ["Spring product newsletter", 300],
    ["Payments Hub 5.0 release", 190],
    ["Customer summit invitation", 95],
    ["Autumn NPS survey", 24],
  ] as const;
  for (const [name, daysAgo] of campaignDefs) {
    const id = ids.uuid();
    const sentAt = floorDay(now - daysAgo * DAY) + 8 * HOUR;
    store.add(s.campaigns, { id, name, channel: "email", sentAt: new Date(sentAt) });
    const targets = grng.sample(
      [...products, ...lobs].filter((a) => a.createdAt < sentAt),
      grng.int(45, 70),
    );
    if (!targets.includes(busiest)) targets.push(busiest);
    for (const account of targets) {
      const recipients = grng.sample(account.links.filter((l) => l.role !== "Billing"), grng.int(1, 4));
      if (!recipients.length) continue;
      let opened = 0;
      for (const l of recipients) {
        const open = grng.chance(0.55);
        const openedAt = open ? sentAt + grng.int(10, 60 * 48) * 60_000 : null;
        const clickedAt = openedAt && grng.chance(0.35) ? openedAt + grng.int(1, 30) * 60_000 : null;
        if (open) opened++;
        store.add(s.campaignSends, { campaignId: id, contactId: l.contact.id, accountId: account.id, sentAt: new Date(sentAt), openedAt: openedAt && openedAt < now ? new Date(openedAt) : null, clickedAt: clickedAt && clickedAt < now ? new Date(clickedAt) : null });
      }
      addTimeline(account, "campaign", sentAt, `Campaign sent: ${name}`, { campaign: name, channel: "email", recipients: recipients.map((l) => l.contact.name), opened }, id, null);
    }
  }

  // ----- information requests ---------------------------------------------------------------
  const qrng = root.fork("requests");
  const QUESTIONS = [
    ["Can you confirm how many branches go live in the next wave?", "Twelve branches in the first wave, the remaining eight a month later."],
    ["Who signs the renewal on your side this year?", "The group CFO signs; procurement prepares the paperwork."],
    ["Could you share the updated security questionnaire?", "Attached the 2026 version, signed off by our CISO."],
    ["Which SSO provider will the new subsidiary use?", "Same Azure AD tenant as the rest of the group."],
    ["Please confirm the billing address for the new entity.", "Invoices go to the Dublin finance shared-service centre."],
    ["Can support confirm the root cause of last week's export outage?", "A failed index rebuild on the reporting replica; fixed and monitored."],
    ["Do you plan to add the treasury team next quarter?", null],
    ["What volumes do you expect at month end?", null],
    ["Can you send the list of admin users for the access review?", null],
    ["Is the sandbox still needed after go-live?", null],
  ] as const;
  const requestAccounts = [busiest, ...qrng.sample(products.filter((p) => p !== busiest), QUESTIONS.length - 1)];
  QUESTIONS.forEach(([question, answer], i) => {
    const account = requestAccounts[i];
    const id = ids.uuid();
    const createdAt = officeTime(qrng, now - qrng.int(answer ? 20 : 2, answer ? 200 : 15) * DAY);
    const toColleague = i === 5;
    const contact = toColleague ? null : (account.links.find((l) => l.role === "Champion") ?? account.links[0])?.contact ?? null;
    const by = csmOf(account);
    const toUser = toColleague ? (staff.find((m) => m.job === "Support manager") ?? admin) : null;
    store.add(s.informationRequests, {
      id,
      accountId: account.id,
      requestedBy: by.id,
      toContactId: contact?.id ?? null,
      toUserId: toUser?.id ?? null,
      question,
      answer: answer ?? null,
      status: answer ? "answered" : i === QUESTIONS.length - 1 ? "cancelled" : "open",
      dueDate: isoDay(createdAt + qrng.int(5, 20) * DAY),
      createdAt: new Date(createdAt),
      answeredAt: answer ? new Date(createdAt + qrng.int(1, 9) * DAY) : null,
    });
    addTimeline(account, "request", createdAt, `Information requested: ${question}`, { question, to: contact?.name ?? toUser?.name ?? null, status: "open" }, id, by);
  });

  // ----- assets -----------------------------------------------------------------------------
  const xrng = root.fork("assets");
  const LINKS = [
    ["QBR deck Q3", "https://docs.example.com/decks/{slug}-qbr-q3"],
    ["Statement of work", "https://docs.example.com/contracts/{slug}-sow"],
    ["Architecture diagram", "https://wiki.example.com/architecture/{slug}"],
    ["Renewal proposal", "https://docs.example.com/proposals/{slug}-renewal"],
    ["Onboarding plan", "https://docs.example.com/plans/{slug}-onboarding"],
    ["Executive business review", "https://docs.example.com/decks/{slug}-ebr"],
  ] as const;
  const linkTargets = [busiest, busiest, busiest, ...xrng.sample(products, 26), ...xrng.sample(lobs, 5), regions.emea, company, opportunities[0]];
  linkTargets.forEach((account, i) => {
    const [name, url] = account === busiest ? LINKS[i] : xrng.pick(LINKS);
    const id = ids.uuid();
    const createdAt = officeTime(xrng, Math.max(account.createdAt + DAY, now - xrng.int(3, 360) * DAY));
    const uploader = csmOf(account);
    const fullUrl = fill(url, { slug: slug(account.name) });
    store.add(s.assets, { id, accountId: account.id, kind: "link", name, url: fullUrl, uploadedBy: uploader.id, createdAt: new Date(createdAt) });
    addTimeline(account, "asset", createdAt, `Asset added: ${name}`, { name, kind: "link", url: fullUrl }, id, uploader);
  });
  const files: PendingFile[] = [];
  const fileDefs: [Account, string, string, Uint8Array][] = [
    [busiest, "Order form 2026.pdf", "application/pdf", tinyPdf(`Order form - ${busiest.name}`)],
    [busiest, "Usage export Q3.csv", "text/csv", new TextEncoder().encode(usageCsv(store, busiest, activities))],
    [regions.emea, "EMEA security review.pdf", "application/pdf", tinyPdf("EMEA security review - summary")],
  ];
  for (const [account, name, contentType, bytes] of fileDefs) {
    const id = ids.uuid();
    const uploader = csmOf(account);
    const createdAt = officeTime(xrng, now - xrng.int(4, 60) * DAY);
    const storageKey = `accounts/${account.id}/${id}/${name.replace(/[^A-Za-z0-9._-]+/g, "-")}`;
    files.push({
      account,
      uploader,
      storageKey,
      bytes,
      contentType,
      row: { id, accountId: account.id, kind: "file", name, storageKey, contentType, sizeBytes: bytes.length, uploadedBy: uploader.id, createdAt: new Date(createdAt) },
    });
  }

  // ----- support and surveys ----------------------------------------------------------------
  const srng = root.fork("support");
  const TICKETS = [
    "Report export times out",
    "SSO login loop for some users",
    "Webhook deliveries delayed",
    "Dashboard shows stale data",
    "Cannot reconcile settlement file",
    "API rate limit errors during batch run",
    "Add user to the admin role",
    "Mobile app crashes on attachment upload",
    "Invoice PDF missing VAT number",
    "Scheduled report not sent",
    "Payment approval stuck in pending",
    "CSV import rejects dates in DD/MM format",
    "Alert emails land in spam",
    "Need an audit log export for the regulator",
    "Permission error on a shared dashboard",
  ];
  let ticketSeq = 48000;
  const closedTickets: { account: Account; contact: Contact | null; closedAt: number }[] = [];
  for (const product of products) {
    const lambda = product === busiest ? 26 : Math.min(12, 1.5 + product.busyness * 0.8) * (latestBand(product) === "poor" ? 1.8 : 1);
    const count = Math.round(lambda * srng.float(0.5, 1.3));
    const from = Math.max(product.createdAt + 7 * DAY, yearAgo);
    for (let i = 0; i < count; i++) {
      const openedAt = officeTime(srng, from + srng.next() * (now - HOUR - from));
      if (openedAt >= now) continue;
      const age = now - openedAt;
      const priority = srng.weighted([["low", 25], ["normal", 50], ["high", 18], ["urgent", 7]] as const);
      let status: (typeof s.ticketStatus.enumValues)[number];
      if (age > 30 * DAY) status = srng.chance(0.96) ? srng.pick(["closed", "closed", "solved"]) : "pending";
      else status = srng.weighted([["new", 15], ["open", 30], ["pending", 15], ["solved", 25], ["closed", 15]] as const);
      const closed = status === "solved" || status === "closed";
      const closedAt = closed ? Math.min(now - HOUR, openedAt + srng.int(2, 24 * 12) * HOUR) : null;
      const contact = product.links.length ? srng.pick(product.links).contact : null;
      store.add(s.supportTickets, {
        id: ids.uuid(),
        accountId: product.id,
        contactId: contact?.id ?? null,
        externalId: `ZD-${++ticketSeq}`,
        subject: srng.pick(TICKETS),
        priority,
        status,
        openedAt: new Date(openedAt),
        closedAt: closedAt === null ? null : new Date(closedAt),
      });
      if (closedAt !== null) closedTickets.push({ account: product, contact, closedAt });
    }
  }
  const NPS_COMMENTS = {
    promoter: ["The payments dashboard saves my team hours every week.", "Support is quick and knows our setup.", "Rollout was smooth; the training was excellent.", "Best tool we have for month-end close."],
    passive: ["Does the job, but exports are slow at month end.", "Good product; the mobile app needs work.", "Fine overall, pricing is on the high side."],
    detractor: ["Too many clicks to approve a batch.", "We lost two days to the SSO issue.", "Reports time out when we need them most.", "Hard to get answers from support lately."],
  };
  for (const product of products) {
    const band = latestBand(product);
    const n = product === busiest ? 8 : srng.int(0, 4);
    const people = product.links.filter((l) => l.role !== "Billing");
    for (let i = 0; i < n && people.length; i++) {
      const score = clamp(Math.round(band === "good" ? srng.normal(8.8, 1.1) : band === "poor" ? srng.normal(5, 2) : srng.normal(7.3, 1.6)), 0, 10);
      const kind = score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
      const respondedAt = officeTime(srng, Math.max(product.createdAt + 30 * DAY, now - srng.int(1, 360) * DAY));
      if (respondedAt >= now) continue;
      store.add(s.surveyResponses, { id: ids.uuid(), accountId: product.id, contactId: srng.pick(people).contact.id, kind: "nps", score, comment: srng.chance(0.6) ? srng.pick(NPS_COMMENTS[kind]) : null, respondedAt: new Date(respondedAt) });
    }
  }
  const CSAT_COMMENTS = ["Resolved quickly, thanks!", "Took three follow-ups to get an answer.", "Clear explanation of the fix.", "Friendly, but the workaround is clumsy.", "Great turnaround."];
  for (const ticket of closedTickets) {
    if (!ticket.contact || !srng.chance(0.45)) continue;
    const respondedAt = ticket.closedAt + srng.int(1, 48) * HOUR;
    if (respondedAt >= now) continue;
    const score = clamp(Math.round(srng.normal(4.2, 0.9)), 1, 5);
    store.add(s.surveyResponses, { id: ids.uuid(), accountId: ticket.account.id, contactId: ticket.contact.id, kind: "csat", score, comment: srng.chance(0.4) ? srng.pick(CSAT_COMMENTS) : null, respondedAt: new Date(respondedAt) });
  }

  // ----- tags, groups and the CRM collection ------------------------------------------------
  const mrng = root.fork("tags");
  const tagDefs = [
    ["Reference", "#16a34a"],
    ["At risk", "#dc2626"],
    ["Expansion", "#2563eb"],
    ["Beta program", "#9333ea"],
    ["Executive attention", "#ea580c"],
  ] as const;
  const tagIds: Record<string, string> = {};
  for (const [name, color] of tagDefs) {
    tagIds[name] = ids.uuid();
    store.add(s.tags, { id: tagIds[name], name, color });
  }
  const tagged = new Set<string>();
  const tag = (account: Account, name: string) => {
    const key = `${account.id}|${name}`;
    if (tagged.has(key)) return;
    tagged.add(key);
    store.add(s.accountTags, { accountId: account.id, tagId: tagIds[name], addedBy: csmOf(account).id, addedAt: new Date(officeTime(mrng, Math.max(account.createdAt + DAY, now - mrng.int(1, 200) * DAY))) });
  };
  tag(busiest, "Reference");
  tag(busiest, "Expansion");
  tag(regions.emea, "Executive attention");
  for (const p of products.filter((p) => latestBand(p) === "poor")) tag(p, "At risk");
  for (const p of mrng.sample(products.filter((p) => latestBand(p) === "average"), 6)) tag(p, "At risk");
  for (const p of mrng.sample(products.filter((p) => latestBand(p) === "good"), 12)) tag(p, "Reference");
  for (const p of products.filter((p) => p.journeyStage === "expansion" || p.weeks.slice(-8).some((w) => w.upsell))) tag(p, "Expansion");
  for (const p of mrng.sample(products, 10)) tag(p, "Beta program");
  for (const l of mrng.sample(lobs, 3)) tag(l, "Executive attention");

  const groupIds = { strategic: ids.uuid(), techTouch: ids.uuid() };
  store.add(s.accountGroups, { id: groupIds.strategic, name: "Strategic" });
  store.add(s.accountGroups, { id: groupIds.techTouch, name: "Tech touch" });
  for (const account of accounts) {
    const values = finalValues.get(account)!;
    if (values.is_strategic === true) store.add(s.accountGroupMembers, { groupId: groupIds.strategic, accountId: account.id });
    if (account.type === "product" && values.segment === "SMB") store.add(s.accountGroupMembers, { groupId: groupIds.techTouch, accountId: account.id });
  }

  const collectionId = ids.uuid();
  store.add(s.collections, {
    id: collectionId,
    key: "crm_opportunities",
    name: "CRM opportunities",
    accountTypeId: null,
    columns: [
      { key: "name", label: "Opportunity", type: "text" },
      { key: "stage", label: "Stage", type: "text" },
      { key: "amount", label: "Amount", type: "currency" },
      { key: "close_date", label: "Close date", type: "date" },
      { key: "owner", label: "Owner", type: "text" },
    ],
  });
  const CRM_STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed won", "Closed lost"];
  for (const account of [busiest, ...mrng.sample(products.filter((p) => p !== busiest), 40), ...mrng.sample(lobs, 12)]) {
    for (let i = 0, n = account === busiest ? 4 : mrng.int(1, 3); i < n; i++) {
      const stage = mrng.pick(CRM_STAGES);
      const closed = stage.startsWith("Closed");
      const closeDate = closed ? now - mrng.int(5, 300) * DAY : now + mrng.int(10, 240) * DAY;
      store.add(s.collectionRecords, {
        id: ids.uuid(),
        collectionId,
        accountId: account.id,
        values: {
          name: `${account.productName ?? account.line?.name ?? "Platform"} ${mrng.pick(["expansion", "renewal", "add-on seats", "premium support", "new module"])} ${new Date(closeDate).getUTCFullYear()}`,
          stage,
          amount: mrng.int(10, 500) * 1000,
          close_date: isoDay(closeDate),
          owner: aeOf(account).name,
        },
        createdAt: new Date(officeTime(mrng, Math.min(closeDate, now) - mrng.int(20, 120) * DAY)),
      });
    }
  }

  // ----- the busiest product's timeline: exactly the 2,000-entry maximum ---------------------
  const finishTimeline = () => {
    const missing = s.TIMELINE_LIMIT - (timelineCount.get(busiest.id) ?? 0);
    if (missing < 0) throw new Error(`seed: ${busiest.name} has more than ${s.TIMELINE_LIMIT} timeline entries`);
    const from = busiest.createdAt + 30 * DAY;
    const prng = root.fork("timeline-topup");
    const values = textValues(busiest);
    for (let i = 0; i < missing; i++) {
      const at = officeTime(prng, from + ((i + prng.next()) / missing) * (now - 2 * HOUR - from));
      const subject = prng.pick(TOPUP_SUBJECTS);
      const type = prng.weighted([["note", 5], ["email", 3], ["call", 2], ["chat", 1]] as const);
      const body = `${subject}. ${prng.pick([
        `${values.champion} confirmed the overnight settlement run completed without breaks.`,
        `Two approval chains adjusted for the new branch wave; ${values.champion} signed off.`,
        `Checked the integration error log: ${prng.int(0, 6)} retries, no failed postings.`,
        `Usage is up on Payments; Reports exports still the main complaint.`,
        `Agreed next steps with ${values.sponsor}'s office; summary sent by email.`,
        `Walked a new team lead through dashboards and scheduled reports.`,
      ])}`;
      const author = prng.chance(0.75) ? csmOf(busiest) : prng.pick(teamOf(busiest));
      addTouchpoint(busiest, Math.min(at, now - HOUR), type, subject, body, author);
    }
    for (const [id, n] of timelineCount) if (n > s.TIMELINE_LIMIT) throw new Error(`seed: account ${id} has ${n} timeline entries`);
  };

  const closureRows = accounts.reduce((sum, a) => {
    let depth = 0;
    for (let p = a.parent; p; p = p.parent) depth++;
    return sum + depth + 1;
  }, 0);

  const opportunity = opportunities.find((o) => o.region.key === "emea")!;
  const summary: Omit<DemoSummary, "counts"> = {
    now: nowDate.toISOString(),
    companyId: company.id,
    emeaRegionId: regions.emea.id,
    americasRegionId: regions.americas.id,
    apacRegionId: regions.apac.id,
    busiestProductId: busiest.id,
    busiestProductName: busiest.name,
    opportunityId: opportunity.id,
    mrrOverrideProductId: overrideProduct.id,
    sharedContactId: sharedContact!.id,
    userIds: Object.fromEntries(staff.map((m) => [m.email, m.id])),
    password: DEMO_PASSWORD,
  };
  return { store, summary, files, addTimeline, finishTimeline, closureRows };
}

/** A small valid one-page PDF showing `title` (offsets of the cross-reference table computed). */
function tinyPdf(title: string): Uint8Array {
  const text = title.replace(/[()\\]/g, "");
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** Last 30 days of the account's daily usage by activity, as the CSV a CSM would export. */
function usageCsv(store: RowStore, account: Account, activities: { id: string; key: string }[]): string {
  const names = new Map(activities.map((a) => [a.id, a.key]));
  const totals = new Map<string, number>();
  const rows = store.rows(s.usageDaily).filter((r) => r.accountId === account.id);
  const days = [...new Set(rows.map((r) => r.day as string))].sort().slice(-30);
  const keep = new Set(days);
  for (const row of rows) {
    if (!keep.has(row.day as string)) continue;
    const key = `${row.day},${names.get(row.activityId)}`;
    totals.set(key, (totals.get(key) ?? 0) + Number(row.events));
  }
  const lines = [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key},${n}`);
  return `day,activity,events\n${lines.join("\n")}\n`;
}
