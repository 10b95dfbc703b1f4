/**
 * The demo data set: one believable customer ("Northwind Holdings", ~300 accounts in a Company >
 * Region > Line of business > Product hierarchy, plus opportunities) with a year of history in every
 * part of the profile. Deterministic: a fixed seed, and every date relative to `now`, so the same
 * `now` always gives the same rows and ids. Everything is generated in memory first, then written in
 * one transaction, so a failure leaves nothing half-written.
 *
 * `generateDemo` below is the list of steps, one per concept; each lives in `db/seed/demo/<concept>.ts`,
 * takes the shared context (clock, random streams, row store) and what earlier steps built, and
 * returns what later steps need. Every row id comes from one stream, so the steps keep their order.
 */
import { eq, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { rebuildClosure } from "@/lib/rollups/rebuild";
import { buildAssets } from "./demo/assets";
import { buildStaffAndAssignments } from "./demo/assignments";
import { buildAttributes } from "./demo/attributes";
import { buildContacts } from "./demo/contacts";
import { buildGroupings } from "./demo/groupings";
import { buildHealth } from "./demo/health";
import { buildAccountRows, buildAccountTypes, buildHierarchy, closureRowCount } from "./demo/hierarchy";
import { buildLifecycles } from "./demo/lifecycles";
import type { DemoContext } from "./demo/model";
import { buildCampaigns, buildInformationRequests } from "./demo/outreach";
import { buildRevenue } from "./demo/revenue";
import { dropIndexesAndConstraints, insertRows, RowStore } from "./demo/rows";
import { DEMO_PASSWORD, SEED } from "./demo/staff";
import { buildSupport } from "./demo/support";
import { buildTasksAndPlans } from "./demo/tasks";
import { DAY, floorDay } from "./demo/time";
import { createTimeline, topUpBusiestTimeline } from "./demo/timeline";
import { buildTouchpoints } from "./demo/touchpoints";
import { buildUsage } from "./demo/usage";
import { createRandom } from "./random";

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

/**
 * Builds the whole data set in memory: one step per concept, each adding its rows to `ctx.store`.
 * The order is the order the shared id stream is drawn in: keep it.
 */
function generateDemo(nowDate: Date, opportunityTypeId: string | null) {
  const now = nowDate.getTime();
  const root = createRandom(SEED);
  const ctx: DemoContext = { now, today: floorDay(now), yearAgo: now - 365 * DAY, root, ids: root.fork("ids"), store: new RowStore() };
  const timeline = createTimeline(ctx);
  const { addTimeline } = timeline;

  const typeIds = buildAccountTypes(ctx, opportunityTypeId);
  const tree = buildHierarchy(ctx);
  const roster = buildStaffAndAssignments(ctx, tree);
  buildAccountRows(ctx, tree, typeIds, roster, addTimeline);
  const contacts = buildContacts(ctx, tree);
  const health = buildHealth(ctx, tree, typeIds, addTimeline);
  const lifecycles = buildLifecycles(ctx, tree, roster, addTimeline);
  const { overrideProduct } = buildRevenue(ctx, tree);
  const { finalValues } = buildAttributes(ctx, tree, typeIds, roster, lifecycles, overrideProduct, addTimeline);
  const { activities } = buildUsage(ctx, tree, contacts, health);
  const touchpoints = buildTouchpoints(ctx, tree, roster, health, addTimeline);
  buildTasksAndPlans(ctx, tree, roster, health, touchpoints, addTimeline);
  buildCampaigns(ctx, tree, addTimeline);
  buildInformationRequests(ctx, tree, roster, addTimeline);
  const files = buildAssets(ctx, tree, roster, activities, addTimeline);
  buildSupport(ctx, tree, health);
  buildGroupings(ctx, tree, roster, health, finalValues);
  // Called by `seedDemo` after the file assets' entries: the busiest timeline ends exactly full.
  const finishTimeline = () => topUpBusiestTimeline(ctx, tree, roster, timeline, touchpoints);

  const { company, regions, busiest, opportunities } = tree;
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
    sharedContactId: contacts.sharedContact.id,
    userIds: Object.fromEntries(roster.staff.map((m) => [m.email, m.id])),
    password: DEMO_PASSWORD,
  };
  return { store: ctx.store, summary, files, addTimeline, finishTimeline, closureRows: closureRowCount(tree.accounts) };
}
