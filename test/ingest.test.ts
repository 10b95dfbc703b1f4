/**
 * The ingestion library behind /api/v1 and the CSV import, on PGlite and on a real Postgres:
 * every write keeps the rollups exactly where an independent brute force over the raw rows
 * (test/support/rollup-check.ts) puts them,
 * and every refusal writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { authenticateToken, createApiToken, revokeApiToken } from "@/lib/api/tokens";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { upsertAccounts } from "@/lib/ingest/accounts";
import { setAttributeValues } from "@/lib/ingest/attributes";
import { upsertContacts } from "@/lib/ingest/contacts";
import { upsertContracts } from "@/lib/ingest/contracts";
import { IngestError } from "@/lib/ingest/errors";
import { addSurveyResponses } from "@/lib/ingest/surveys";
import { upsertTickets } from "@/lib/ingest/tickets";
import { addTouchpoints } from "@/lib/ingest/touchpoints";
import { ingestUsage } from "@/lib/ingest/usage";
import { importRows } from "@/lib/import/run";
import { drivers, openSeededDatabase } from "./support/databases";
import { expectRollupsMatchRawRows, writeCounts } from "./support/rollup-check";
import { refused } from "./support/sql-rows";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

// Each comparison with the full rebuild recomputes every rollup of the demo set: slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}


describe.each(drivers)("ingestion on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  /** Runs a write in one transaction, as the API does. */
  const write = <T>(ctx: Ctx, run: (ctx: Ctx) => Promise<T>) => seeded.db.transaction((tx) => run({ db: tx, viewer: ctx.viewer }));
  let product: { external_id: string; id: string };
  let lob: { external_id: string; id: string };
  let opportunity: { external_id: string };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    admin = { db: seeded.db, viewer: (await loadViewer(seeded.db, user.id))! };
    [product] = await q(seeded.db, sql`select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'product' and a.external_id like 'demo-emea-%' order by a.external_id limit 1`);
    [lob] = await q(seeded.db, sql`select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'line_of_business' and a.external_id like 'demo-emea-%' order by a.external_id limit 1`);
    [opportunity] = await q(seeded.db, sql`select a.external_id from accounts a join account_types t on t.id = a.type_id where t.is_opportunity limit 1`);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("upserts accounts by external id: parents later in the request, renames and moves, rollups intact", async () => {
    const created = await write(admin, (ctx) =>
      upsertAccounts(ctx, [
        { externalId: "t-product-1", name: "Test product one", type: "product", parentExternalId: "t-lob" },
        { externalId: "t-lob", name: "Test line", type: "line_of_business", parentExternalId: "demo-emea" },
      ]),
    );
    expect(created).toMatchObject({ created: 2, updated: 0, moved: 0 });
    expect(created.accounts.map((a) => a.status)).toEqual(["created", "created"]);
    const again = await write(admin, (ctx) =>
      upsertAccounts(ctx, [
        { externalId: "t-lob", name: "Test line renamed", type: "line_of_business", parentExternalId: "demo-emea" },
        { externalId: "t-product-1", name: "Test product one", type: "product", parentExternalId: lob.external_id },
      ]),
    );
    expect(again).toMatchObject({ created: 0, updated: 1, moved: 1 });
    const [moved] = await q<{ parent_id: string }>(seeded.db, sql`select parent_id from accounts where external_id = 't-product-1'`);
    expect(moved.parent_id).toBe(lob.id);
    await expectRollupsMatchRawRows(seeded.db);
  });

  it("refuses unknown parents, opportunity parents, cycles and type changes with the item's field path, writing nothing", async () => {
    const before = await writeCounts(seeded.db);
    const unknown = await refused(() =>
      write(admin, (ctx) =>
        upsertAccounts(ctx, [
          { externalId: "t-ok", name: "Fine", type: "product", parentExternalId: lob.external_id },
          { externalId: "t-orphan", name: "Orphan", type: "product", parentExternalId: "no-such-parent" },
        ]),
      ),
    );
    expect(unknown.status).toBe(422);
    expect(unknown.issues[0].path).toEqual(["accounts", 1, "parentExternalId"]);
    const opp = await refused(() => write(admin, (ctx) => upsertAccounts(ctx, [{ externalId: "t-x", name: "X", type: "opportunity", parentExternalId: opportunity.external_id }])));
    expect(opp.issues[0]).toMatchObject({ path: ["accounts", 0, "parentExternalId"] });
    expect(opp.issues[0].message).toMatch(/opportunity/i);
    const loop = await refused(() =>
      write(admin, (ctx) =>
        upsertAccounts(ctx, [
          { externalId: "t-a", name: "A", type: "line_of_business", parentExternalId: "t-b" },
          { externalId: "t-b", name: "B", type: "line_of_business", parentExternalId: "t-a" },
        ]),
      ),
    );
    expect(loop.issues[0].message).toMatch(/each other's parents/);
    // An existing account under its own sub-account.
    const cycle = await refused(() => write(admin, (ctx) => upsertAccounts(ctx, [{ externalId: "t-lob", name: "Test line renamed", type: "line_of_business", parentExternalId: "t-product-1" }])));
    expect(cycle.issues[0].path).toEqual(["accounts", 0, "parentExternalId"]);
    const many = await refused(() =>
      write(admin, (ctx) =>
        upsertAccounts(ctx, [
          { externalId: "t-m1", name: "M1", type: "product", parentExternalId: "ghost-1" },
          { externalId: "t-m2", name: "M2", type: "spaceship", parentExternalId: lob.external_id },
          { externalId: "t-m3", name: "M3", type: "product", parentExternalId: "ghost-3" },
        ]),
      ),
    );
    expect(many.issues.map((i) => i.path)).toEqual([
      ["accounts", 0, "parentExternalId"],
      ["accounts", 1, "type"],
      ["accounts", 2, "parentExternalId"],
    ]);
    const retype = await refused(() => write(admin, (ctx) => upsertAccounts(ctx, [{ externalId: "t-lob", name: "x", type: "product", parentExternalId: lob.external_id }])));
    expect(retype.issues[0].path).toEqual(["accounts", 0, "type"]);
    expect(await writeCounts(seeded.db)).toEqual(before);
  });

  it("ingests a usage batch: raw events, per-day aggregates and every ancestor's daily usage", async () => {
    const [contact] = await q<{ external_id: string }>(seeded.db, sql`select external_id from contacts where external_id is not null order by external_id limit 1`);
    const events = Array.from({ length: 2500 }, (_, i) => ({
      accountExternalId: i % 3 ? product.external_id : "t-product-1",
      module: "dashboards",
      activity: i % 2 ? "view_dashboard" : "share_dashboard",
      occurredAt: new Date(Date.UTC(2026, 10, 1 + (i % 7), i % 24)).toISOString(),
      userExternalId: i % 5 ? contact.external_id : null,
      count: 1 + (i % 3),
    }));
    const before = await writeCounts(seeded.db);
    const result = await write(admin, (ctx) => ingestUsage(ctx, events));
    expect(result.inserted).toBe(2500);
    expect(result.aggregates).toBeLessThan(100);
    const after = await writeCounts(seeded.db);
    expect(Number(after.events) - Number(before.events)).toBe(2500);
    await expectRollupsMatchRawRows(seeded.db);
  });

  it("sums a batch over accounts at several levels, time zones and window edges exactly as a rebuild does", async () => {
    // ingestUsage sums and fans out to ancestors in node (UsageBatch); the check recomputes it from raw rows.
    const [{ as_of: asOf }] = await q<{ as_of: string }>(seeded.db, sql`select as_of::text from usage_window_state where id = 1`);
    const contacts = await q<{ external_id: string }>(seeded.db, sql`select external_id from contacts where external_id is not null order by external_id limit 3`);
    const [other] = await q<{ external_id: string }>(seeded.db, sql`select a.external_id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'product' and a.archived_at is null and a.external_id not like 'demo-emea-%' order by a.external_id limit 1`);
    const day = (offset: number) => new Date(Date.parse(`${asOf}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    const instants = [
      `${day(0)}T12:00:00Z`,
      `${day(1)}T01:00:00Z`, // after as_of: left to the slide
      `${day(-6)}T00:00:00Z`, // last day inside the 7-day window
      `${day(-7)}T23:59:59.999999Z`, // first day outside it, microseconds kept as written
      `${day(-7)}T23:59:59.9999999Z`, // would round into the next day in Postgres: normalised first
      `${day(-29)}T08:00:00+05:30`,
      `${day(-30)}T00:30:00+02:00`, // the UTC day before
      `${day(-89)}T10:00:00-08:00`,
      `${day(-90)}T10:00:00Z`,
      `${day(-400)}T10:00:00Z`,
    ];
    const accountsToUse = [product.external_id, lob.external_id, other.external_id];
    const events = Array.from({ length: 600 }, (_, i) => ({
      accountExternalId: accountsToUse[i % 3],
      module: "dashboards",
      activity: i % 4 ? "view_dashboard" : "share_dashboard",
      occurredAt: instants[i % instants.length],
      userExternalId: i % 7 === 0 ? undefined : contacts[i % contacts.length].external_id,
      count: 1 + (i % 5),
    }));
    const result = await write(admin, (ctx) => ingestUsage(ctx, events));
    expect(result.inserted).toBe(600);
    await expectRollupsMatchRawRows(seeded.db);
  });

  it("refuses a usage batch naming an unknown account or contact, writing nothing (not even the activity it names first)", async () => {
    const before = await writeCounts(seeded.db);
    const error = await refused(() =>
      write(admin, (ctx) =>
        ingestUsage(ctx, [
          { accountExternalId: product.external_id, module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-01T10:00:00Z" },
          { accountExternalId: "nobody", module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-01T10:00:00Z" },
          { accountExternalId: product.external_id, module: "dashboards", activity: "fly", occurredAt: "2026-11-01T10:00:00Z" },
          { accountExternalId: product.external_id, module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-01T10:00:00Z", userExternalId: "ghost" },
        ]),
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      ["events", 1, "accountExternalId"],
      ["events", 3, "userExternalId"],
    ]);
    const [fly] = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities where key = 'fly'`);
    expect(fly.n).toBe(0);
    expect(await writeCounts(seeded.db)).toEqual(before);
  });

  it("upserts contacts with links, contracts, tickets, surveys, touchpoints and attribute values; rollups stay right", async () => {
    const contacts = await write(admin, (ctx) =>
      upsertContacts(ctx, [{ externalId: "t-c1", name: "Ada Test", email: "ada@test.example", accounts: [{ accountExternalId: product.external_id, role: "Champion", isKey: true }] }]),
    );
    expect(contacts).toMatchObject({ created: 1, links: 1 });
    const contracts = await write(admin, (ctx) =>
      upsertContracts(ctx, [{ externalId: "t-ctr-1", accountExternalId: "t-product-1", name: "Test licence", value: 12000, mrr: 1000, startDate: "2026-01-01" }]),
    );
    expect(contracts.created).toBe(1);
    // Moving the contract to another account changes both accounts' MRR.
    await write(admin, (ctx) => upsertContracts(ctx, [{ externalId: "t-ctr-1", accountExternalId: product.external_id, name: "Test licence", value: 12000, mrr: 1500, startDate: "2026-01-01" }]));
    await write(admin, (ctx) =>
      upsertTickets(ctx, [
        { externalId: "t-tk-1", accountExternalId: "t-product-1", subject: "Broken", priority: "urgent", status: "open", openedAt: "2026-11-10T09:00:00Z", contactExternalId: "t-c1" },
      ]),
    );
    await write(admin, (ctx) => upsertTickets(ctx, [{ externalId: "t-tk-1", accountExternalId: "t-product-1", subject: "Broken", priority: "urgent", status: "solved", openedAt: "2026-11-10T09:00:00Z", closedAt: "2026-11-11T09:00:00Z" }]));
    await write(admin, (ctx) =>
      addSurveyResponses(ctx, [
        { accountExternalId: "t-product-1", kind: "nps", score: 9, respondedAt: "2026-11-12T09:00:00Z" },
        { accountExternalId: product.external_id, kind: "csat", score: 2, respondedAt: "2026-11-12T09:00:00Z", contactExternalId: "t-c1" },
      ]),
    );
    const tp = await write(admin, (ctx) =>
      addTouchpoints(ctx, [{ accountExternalId: product.external_id, type: "call", subject: "Renewal call", occurredAt: "2026-11-13T15:00:00Z", contactExternalIds: ["t-c1"] }]),
    );
    expect(tp.created).toBe(1);
    const values = await write(admin, (ctx) =>
      setAttributeValues(ctx, [
        { accountExternalId: "t-product-1", key: "seats", value: 42 },
        { accountExternalId: product.external_id, key: "mrr_override", value: "2500" },
        { accountExternalId: product.external_id, key: "segment", value: "SMB" },
      ]),
    );
    expect(values.changed).toBe(3);
    // The attributes' history says the API made these changes, as the token's admin.
    const sources = await q<{ source: string; by_admin: boolean }>(
      seeded.db,
      sql`select c.source, c.changed_by = ${admin.viewer.userId}::uuid as by_admin from attribute_changes c join attribute_definitions d on d.id = c.attribute_id
        where c.account_id = ${product.id} and d.key in ('mrr_override', 'segment') order by c.changed_at desc limit 2`,
    );
    expect(sources).toEqual([
      { source: "api", by_admin: true },
      { source: "api", by_admin: true },
    ]);
    await expectRollupsMatchRawRows(seeded.db);
    const [own] = await q<{ own_mrr: string }>(seeded.db, sql`select own_mrr::text from account_rollups where account_id = ${product.id}`);
    expect(Number(own.own_mrr)).toBe(2500);
  });

  it("refuses bad attribute values and references with field paths, writing nothing", async () => {
    const before = await writeCounts(seeded.db);
    const error = await refused(() =>
      write(admin, (ctx) =>
        setAttributeValues(ctx, [
          { accountExternalId: product.external_id, key: "seats", value: "many" },
          { accountExternalId: product.external_id, key: "no_such_key", value: 1 },
          { accountExternalId: lob.external_id, key: "seats", value: 3 },
        ]),
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      ["values", 0, "value"],
      ["values", 1, "key"],
      ["values", 2, "key"],
    ]);
    expect(error.issues[2].message).toMatch(/rolled up/);
    const survey = await refused(() => write(admin, (ctx) => upsertContracts(ctx, [{ externalId: "t-ctr-2", accountExternalId: "nowhere", name: "x", value: 1, mrr: 1, startDate: "2026-01-01" }])));
    expect(survey.issues[0].path).toEqual(["contracts", 0, "accountExternalId"]);
    expect(await writeCounts(seeded.db)).toEqual(before);
  });

  it("imports CSV rows with the same code: a contact on two rows becomes one contact with two links; bad rows are reported by line", async () => {
    const before = await writeCounts(seeded.db);
    const result = await write(admin, (ctx) =>
      importRows(ctx, "contacts", [
        { line: 2, values: { externalId: "csv-c1", name: "Cy Import", email: "cy@csv.example", accountExternalId: product.external_id, role: "Sponsor", isKey: "yes" } },
        { line: 3, values: { externalId: "csv-c1", name: "Cy Import", accountExternalId: lob.external_id, role: "Champion" } },
        { line: 4, values: { externalId: "csv-c2", name: "", email: "x@csv.example" } },
        { line: 5, values: { externalId: "csv-c3", name: "Dee Import", accountExternalId: "ghost", role: "User" } },
      ]),
    );
    expect(result.imported).toBe(2);
    expect(result.errors.map((e) => e.line)).toEqual([4, 5]);
    expect(result.errors[1].message).toMatch(/Account external id: No account has the external id “ghost”/);
    const after = await writeCounts(seeded.db);
    expect(Number(after.contacts) - Number(before.contacts)).toBe(1);
    expect(Number(after.links) - Number(before.links)).toBe(2);
  });

  it("a token limited to a subtree writes inside it only; a revoked token is refused", async () => {
    const created = await write(admin, (ctx) => createApiToken(ctx, { name: "EMEA feed", scopes: ["usage:write", "accounts:write"], rootAccountId: lob.id }));
    const check = await authenticateToken(seeded.db, `Bearer ${created.token}`);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    const limited: Ctx = { db: seeded.db, viewer: check.caller.viewer };
    const [outside] = await q<{ external_id: string }>(seeded.db, sql`select external_id from accounts where external_id like 'demo-americas-%' limit 1`);
    const error = await refused(() => write(limited, (ctx) => ingestUsage(ctx, [{ accountExternalId: outside.external_id, module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-01T10:00:00Z" }])));
    expect(error.issues[0].path).toEqual(["events", 0, "accountExternalId"]);
    await write(limited, (ctx) => ingestUsage(ctx, [{ accountExternalId: "t-product-1", module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-01T10:00:00Z" }]));
    await write(admin, (ctx) => upsertContacts(ctx, [{ externalId: "t-unlinked", name: "Nobody's contact" }]));
    const contact = await refused(() => write(limited, (ctx) => upsertContacts(ctx, [{ externalId: "t-unlinked", name: "Renamed from outside" }])));
    expect(contact.issues[0].path).toEqual(["contacts", 0, "externalId"]);
    const top = await refused(() => write(limited, (ctx) => upsertAccounts(ctx, [{ externalId: "t-top", name: "Top", type: "company" }])));
    expect(top.issues[0].path).toEqual(["accounts", 0, "parentExternalId"]);
    await write(admin, (ctx) => revokeApiToken(ctx, created.id));
    const revoked = await authenticateToken(seeded.db, `Bearer ${created.token}`);
    expect(revoked).toMatchObject({ ok: false, status: 401 });
    expect(await authenticateToken(seeded.db, "Bearer c360_nope")).toMatchObject({ ok: false, status: 401 });
    await expectRollupsMatchRawRows(seeded.db);
  });
});
