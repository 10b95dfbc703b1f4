/**
 * A typed client generated from our OpenAPI document calls EVERY /api/v1 endpoint of the production
 * server over HTTP. openapi-typescript turns /api/v1/openapi.json into `paths` types; a generated
 * module wraps one openapi-fetch call per operation with exactly those types and is type-checked
 * with tsc (strict) before the test imports and runs it. Every answer must match the response
 * schema the document gives; lists page with their cursor; one-record reads return the listed
 * record; PATCH and DELETE change through the app's own rules and keep history; a token limited to a
 * subtree reads and changes nothing outside it; campaigns with sends and contacts named by history are
 * refused with 409 and their references; a changed cursor and an unknown
 * filter are 400s; RateLimit-* headers come on every answer and a token over its limit gets 429.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { API_SCOPE_KEYS } from "@/lib/api/scopes";
import { discoverRoutes } from "../support/routes";

const baseURL = inject("baseURL");
const serverError = inject("e2eServerError");

type Schema = Record<string, unknown> & { $ref?: string; type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; required?: string[] };
type Operation = { operationId: string; parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, { content?: { "application/json": { schema: Schema } } }> };
type Doc = { paths: Record<string, Partial<Record<"get" | "post" | "patch" | "delete", Operation>>>; components: { schemas: Record<string, Schema> } };
type Answer = { data?: unknown; error?: unknown; response: Response };
type Calls = Record<string, (client: unknown, input: unknown) => Promise<Answer>>;

/** Where `value` breaks `schema` (a small JSON Schema check: types, properties, items, enum), or null. */
function mismatch(value: unknown, schema: Schema, doc: Doc, at = "$"): string | null {
  if (schema.$ref) return mismatch(value, doc.components.schemas[schema.$ref.replace("#/components/schemas/", "")], doc, at);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const typeOf = value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
  if (types.length && !types.includes(typeOf) && !(typeOf === "integer" && types.includes("number"))) return `${at}: ${typeOf} where ${types.join("|")} was documented`;
  if (schema.enum && !schema.enum.includes(value)) return `${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(", ")}`;
  if (typeOf === "object" && schema.properties) {
    for (const key of schema.required ?? []) if (!(key in (value as object))) return `${at}.${key}: missing`;
    for (const [key, v] of Object.entries(value as object)) {
      if (!schema.properties[key]) return `${at}.${key}: not documented`;
      const inner = mismatch(v, schema.properties[key], doc, `${at}.${key}`);
      if (inner) return inner;
    }
  }
  if (typeOf === "array" && schema.items) for (const [i, v] of (value as unknown[]).entries()) {
    const inner = mismatch(v, schema.items, doc, `${at}[${i}]`);
    if (inner) return inner;
  }
  return null;
}

/** The generated module: one typed call per operation, checked by tsc against the generated paths. */
function callsModule(doc: Doc): string {
  const lines = [
    `import createClient from "openapi-fetch";`,
    `import type { paths } from "./schema";`,
    `export function makeClient(baseUrl: string, token: string) {`,
    `  return createClient<paths>({ baseUrl, headers: { Authorization: \`Bearer \${token}\` } });`,
    `}`,
    `type Client = ReturnType<typeof makeClient>;`,
    `/** The response types are usable as generated: a list's record and its cursor. */`,
    `export async function firstAccountId(c: Client): Promise<string | undefined> {`,
    `  const { data } = await c.GET("/api/v1/accounts", { params: { query: { limit: 1, type: "product" } } });`,
    `  const cursor: string | null | undefined = data?.next_cursor;`,
    `  return cursor === undefined ? undefined : data?.data[0]?.id;`,
    `}`,
    `export const calls = {`,
  ];
  for (const [route, item] of Object.entries(doc.paths)) {
    const p = JSON.stringify(route);
    if (item.get && route.includes("{id}")) lines.push(`  ${JSON.stringify(`GET ${route}`)}: (c: Client, id: paths[${p}]["get"]["parameters"]["path"]["id"]) => c.GET(${p}, { params: { path: { id } } }),`);
    else if (item.get && item.get.parameters?.some((x) => x.in === "query"))
      lines.push(`  ${JSON.stringify(`GET ${route}`)}: (c: Client, query: paths[${p}]["get"]["parameters"]["query"]) => c.GET(${p}, { params: { query } }),`);
    else if (item.get) lines.push(`  ${JSON.stringify(`GET ${route}`)}: (c: Client) => c.GET(${p}),`);
    if (item.post) lines.push(`  ${JSON.stringify(`POST ${route}`)}: (c: Client, body: paths[${p}]["post"]["requestBody"]["content"]["application/json"]) => c.POST(${p}, { body }),`);
    if (item.patch)
      lines.push(
        `  ${JSON.stringify(`PATCH ${route}`)}: (c: Client, input: { id: string; body: paths[${p}]["patch"]["requestBody"]["content"]["application/json"] }) => c.PATCH(${p}, { params: { path: { id: input.id } }, body: input.body }),`,
      );
    if (item.delete) lines.push(`  ${JSON.stringify(`DELETE ${route}`)}: (c: Client, id: string) => c.DELETE(${p}, { params: { path: { id } } }),`);
  }
  lines.push(`};`);
  return lines.join("\n") + "\n";
}

describe("a client generated from the OpenAPI document, against the production build", () => {
  let handle: DatabaseHandle;
  let doc: Doc;
  let calls: Calls;
  let client: (token: string) => unknown;
  const dir = path.join(process.cwd(), "node_modules", ".cache", `api-client-${randomBytes(4).toString("hex")}`);
  const tokens = { all: "", emea: "", slow: "", readOnly: "" };
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await handle.db.execute(q)) as unknown as { rows: T[] }).rows;
  let emea = new Set<string>();

  beforeAll(async () => {
    if (serverError) throw new Error(serverError);
    handle = await openDatabase({ driver: "pg", url: inject("e2eDatabaseUrl"), poolSize: 2 });
    const [admin] = await rows<{ id: string }>(sql`select id from users where email = 'admin@demo.test'`);
    const [region] = await rows<{ id: string }>(sql`select id from accounts where external_id = 'demo-emea'`);
    emea = new Set((await rows<{ id: string }>(sql`select descendant_id as id from account_closure where ancestor_id = ${region.id}`)).map((r) => r.id));
    const make = async (name: string, root: string | null, limit: number, scopes: readonly string[] = API_SCOPE_KEYS) => {
      const token = `c360_${randomBytes(32).toString("base64url")}`;
      await handle.db.execute(sql`insert into api_tokens (name, prefix, token_hash, scopes, created_by, root_account_id, rate_limit_per_minute)
        values (${name}, ${token.slice(0, 11)}, ${createHash("sha256").update(token).digest("hex")}, ${`{${scopes.join(",")}}`}::text[], ${admin.id}, ${root}, ${limit})`);
      return token;
    };
    tokens.all = await make("Client: everything", null, 100_000);
    tokens.emea = await make("Client: EMEA", region.id, 100_000);
    tokens.slow = await make("Client: 3 a minute", null, 3);
    tokens.readOnly = await make("Client: read only", null, 100_000, API_SCOPE_KEYS.filter((k) => k.endsWith(":read")));

    const res = await fetch(new URL("/api/v1/openapi.json", baseURL));
    doc = (await res.json()) as Doc;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "schema.ts"), astToString(await openapiTS(doc as never)));
    writeFileSync(path.join(dir, "calls.ts"), callsModule(doc));
    const tsc = path.join(process.cwd(), "node_modules", "typescript", "bin", "tsc");
    await promisify(execFile)(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler", path.join(dir, "calls.ts")]).catch((error) => {
      throw new Error(`the generated client does not type-check:\n${error.stdout}${error.stderr}`);
    });
    const generated = (await import(/* @vite-ignore */ path.join(dir, "calls.ts"))) as { calls: Calls; makeClient: (baseUrl: string, token: string) => unknown };
    calls = generated.calls;
    client = (token) => generated.makeClient(baseURL, token);
  }, 180_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await handle?.close();
  });

  const check = (key: string, status: string, answer: Answer) => {
    const [method, route] = key.split(" ");
    const schema = doc.paths[route][method.toLowerCase() as "get"]!.responses[status]?.content?.["application/json"].schema;
    expect(schema, `${key} documents ${status}`).toBeTruthy();
    expect(mismatch(answer.data ?? answer.error, schema!, doc), `${key} → ${status}`).toBeNull();
    for (const header of ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"]) expect(answer.response.headers.get(header), `${key} ${header}`).toMatch(/^\d+$/);
  };

  it("documents every route file and method under app/api/v1", () => {
    const routes = discoverRoutes().api.filter((r) => r.route.startsWith("/api/v1/") && r.route !== "/api/v1/openapi.json");
    const documented = Object.entries(doc.paths).flatMap(([route, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${route}`));
    expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.route.replace("[id]", "{id}")}`).sort());
    expect(Object.keys(calls).sort()).toEqual(documented.sort());
  });

  it("calls every endpoint with the generated client; every answer matches its documented schema", async () => {
    const everything = client(tokens.all);
    const firstIds: Record<string, string> = {};
    for (const key of Object.keys(calls).filter((k) => k.startsWith("GET") && !k.includes("{id}"))) {
      const route = key.split(" ")[1];
      const first = await calls[key](everything, { limit: 2 });
      expect(first.response.status, `${key}: ${JSON.stringify(first.error)}`).toBe(200);
      check(key, "200", first);
      const page = first.data as { data: Record<string, unknown>[]; next_cursor: string | null };
      expect(page.data.length, `${key} returns demo rows`).toBeGreaterThan(0);
      if (page.data[0].id ?? page.data[0].accountId) firstIds[route] = String(page.data[0].id ?? page.data[0].accountId);
      if (page.next_cursor) {
        const second = await calls[key](everything, { limit: 2, cursor: page.next_cursor });
        expect(second.response.status, key).toBe(200);
        expect((second.data as { data: unknown[] }).data[0], `${key} page 2`).not.toEqual(page.data[0]);
      }
      const refused = await calls[key](everything, { limit: 2, cursor: `${page.next_cursor ?? "x.y"}x` });
      expect(refused.response.status, `${key} with a changed cursor`).toBe(400);
      check(key, "400", refused);
    }
    for (const key of Object.keys(calls).filter((k) => k.startsWith("GET") && k.includes("{id}"))) {
      const list = key.split(" ")[1].replace("/{id}", "");
      const idType = (doc.paths[key.split(" ")[1]].get!.parameters!.find((p) => p.name === "id") as unknown as { schema: { type: string } }).schema.type;
      const id = idType === "integer" ? Number(firstIds[list]) : firstIds[list];
      const one = await calls[key](everything, id);
      expect(one.response.status, `${key} ${id}: ${JSON.stringify(one.error)}`).toBe(200);
      check(key, "200", one);
      const missing = await calls[key](everything, idType === "integer" ? 999_999_999 : "00000000-0000-0000-0000-000000000000");
      expect(missing.response.status, key).toBe(404);
      check(key, "404", missing);
    }
    // PATCH and DELETE on an account made for this test (the demo accounts stay as they are) and a task.
    // Its external id sorts after the demo set's: other files pick "the first product" by external id.
    const [lob] = await rows<{ external_id: string; id: string }>(sql`select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'line_of_business' and a.archived_at is null order by a.external_id limit 2`);
    const created = await calls["POST /api/v1/accounts"](everything, { accounts: [{ externalId: "zz-client-e2e-product", name: "Client E2E", type: "product", parentExternalId: lob.external_id }] });
    expect(created.response.status, JSON.stringify(created.error)).toBe(200);
    const [made] = await rows<{ id: string }>(sql`select id from accounts where external_id = 'zz-client-e2e-product'`);
    const renamed = await calls["PATCH /api/v1/accounts/{id}"](everything, { id: made.id, body: { name: "Client E2E renamed" } });
    expect(renamed.response.status, JSON.stringify(renamed.error)).toBe(200);
    check("PATCH /api/v1/accounts/{id}", "200", renamed);
    const read = await calls["GET /api/v1/accounts/{id}"](everything, made.id);
    expect((read.data as { data: { name: string } }).data.name).toBe("Client E2E renamed");
    const badPatch = await calls["PATCH /api/v1/accounts/{id}"](everything, { id: made.id, body: { colour: "red" } });
    expect(badPatch.response.status).toBe(422);
    check("PATCH /api/v1/accounts/{id}", "422", badPatch);
    const [task] = await rows<{ id: string; status: string }>(sql`select t.id, t.status from tasks t join accounts a on a.id = t.account_id where a.archived_at is null and t.status = 'open' order by t.id limit 1`);
    const done = await calls["PATCH /api/v1/tasks/{id}"](everything, { id: task.id, body: { status: "done" } });
    expect(done.response.status, JSON.stringify(done.error)).toBe(200);
    check("PATCH /api/v1/tasks/{id}", "200", done);
    expect((await rows<{ status: string }>(sql`select status from tasks where id = ${task.id}`))[0].status).toBe("done");
    await calls["PATCH /api/v1/tasks/{id}"](everything, { id: task.id, body: { status: "open" } });
    // An invoice (a table only the seed wrote before): added, marked paid, read, deleted, all through the generated client.
    const invoice = await calls["POST /api/v1/invoices"](everything, { invoices: [{ accountExternalId: "zz-client-e2e-product", number: "CLIENT-1", amount: 990, issuedOn: "2026-11-01", dueOn: "2026-11-30" }] });
    expect(invoice.response.status, JSON.stringify(invoice.error)).toBe(200);
    check("POST /api/v1/invoices", "200", invoice);
    const invoiceId = (invoice.data as { data: { ids: string[] } }).data.ids[0];
    const paid = await calls["PATCH /api/v1/invoices/{id}"](everything, { id: invoiceId, body: { paidOn: "2026-11-15" } });
    expect(paid.response.status, JSON.stringify(paid.error)).toBe(200);
    check("PATCH /api/v1/invoices/{id}", "200", paid);
    expect((await calls["GET /api/v1/invoices/{id}"](everything, invoiceId)).data).toMatchObject({ data: { number: "CLIENT-1", amount: 990, paidOn: "2026-11-15" } });
    const early = await calls["PATCH /api/v1/invoices/{id}"](everything, { id: invoiceId, body: { dueOn: "2026-10-01" } });
    expect(early.response.status, "due before issued").toBe(422);
    check("PATCH /api/v1/invoices/{id}", "422", early);
    expect((await calls["PATCH /api/v1/invoices/{id}"](client(tokens.emea), { id: invoiceId, body: { paidOn: null } })).response.status, "outside the subtree").toBe(404);
    const voided = await calls["DELETE /api/v1/invoices/{id}"](everything, invoiceId);
    expect(voided.response.status, JSON.stringify(voided.error)).toBe(200);
    check("DELETE /api/v1/invoices/{id}", "200", voided);
    expect((await calls["GET /api/v1/invoices/{id}"](everything, invoiceId)).response.status).toBe(404);
    await campaignsAndContacts(everything, made.id);
    const archived = await calls["DELETE /api/v1/accounts/{id}"](everything, made.id);
    expect(archived.response.status, JSON.stringify(archived.error)).toBe(200);
    check("DELETE /api/v1/accounts/{id}", "200", archived);
    expect((await calls["GET /api/v1/accounts/{id}"](everything, made.id)).response.status, "an archived account reads as gone").toBe(404);
    // History is kept: the archived row and its timeline entries stay.
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from timeline_entries where account_id = ${made.id} and kind = 'hierarchy_change'`))[0].n).toBeGreaterThan(0);
    const missing = await calls["DELETE /api/v1/accounts/{id}"](everything, "00000000-0000-0000-0000-000000000000");
    expect(missing.response.status).toBe(404);
    // Outside a subtree token's reach: the same 404.
    const [outside] = await rows<{ id: string }>(sql`select id from accounts where external_id = 'demo-americas'`);
    expect((await calls["PATCH /api/v1/accounts/{id}"](client(tokens.emea), { id: outside.id, body: { name: "Hijacked" } })).response.status).toBe(404);

    // The writes: an empty body is refused with the documented error (nothing written), and the
    // generated types accept the real shape (checked by tsc above).
    for (const key of Object.keys(calls).filter((k) => k.startsWith("POST"))) {
      const answer = await calls[key](everything, {});
      expect(answer.response.status, key).toBe(422);
      check(key, "422", answer);
    }
  }, 180_000);

  /**
   * Campaigns, their sends and contacts (issue 17, api3 helper), through the generated client: a
   * campaign with sends and a contact named by history are refused with 409 and their references,
   * nothing written; a read-only token gets 403, a subtree token 404 for another region's send.
   */
  async function campaignsAndContacts(everything: unknown, accountId: string) {
    const [americas] = await rows<{ external_id: string; id: string }>(sql`select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'product' and a.external_id like 'demo-americas-%' and a.archived_at is null order by a.external_id limit 1`);
    const [person] = await rows<{ external_id: string; id: string }>(sql`select external_id, id from contacts where external_id is not null order by external_id limit 1`);
    const sends = [
      { accountExternalId: "zz-client-e2e-product", contactExternalId: person.external_id },
      { accountExternalId: americas.external_id, contactExternalId: person.external_id },
    ];
    const posted = await calls["POST /api/v1/campaigns"](everything, { campaigns: [{ name: "Client webinar", sentAt: "2026-11-05T09:00:00Z", sends }] });
    expect(posted.response.status, JSON.stringify(posted.error)).toBe(200);
    const campaignId = (posted.data as { data: { ids: string[] } }).data.ids[0];
    const read = await calls["GET /api/v1/campaigns/{id}"](everything, campaignId);
    expect(read.data).toMatchObject({ data: { name: "Client webinar", sends: 2 } });
    const renamed = await calls["PATCH /api/v1/campaigns/{id}"](everything, { id: campaignId, body: { name: "Client webinar (recording)" } });
    expect(renamed.response.status, JSON.stringify(renamed.error)).toBe(200);
    check("PATCH /api/v1/campaigns/{id}", "200", renamed);
    const badTime = await calls["PATCH /api/v1/campaigns/{id}"](everything, { id: campaignId, body: { sentAt: "soon" } });
    expect([badTime.response.status, (badTime.error as { issues: { path: string[] }[] }).issues[0].path]).toEqual([422, ["sentAt"]]);
    check("PATCH /api/v1/campaigns/{id}", "422", badTime);
    const readOnly = await calls["PATCH /api/v1/campaigns/{id}"](client(tokens.readOnly), { id: campaignId, body: { name: "Read only" } });
    expect(readOnly.response.status, "a read-only token").toBe(403);
    check("PATCH /api/v1/campaigns/{id}", "403", readOnly);
    expect((await calls["DELETE /api/v1/contacts/{id}"](client(tokens.readOnly), person.id)).response.status).toBe(403);

    const withSends = await calls["DELETE /api/v1/campaigns/{id}"](everything, campaignId);
    expect([withSends.response.status, (withSends.error as { references: unknown }).references]).toEqual([409, { campaign_sends: 2 }]);
    check("DELETE /api/v1/campaigns/{id}", "409", withSends);
    const mine = `${campaignId}:${person.id}:${accountId}`;
    const theirs = `${campaignId}:${person.id}:${americas.id}`;
    expect((await calls["PATCH /api/v1/campaign-sends/{id}"](client(tokens.emea), { id: theirs, body: { openedAt: "2026-11-06T10:00:00Z" } })).response.status, "another region's send").toBe(404);
    const opened = await calls["PATCH /api/v1/campaign-sends/{id}"](everything, { id: mine, body: { openedAt: "2026-11-06T10:00:00Z", clickedAt: null } });
    expect(opened.response.status, JSON.stringify(opened.error)).toBe(200);
    check("PATCH /api/v1/campaign-sends/{id}", "200", opened);
    expect((await rows<{ title: string }>(sql`select title from timeline_entries where account_id = ${accountId} and kind = 'campaign' order by id desc limit 1`))[0].title).toMatch(/Client webinar \(recording\): send to .* changed \(opened at\)/);
    for (const id of [mine, theirs]) {
      const gone = await calls["DELETE /api/v1/campaign-sends/{id}"](everything, id);
      expect(gone.response.status, JSON.stringify(gone.error)).toBe(200);
      check("DELETE /api/v1/campaign-sends/{id}", "200", gone);
    }
    const deleted = await calls["DELETE /api/v1/campaigns/{id}"](everything, campaignId);
    expect(deleted.response.status, JSON.stringify(deleted.error)).toBe(200);
    check("DELETE /api/v1/campaigns/{id}", "200", deleted);
    expect((await calls["GET /api/v1/campaigns/{id}"](everything, campaignId)).response.status).toBe(404);

    // Contacts: one named by history is refused (409, its references); an unused one is deleted.
    const [named] = await rows<{ id: string }>(sql`select c.id from contacts c where exists (select 1 from touchpoint_participants p where p.contact_id = c.id)
      and exists (select 1 from account_contacts ac join accounts a on a.id = ac.account_id where ac.contact_id = c.id and a.archived_at is null) order by c.id limit 1`);
    const kept = await calls["DELETE /api/v1/contacts/{id}"](everything, named.id);
    expect(kept.response.status).toBe(409);
    expect((kept.error as { references: Record<string, number> }).references.touchpoints).toBeGreaterThan(0);
    check("DELETE /api/v1/contacts/{id}", "409", kept);
    await calls["POST /api/v1/contacts"](everything, { contacts: [{ externalId: "zz-client-e2e-unused", name: "Client Unused", accounts: [{ accountExternalId: "zz-client-e2e-product", role: "User" }] }] });
    const [unused] = await rows<{ id: string }>(sql`select id from contacts where external_id = 'zz-client-e2e-unused'`);
    const removed = await calls["DELETE /api/v1/contacts/{id}"](everything, unused.id);
    expect(removed.response.status, JSON.stringify(removed.error)).toBe(200);
    check("DELETE /api/v1/contacts/{id}", "200", removed);
    expect((await calls["GET /api/v1/contacts/{id}"](everything, unused.id)).response.status).toBe(404);
  }

  it("keeps a subtree token inside its subtree on every list", async () => {
    const emeaClient = client(tokens.emea);
    for (const key of Object.keys(calls).filter((k) => k.startsWith("GET") && !k.includes("{id}") && !k.includes("openapi"))) {
      const answer = await calls[key](emeaClient, { limit: 200 });
      expect(answer.response.status, key).toBe(200);
      for (const row of (answer.data as { data: Record<string, unknown>[] }).data) {
        // A campaign belongs to no one account: listed when one of its sends is in the subtree.
        const campaignSends = key.endsWith("/campaigns") ? await rows<{ account_id: string }>(sql`select account_id from campaign_sends where campaign_id = ${String(row.id)}::uuid`) : [];
        if (key.endsWith("/campaigns")) expect(campaignSends.some((s) => emea.has(s.account_id)), `${key} → ${row.id}`).toBe(true);
        const accounts = key.endsWith("/contacts")
          ? (row.accounts as { accountId: string }[]).map((l) => l.accountId)
          : key.endsWith("/campaigns")
            ? []
            : [String(row.accountId ?? row.id)];
        for (const id of accounts) expect(emea.has(id), `${key} → ${JSON.stringify(row).slice(0, 160)}`).toBe(true);
      }
    }
  });

  it("names the allowed filters for an unknown one", async () => {
    const answer = await calls["GET /api/v1/accounts"](client(tokens.all), { colour: "red" });
    expect(answer.response.status).toBe(400);
    expect(JSON.stringify(answer.error)).toMatch(/colour.*Allowed filters: accountId, subtree, type, parent, externalId, updatedSince/);
  });

  it("counts requests per token: RateLimit headers, then 429 with Retry-After", async () => {
    const slow = client(tokens.slow);
    // The window is the clock minute: start early enough in one that all four requests share it.
    const seconds = new Date().getUTCSeconds();
    if (seconds > 52) await new Promise((r) => setTimeout(r, (61 - seconds) * 1000));
    const answers: Answer[] = [];
    for (let i = 0; i < 4; i++) answers.push(await calls["GET /api/v1/tickets"](slow, { limit: 1 }));
    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.response.headers.get("RateLimit-Remaining"))).toEqual(["2", "1", "0", "0"]);
    const reset = Number(answers[3].response.headers.get("RateLimit-Reset"));
    expect(reset).toBeGreaterThanOrEqual(1);
    expect(reset).toBeLessThanOrEqual(60);
    expect(answers[3].response.headers.get("Retry-After")).toBe(String(reset));
    check("GET /api/v1/tickets", "429", answers[3]);
  });
});
