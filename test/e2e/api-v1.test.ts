/**
 * /api/v1 over HTTP against the production server (`next start` on Postgres, demo data): every
 * endpoint with a good request and with bad ones (wrong types, unknown references, over the batch
 * limit, missing, unknown, revoked or under-scoped tokens), each refusal a 4xx JSON error that
 * writes nothing (row counts compared), idempotent replays, and the generated OpenAPI document
 * listing every route file. After all of it the maintained rollups equal a full rebuild.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { purgeExpiredIdempotencyKeys } from "@/lib/api/handler";
import { expectRollupsMatchRawRows, writeCounts } from "../support/rollup-check";

const baseURL = inject("baseURL");
const serverError = inject("e2eServerError");

type Answer = { status: number; body: { error?: string; issues?: { path: (string | number)[]; message: string }[]; data?: Record<string, unknown> } & Record<string, unknown>; headers: Headers };

async function call(route: string, body: unknown, options: { token?: string | null; key?: string; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers["idempotency-key"] = options.key;
  const res = await fetch(new URL(route, baseURL), { method: "POST", headers, body: options.raw ?? JSON.stringify(body) });
  const text = await res.text();
  let parsed: Answer["body"];
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${route}: HTTP ${res.status} answered non-JSON: ${text.slice(0, 300)}`);
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Every route file under app/api/v1 that takes a POST (the writes), as its URL path. */
function routeFiles(): string[] {
  const root = path.join(process.cwd(), "app/api/v1");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name === "route.ts" && /export const POST\b/.test(readFileSync(path.join(dir, entry.name), "utf8"))) out.push(`/api/v1/${path.relative(root, dir)}`);
    }
  };
  walk(root);
  return out.sort();
}

describe("REST API /api/v1", () => {
  let handle: DatabaseHandle;
  const tokens = { full: "", usageOnly: "", revoked: "", subtree: "" };
  let product: string;
  let lob: string;
  let opportunity: string;
  let americas: string;
  const counts = () => writeCounts(handle.db);
  const one = async <T>(query: ReturnType<typeof sql>) => ((await handle.db.execute(query)) as unknown as { rows: T[] }).rows[0];
  /** n usage events on two products of the demo set (external ids filled in beforeAll). */
  const events = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ accountExternalId: i % 2 ? product : "e2e-product", module: "reports", activity: "run_report", occurredAt: new Date(Date.UTC(2026, 10, 1 + (i % 20), i % 24)).toISOString(), count: 1 + (i % 2) }));

  /** A good request for each endpoint (external ids filled in beforeAll). */
  let good: Record<string, unknown>;

  beforeAll(async () => {
    if (serverError) throw new Error(serverError);
    handle = await openDatabase({ driver: "pg", url: inject("e2eDatabaseUrl"), poolSize: 2 });
    const admin = await one<{ id: string }>(sql`select id from users where email = 'admin@demo.test'`);
    product = (await one<{ e: string }>(sql`select a.external_id as e from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.external_id like 'demo-emea-%' order by 1 limit 1`)).e;
    lob = (await one<{ e: string }>(sql`select a.external_id as e from accounts a join account_types t on t.id = a.type_id where t.key = 'line_of_business' and a.external_id like 'demo-emea-%' order by 1 limit 1`)).e;
    opportunity = (await one<{ e: string }>(sql`select a.external_id as e from accounts a join account_types t on t.id = a.type_id where t.is_opportunity order by 1 limit 1`)).e;
    americas = (await one<{ e: string }>(sql`select a.external_id as e from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.external_id like 'demo-americas-%' order by 1 limit 1`)).e;
    const emea = await one<{ id: string }>(sql`select id from accounts where external_id = 'demo-emea'`);
    const make = async (name: string, scopes: string[], options: { revoked?: boolean; root?: string } = {}) => {
      const token = `c360_${randomBytes(32).toString("base64url")}`;
      await handle.db.execute(sql`insert into api_tokens (name, prefix, token_hash, scopes, created_by, revoked_at, root_account_id)
        values (${name}, ${token.slice(0, 11)}, ${createHash("sha256").update(token).digest("hex")}, ${`{${scopes.join(",")}}`}::text[], ${admin.id},
          ${options.revoked ? new Date() : null}, ${options.root ?? null})`);
      return token;
    };
    const all = ["accounts:write", "attributes:write", "usage:write", "contacts:write", "contracts:write", "tickets:write", "surveys:write", "touchpoints:write", "assignments:write", "stages:write", "health:write", "revenue:write", "collections:write", "campaigns:write"];
    tokens.full = await make("e2e full", all);
    tokens.usageOnly = await make("e2e usage", ["usage:write"]);
    tokens.revoked = await make("e2e revoked", all, { revoked: true });
    tokens.subtree = await make("e2e emea", all, { root: emea.id });
    good = {
      "/api/v1/accounts": { accounts: [{ externalId: "e2e-product", name: "E2E product", type: "product", parentExternalId: lob }] },
      "/api/v1/attribute-values": { values: [{ accountExternalId: product, key: "seats", value: 17 }] },
      "/api/v1/usage-events": { events: [{ accountExternalId: product, module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-20T10:00:00Z" }] },
      "/api/v1/contacts": { contacts: [{ externalId: "e2e-contact", name: "Eve Example", email: "eve@e2e.example", accounts: [{ accountExternalId: product, role: "Admin", isKey: true }] }] },
      "/api/v1/contracts": { contracts: [{ externalId: "e2e-ctr", accountExternalId: product, name: "E2E licence", value: 24000, mrr: 2000, startDate: "2026-01-01" }] },
      "/api/v1/tickets": { tickets: [{ externalId: "e2e-tk", accountExternalId: product, subject: "Cannot export", priority: "urgent", status: "open", openedAt: "2026-11-20T09:00:00Z" }] },
      "/api/v1/survey-responses": { responses: [{ accountExternalId: product, kind: "nps", score: 3, respondedAt: "2026-11-20T09:00:00Z", comment: "Slow" }] },
      "/api/v1/assignments": { assignments: [{ accountExternalId: product, userEmail: "csm@demo.test", role: "SE" }] },
      "/api/v1/touchpoints": { touchpoints: [{ accountExternalId: product, type: "meeting", subject: "E2E QBR prep", occurredAt: "2026-11-19T09:00:00Z" }] },
      // Lifecycles (issue 16, lifecycle helper)
      "/api/v1/stage-changes": { changes: [{ accountExternalId: product, lifecycle: "onboarding", stage: "training", note: "E2E" }] },
      // Health scored elsewhere (issue 16).
      "/api/v1/health-scores": { scores: [{ accountExternalId: product, score: 55 }] },
      // Tables only the seed wrote before (issue 17, api2 helper); the campaign's contact is the one made above.
      "/api/v1/invoices": { invoices: [{ accountExternalId: product, number: "E2E-INV-1", amount: 1200, issuedOn: "2026-11-01", dueOn: "2026-11-30" }] },
      "/api/v1/sales": { sales: [{ accountExternalId: product, name: "E2E onboarding", amount: 5000, soldOn: "2026-11-02" }] },
      "/api/v1/collection-records": { records: [{ collection: "crm_opportunities", accountExternalId: product, values: { name: "E2E expansion", stage: "Proposal", amount: 40000 } }] },
      "/api/v1/campaigns": { campaigns: [{ name: "E2E webinar", sentAt: "2026-11-03T09:00:00Z", sends: [{ accountExternalId: product, contactExternalId: "e2e-contact" }] }] },
    };
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("publishes an OpenAPI document generated from the schemas, listing every route", async () => {
    const res = await fetch(new URL("/api/v1/openapi.json", baseURL));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, { post?: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    expect(doc.openapi).toBe("3.1.0");
    const documented = Object.keys(doc.paths).filter((route) => doc.paths[route].post).sort();
    const files = routeFiles().filter((r) => r !== "/api/v1/openapi.json");
    expect(documented).toEqual(files);
    expect(Object.keys(good).sort()).toEqual(files);
    for (const route of documented) {
      const ref = doc.paths[route].post!.requestBody.content["application/json"].schema.$ref;
      const schema = doc.components.schemas[ref.replace("#/components/schemas/", "")];
      expect(schema?.properties, route).toBeTruthy();
    }
    const usage = JSON.stringify(doc.components.schemas.UsageRequest);
    expect(usage).toContain('"maxItems":10000');
  });

  it("refuses missing, unknown and revoked tokens and missing scopes on every endpoint, writing nothing", async () => {
    const before = await counts();
    for (const [route, body] of Object.entries(good)) {
      for (const token of [null, "c360_not-a-real-token", tokens.revoked]) {
        const res = await call(route, body, { token });
        expect(res.status, `${route} with ${token ? "a bad" : "no"} token`).toBe(401);
        expect(res.body.error).toBeTruthy();
        expect(res.body.issues).toEqual([]);
      }
      if (route !== "/api/v1/usage-events") {
        const res = await call(route, body, { token: tokens.usageOnly });
        expect(res.status, route).toBe(403);
        expect(res.body.error).toMatch(/scope/);
      }
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses wrong types and unknown references on every endpoint with field paths, writing nothing", async () => {
    const before = await counts();
    const bad: [string, unknown, (string | number)[]][] = [
      ["/api/v1/accounts", { accounts: [{ externalId: "e2e-x", name: 42, type: "product", parentExternalId: lob }] }, ["accounts", 0, "name"]],
      ["/api/v1/accounts", { accounts: [{ externalId: "e2e-y", name: "Y", type: "product", parentExternalId: lob }, { externalId: "e2e-x", name: "X", type: "product", parentExternalId: "no-such-parent" }] }, ["accounts", 1, "parentExternalId"]],
      ["/api/v1/accounts", { accounts: [{ externalId: "e2e-x", name: "X", type: "opportunity", parentExternalId: opportunity }] }, ["accounts", 0, "parentExternalId"]],
      ["/api/v1/accounts", { accounts: [{ externalId: lob, name: "Loop", type: "line_of_business", parentExternalId: product }] }, ["accounts", 0, "parentExternalId"]],
      ["/api/v1/attribute-values", { values: [{ accountExternalId: product, key: "seats", value: "lots" }] }, ["values", 0, "value"]],
      ["/api/v1/usage-events", { events: [{ accountExternalId: product, module: "dashboards", activity: "view_dashboard", occurredAt: "yesterday" }] }, ["events", 0, "occurredAt"]],
      ["/api/v1/usage-events", { events: [{ accountExternalId: product, module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-20T10:00:00Z" }, { accountExternalId: "ghost", module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-20T10:00:00Z" }] }, ["events", 1, "accountExternalId"]],
      ["/api/v1/contacts", { contacts: [{ externalId: "e2e-c2", name: "Z", email: "not-an-email" }] }, ["contacts", 0, "email"]],
      ["/api/v1/contacts", { contacts: [{ externalId: "e2e-c2", name: "Z", accounts: [{ accountExternalId: "ghost", role: "x" }] }] }, ["contacts", 0, "accounts", 0, "accountExternalId"]],
      ["/api/v1/contracts", { contracts: [{ externalId: "e2e-ctr2", accountExternalId: product, name: "x", value: "1000", mrr: 1, startDate: "2026-01-01" }] }, ["contracts", 0, "value"]],
      ["/api/v1/contracts", { contracts: [{ externalId: "e2e-ctr2", accountExternalId: "ghost", name: "x", value: 1, mrr: 1, startDate: "2026-01-01" }] }, ["contracts", 0, "accountExternalId"]],
      ["/api/v1/tickets", { tickets: [{ externalId: "e2e-tk2", accountExternalId: product, subject: "x", priority: "blocker", openedAt: "2026-11-20T09:00:00Z" }] }, ["tickets", 0, "priority"]],
      ["/api/v1/survey-responses", { responses: [{ accountExternalId: product, kind: "csat", score: 9, respondedAt: "2026-11-20T09:00:00Z" }] }, ["responses", 0, "score"]],
      ["/api/v1/touchpoints", { touchpoints: [{ accountExternalId: product, type: "call", subject: "x", occurredAt: "2026-11-20T09:00:00Z", contactExternalIds: ["ghost"] }] }, ["touchpoints", 0, "contactExternalIds", 0]],
      ["/api/v1/invoices", { invoices: [{ accountExternalId: product, number: "x", amount: 1, issuedOn: "2026-11-02", dueOn: "2026-11-01" }] }, ["invoices", 0, "dueOn"]],
      ["/api/v1/collection-records", { records: [{ collection: "crm_opportunities", accountExternalId: product, values: { colour: "red" } }] }, ["records", 0, "values", "colour"]],
      ["/api/v1/campaigns", { campaigns: [{ name: "x", sentAt: "2026-11-03T09:00:00Z", sends: [{ accountExternalId: product, contactExternalId: "ghost" }] }] }, ["campaigns", 0, "sends", 0, "contactExternalId"]],
      // Outside the token's subtree.
      ["/api/v1/usage-events", { events: [{ accountExternalId: americas, module: "dashboards", activity: "view_dashboard", occurredAt: "2026-11-20T10:00:00Z" }] }, ["events", 0, "accountExternalId"]],
    ];
    for (const [index, [route, body, at]] of bad.entries()) {
      const res = await call(route, body, { token: index === bad.length - 1 ? tokens.subtree : tokens.full });
      expect(res.status, `${route} ${JSON.stringify(body)}`).toBe(422);
      expect(res.body.error).toBeTruthy();
      expect(res.body.issues?.map((i) => i.path), route).toContainEqual(at);
    }
    expect((await call("/api/v1/accounts", null, { token: tokens.full, raw: "{not json" })).status).toBe(400);
    expect((await call("/api/v1/accounts", { accounts: [] }, { token: tokens.full })).status).toBe(422);
    expect((await call("/api/v1/accounts", { accounts: [], extra: 1 }, { token: tokens.full })).status).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it("accepts a good request on every endpoint", async () => {
    for (const [route, body] of Object.entries(good)) {
      const res = await call(route, body, { token: tokens.full });
      expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.data).toBeTruthy();
    }
    const contract = await one<{ mrr: string }>(sql`select mrr::text from contracts where external_id = 'e2e-ctr'`);
    expect(Number(contract.mrr)).toBe(2000);
    const created = await one<{ parent: string }>(sql`select p.external_id as parent from accounts a join accounts p on p.id = a.parent_id where a.external_id = 'e2e-product'`);
    expect(created.parent).toBe(lob);
    // The touchpoint is the token creator's, and its timeline entry names the token.
    const logged = await one<{ author: string; actor: string; via: string }>(sql`select au.email as author, ac.email as actor, te.snapshot->>'via' as via
      from touchpoints t join timeline_entries te on te.kind = 'touchpoint' and te.ref_id = t.id::text
      join users au on au.id = t.author_id join users ac on ac.id = te.actor_id where t.subject = 'E2E QBR prep'`);
    expect(logged).toEqual({ author: "admin@demo.test", actor: "admin@demo.test", via: "API token “e2e full”" });
  });

  it("takes 10,000 events in one batch, refuses 10,001, and writes a replayed batch only once", async () => {
    const before = await counts();
    const over = await call("/api/v1/usage-events", { events: events(10_001) }, { token: tokens.full, key: `over-${randomBytes(4).toString("hex")}` });
    expect(over.status).toBe(422);
    expect(over.body.issues?.[0].path).toEqual(["events"]);
    expect(await counts()).toEqual(before);

    const key = `batch-${randomBytes(4).toString("hex")}`;
    const batch = { events: events(10_000) };
    const first = await call("/api/v1/usage-events", batch, { token: tokens.full, key });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ inserted: 10_000 });
    const afterFirst = await counts();
    expect(Number(afterFirst.events) - Number(before.events)).toBe(10_000);

    const replay = await call("/api/v1/usage-events", batch, { token: tokens.full, key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect(await counts()).toEqual(afterFirst);

    const reused = await call("/api/v1/usage-events", { events: events(3) }, { token: tokens.full, key });
    expect(reused.status).toBe(422);
    expect(reused.body.issues?.[0].path).toEqual(["Idempotency-Key"]);
    expect(await counts()).toEqual(afterFirst);

    // A refused batch leaves its key unused: the corrected batch goes through with the same key.
    const fixKey = `fix-${randomBytes(4).toString("hex")}`;
    const broken = await call("/api/v1/usage-events", { events: [...events(50), { ...events(1)[0], accountExternalId: "e2e-no-such-account" }] }, { token: tokens.full, key: fixKey });
    expect(broken.status).toBe(422);
    expect(await counts()).toEqual(afterFirst);
    const fixed = await call("/api/v1/usage-events", { events: events(50) }, { token: tokens.full, key: fixKey });
    expect(fixed.status).toBe(200);
  });

  it("replays a keyed contract upsert without writing twice, and MRR rolls up", async () => {
    const key = `ctr-${randomBytes(4).toString("hex")}`;
    const body = { contracts: [{ externalId: "e2e-ctr-2", accountExternalId: "e2e-product", name: "E2E add-on", value: 1200, mrr: 100, startDate: "2026-02-01" }] };
    const first = await call("/api/v1/contracts", body, { token: tokens.full, key });
    expect(first.status).toBe(200);
    const after = await counts();
    const again = await call("/api/v1/contracts", body, { token: tokens.full, key });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await counts()).toEqual(after);
    const root = await one<{ mrr: string }>(sql`select r.mrr::text from account_rollups r join accounts a on a.id = r.account_id where a.external_id = 'demo-northwind'`);
    const raw = await one<{ mrr: string }>(sql`select sum(own_mrr)::text as mrr from account_rollups`);
    expect(Number(root.mrr)).toBeCloseTo(Number(raw.mrr), 2);
  });

  it("frees a key after 24 hours and deletes expired keys", async () => {
    const key = `old-${randomBytes(4).toString("hex")}`;
    const first = await call("/api/v1/usage-events", { events: events(5) }, { token: tokens.full, key });
    expect(first.status).toBe(200);
    const before = await counts();
    // Within the retention period another body under the key is refused…
    expect((await call("/api/v1/usage-events", { events: events(3) }, { token: tokens.full, key })).status).toBe(422);
    // …past it, the key is claimed anew: written (not replayed), whatever the body.
    await handle.db.execute(sql`update api_idempotency_keys set created_at = now() - interval '25 hours' where key = ${key}`);
    const later = await call("/api/v1/usage-events", { events: events(3) }, { token: tokens.full, key });
    expect(later.status).toBe(200);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect(Number((await counts()).events) - Number(before.events)).toBe(3);

    const stale = `stale-${randomBytes(4).toString("hex")}`;
    expect((await call("/api/v1/usage-events", { events: events(1) }, { token: tokens.full, key: stale })).status).toBe(200);
    await handle.db.execute(sql`update api_idempotency_keys set created_at = now() - interval '25 hours' where key = ${stale}`);
    expect(await purgeExpiredIdempotencyKeys(handle.db)).toBeGreaterThanOrEqual(1);
    expect(await one(sql`select 1 from api_idempotency_keys where key = ${stale}`)).toBeUndefined();
    expect(await one(sql`select 1 from api_idempotency_keys where key = ${key}`)).toBeDefined();
  });

  it("records when a token was last used", async () => {
    const used = await one<{ n: number }>(sql`select count(*)::int as n from api_tokens where name = 'e2e full' and last_used_at is not null`);
    expect(used.n).toBe(1);
    const revoked = await one<{ last: Date | null }>(sql`select last_used_at as last from api_tokens where name = 'e2e revoked'`);
    expect(revoked.last).toBeNull();
  });

  it("leaves every rollup equal to a brute force over the raw rows", async () => {
    await expectRollupsMatchRawRows(handle.db);
  });
});
