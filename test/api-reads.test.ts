/**
 * The reads of /api/v1 (lib/api/reads) on PGlite and on a real Postgres: every list and record
 * answers for a token with every scope; a token limited to a subtree never reads a row outside it;
 * keyset pages neither repeat nor skip; a changed or foreign cursor, an unknown filter or field, a
 * bad limit and a missing scope are refused with the allowed names; privileged attributes need
 * privileged:read; and the per-token rate limit counts and refuses past its limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { hitRateLimit, rateHeaders, recentTokenUse } from "@/lib/api/rate-limit";
import { listRecords, READS, readRecord, type TokenScope } from "@/lib/api/reads";
import { API_SCOPE_KEYS } from "@/lib/api/scopes";
import { IngestError } from "@/lib/ingest/errors";
import type { Viewer } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";
import { refused as refusal } from "./support/sql-rows";

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}


function tokenScope(tokenId: string, userId: string, root: string | null, scopes = API_SCOPE_KEYS): TokenScope {
  const viewer: Viewer = {
    userId,
    email: "admin@demo.test",
    name: "API token",
    role: "admin",
    teamIds: [],
    seesAll: !root,
    seesOpportunities: true,
    scopeRoots: root ? [root] : [],
    attributeScopes: [],
  };
  return { tokenId, scopes: [...scopes], viewer };
}

const params = (query: Record<string, string> = {}) => new URLSearchParams(query);

describe.each(drivers)("API reads on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let all: TokenScope;
  let emea: TokenScope;
  let emeaId: string;
  let emeaAccounts: Set<string>;
  let tokenId: string;

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    const [admin] = await q<{ id: string }>(seeded.db, sql`select id from users where email = 'admin@demo.test'`);
    [{ id: emeaId }] = await q<{ id: string }>(seeded.db, sql`select id from accounts where external_id = 'demo-emea'`);
    const [token] = await q<{ id: string }>(seeded.db, sql`insert into api_tokens (name, prefix, token_hash, scopes, created_by)
      values ('reads', 'c360_reads', 'hash-reads', '{accounts:read}', ${admin.id}) returning id`);
    tokenId = token.id;
    all = tokenScope(tokenId, admin.id, null);
    emea = tokenScope(tokenId, admin.id, emeaId);
    const below = await q<{ id: string }>(seeded.db, sql`select descendant_id as id from account_closure where ancestor_id = ${emeaId}`);
    emeaAccounts = new Set(below.map((r) => r.id));
  });
  afterAll(() => seeded?.close());

  it("lists every resource and reads one record of each that has records", async () => {
    for (const [name, resource] of Object.entries(READS)) {
      const page = await listRecords(seeded.db, all, resource, params({ limit: "3" }));
      expect(page.data.length, `${name} has demo rows`).toBeGreaterThan(0);
      expect(page.data.length).toBeLessThanOrEqual(3);
      for (const field of Object.keys(resource.fields)) expect(page.data[0], `${name}.${field}`).toHaveProperty(field);
      if (resource.one) {
        const first = page.data[0] as Record<string, unknown>;
        const id = String(first.id ?? first.accountId);
        expect(await readRecord(seeded.db, all, resource, id), name).toEqual(first);
        expect(await readRecord(seeded.db, all, resource, "00000000-0000-0000-0000-000000000000"), name).toBeNull();
        expect(await readRecord(seeded.db, all, resource, "not-an-id"), name).toBeNull();
      }
    }
  });

  it("keeps a subtree token inside its subtree on every resource", async () => {
    for (const [name, resource] of Object.entries(READS)) {
      let cursor: string | null = null;
      let rows = 0;
      do {
        const page: { data: Record<string, unknown>[]; next_cursor: string | null } = await listRecords(seeded.db, emea, resource, params({ limit: "200", ...(cursor ? { cursor } : {}) }));
        for (const row of page.data) {
          rows++;
          if (name === "contacts") {
            const links = row.accounts as { accountId: string }[];
            expect(links.length, "a contact of the subtree").toBeGreaterThan(0);
            for (const link of links) expect(emeaAccounts.has(link.accountId), `contact link ${link.accountId}`).toBe(true);
          } else if (name === "campaigns") {
            // A campaign belongs to no one account: listed for a subtree token when one of its sends is there.
            const sends = await q<{ account_id: string }>(seeded.db, sql`select account_id from campaign_sends where campaign_id = ${String(row.id)}::uuid`);
            expect(sends.some((s) => emeaAccounts.has(s.account_id)), `campaign ${row.id} has a send in the subtree`).toBe(true);
            expect(row.sends, "only the subtree's sends are counted").toBe(sends.filter((s) => emeaAccounts.has(s.account_id)).length);
          } else expect(emeaAccounts.has(String(row.accountId ?? row.id)), `${name} row ${JSON.stringify(row).slice(0, 120)}`).toBe(true);
        }
        cursor = page.next_cursor;
      } while (cursor && rows < 5000);
      expect(rows, `${name} has rows in EMEA`).toBeGreaterThan(0);
    }
    // Outside the subtree: a record of another region reads as missing.
    const [outside] = await q<{ id: string }>(seeded.db, sql`select id from accounts where external_id = 'demo-americas'`);
    expect(await readRecord(seeded.db, emea, READS.accounts, outside.id)).toBeNull();
    expect((await listRecords(seeded.db, emea, READS.contracts, params({ subtree: outside.id }))).data).toEqual([]);
  });

  it("pages through a list by keyset without repeating or skipping a row", async () => {
    // The account with the most timeline entries, in pages of 20 (a few pages: PGlite walks the id
    // order for each page, which is slow on a busy machine).
    const [{ account_id: accountId, n }] = await q<{ account_id: string; n: number }>(seeded.db, sql`select account_id, count(*)::int as n from timeline_entries
      group by account_id order by 2 desc limit 1`);
    expect(n).toBeGreaterThan(40);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Record<string, unknown>[]; next_cursor: string | null } = await listRecords(seeded.db, all, READS.timeline, params({ limit: "20", accountId, ...(cursor ? { cursor } : {}) }));
      seen.push(...page.data.map((r) => String(r.id)));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.length).toBe(n);
    expect(new Set(seen).size).toBe(n);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((x, y) => y - x));
  });

  it("refuses a changed, foreign or other token's cursor, unknown filters and fields, and bad limits", async () => {
    const first = await listRecords(seeded.db, all, READS.accounts, params({ limit: "2", type: "product" }));
    const cursor = first.next_cursor!;
    expect(cursor).toBeTruthy();
    const next = await listRecords(seeded.db, all, READS.accounts, params({ limit: "2", type: "product", cursor }));
    expect(next.data[0]).not.toEqual(first.data[0]);
    const tampered = cursor.slice(0, 3) + (cursor[3] === "A" ? "B" : "A") + cursor.slice(4);
    for (const [label, query, scope] of [
      ["tampered", { type: "product", cursor: tampered }, all],
      ["other filters", { type: "region", cursor }, all],
      ["other list", { cursor }, all],
      ["other token", { type: "product", cursor }, { ...all, tokenId: "00000000-0000-0000-0000-000000000001" }],
      ["garbage", { cursor: "x" }, all],
    ] as const) {
      const error = await refusal(() => listRecords(seeded.db, scope, label === "other list" ? READS.contracts : READS.accounts, params(query)));
      expect(error.status, label).toBe(400);
      expect(error.message, label).toMatch(/cursor/);
    }
    const unknown = await refusal(() => listRecords(seeded.db, all, READS.accounts, params({ colour: "red" })));
    expect(unknown.status).toBe(400);
    expect(unknown.message).toContain("“colour”");
    expect(unknown.message).toContain("updatedSince");
    const field = await refusal(() => listRecords(seeded.db, all, READS.accounts, params({ fields: "id,salary" })));
    expect(field.status).toBe(400);
    expect(field.message).toMatch(/salary.*Allowed fields: id, externalId, name/);
    for (const limit of ["0", "201", "-1", "abc", "1e3"]) expect((await refusal(() => listRecords(seeded.db, all, READS.accounts, params({ limit })))).status, limit).toBe(400);
    expect((await refusal(() => listRecords(seeded.db, all, READS.accounts, params({ updatedSince: "yesterday" })))).issues[0].path).toEqual(["updatedSince"]);
    const sparse = await listRecords(seeded.db, all, READS.accounts, params({ fields: "id,name", limit: "1" }));
    expect(Object.keys(sparse.data[0]).sort()).toEqual(["id", "name"]);
    const scoped = await refusal(() => listRecords(seeded.db, { ...all, scopes: ["accounts:read"] }, READS.tasks, params()));
    expect(scoped.status).toBe(403);
    expect(scoped.message).toContain("activity:read");
  });

  it("filters accounts by type, parent, subtree, external id, update time and attribute value", async () => {
    const [product] = await q<{ id: string; external_id: string; parent_id: string }>(seeded.db, sql`select a.id, a.external_id, a.parent_id from accounts a
      join account_types t on t.id = a.type_id where t.key = 'product' and a.archived_at is null order by a.id limit 1`);
    const one = async (query: Record<string, string>) => (await listRecords(seeded.db, all, READS.accounts, params({ limit: "200", ...query }))).data;
    expect((await one({ externalId: product.external_id })).map((r) => r.id)).toEqual([product.id]);
    expect((await one({ parent: product.parent_id })).map((r) => r.id)).toContain(product.id);
    expect((await one({ type: "product" })).every((r) => r.type === "product")).toBe(true);
    expect((await one({ subtree: emeaId })).every((r) => emeaAccounts.has(String(r.id)))).toBe(true);
    expect(await one({ updatedSince: "2999-01-01" })).toEqual([]);
    const [attribute] = await q<{ key: string; value: string; account_id: string }>(seeded.db, sql`select d.key, v.value #>> '{}' as value, v.account_id from attribute_values v
      join attribute_definitions d on d.id = v.attribute_id where not d.privileged and jsonb_typeof(v.value) = 'string' order by 1, 3 limit 1`);
    const matched = await one({ [`attribute.${attribute.key}`]: attribute.value });
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.every((r) => (r.attributes as Record<string, unknown>)[attribute.key] === attribute.value)).toBe(true);
  });

  it("leaves privileged attributes out unless the token has privileged:read", async () => {
    const [row] = await q<{ key: string; account_id: string }>(seeded.db, sql`select d.key, v.account_id from attribute_values v
      join attribute_definitions d on d.id = v.attribute_id where d.privileged limit 1`);
    expect(row, "the demo set has a privileged value").toBeTruthy();
    const without = { ...all, scopes: API_SCOPE_KEYS.filter((s) => s !== "privileged:read") };
    const hidden = await readRecord(seeded.db, without, READS.accounts, row.account_id);
    expect(hidden!.attributes).not.toHaveProperty(row.key);
    const shown = await readRecord(seeded.db, all, READS.accounts, row.account_id);
    expect(shown!.attributes).toHaveProperty(row.key);
    // Nor can a filter on a privileged value tell it apart.
    expect(await listRecords(seeded.db, without, READS.accounts, params({ [`attribute.${row.key}`]: "x" }))).toEqual({ data: [], next_cursor: null });
  });

  it("counts requests per token and minute and refuses past the limit", async () => {
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await hitRateLimit(seeded.db, tokenId, 3));
    expect(states.map((s) => s.allowed)).toEqual([true, true, true, false]);
    expect(states.map((s) => s.remaining)).toEqual([2, 1, 0, 0]);
    expect(rateHeaders(states[3])).toMatchObject({ "RateLimit-Limit": "3", "RateLimit-Remaining": "0", "Retry-After": String(states[3].resetSeconds) });
    expect(states[3].resetSeconds).toBeGreaterThanOrEqual(1);
    expect(states[3].resetSeconds).toBeLessThanOrEqual(60);
    const use = (await recentTokenUse(seeded.db)).get(tokenId)!;
    expect(use.lastHour).toBeGreaterThanOrEqual(4);
    expect(use.refusedLastDay).toBeGreaterThanOrEqual(1);
  });
});
