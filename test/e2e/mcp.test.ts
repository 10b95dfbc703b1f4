/**
 * The MCP tool server (/api/mcp) with the SDK's own client over Streamable HTTP, against the
 * production build: a read-only token is offered only the read tools, a read-write token all five;
 * every tool is called; writes land through the app's actions (rows and timeline entries); a token
 * limited to a subtree sees nothing outside it; privileged attributes only with privileged:read.
 */
import { createHash, randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

type ToolAnswer = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[] };

describe("MCP tool server", () => {
  let db: pg.Client;
  const baseURL = inject("baseURL");
  const ids: Record<string, string> = {};
  const clients: Client[] = [];

  async function token(name: string, scopes: string[], rootAccountId: string | null = null): Promise<string> {
    const value = `c360_${randomBytes(32).toString("base64url")}`;
    await db.query(
      `insert into api_tokens (name, prefix, token_hash, scopes, root_account_id, created_by)
       values ($1, $2, $3, $4, $5, (select id from users where email = 'admin@demo.test'))`,
      [name, value.slice(0, 11), createHash("sha256").update(value).digest("hex"), scopes, rootAccountId],
    );
    return value;
  }
  async function connect(value: string): Promise<Client> {
    const client = new Client({ name: "c360-e2e", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", baseURL), { requestInit: { headers: { Authorization: `Bearer ${value}` } } }));
    clients.push(client);
    return client;
  }
  const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolAnswer;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    const one = async (q: string, p: unknown[] = []) => (await db.query(q, p)).rows[0];
    ids.emea = (await one("select id from accounts where name = 'EMEA' and depth = 1")).id;
    ids.americas = (await one("select id from accounts where name = 'Americas' and depth = 1")).id;
    ids.root = (await one("select id from accounts where parent_id is null and archived_at is null order by name limit 1")).id;
    // A product with a privileged value (discount_pct) under EMEA, and one under the Americas.
    const product = await one(
      `select a.id, a.name from accounts a join account_closure c on c.descendant_id = a.id join attribute_values v on v.account_id = a.id
       join attribute_definitions d on d.id = v.attribute_id where c.ancestor_id = $1 and d.key = 'discount_pct' and d.privileged and a.archived_at is null
       order by a.name limit 1`,
      [ids.emea],
    );
    ids.product = product.id;
    ids.productName = product.name;
    ids.americasProduct = (await one(
      `select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
       where c.ancestor_id = $1 and t.key = 'product' and a.archived_at is null order by a.name limit 1`,
      [ids.americas],
    )).id;
  });
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => {});
    await db?.end();
  });

  it("refuses a request without a valid token, and GET (stateless: no stream)", async () => {
    const anonymous = await fetch(`${baseURL}/api/mcp`, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/Bearer/);
    const bad = await fetch(`${baseURL}/api/mcp`, { method: "POST", headers: { Authorization: "Bearer c360_nope" }, body: "{}" });
    expect(bad.status).toBe(401);
    expect((await fetch(`${baseURL}/api/mcp`)).status).toBe(405);
  });

  it("offers a read-only token only the read tools, and answers each of them", async () => {
    const client = await connect(await token("MCP read-only", ["accounts:read", "activity:read", "usage:write"]));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["get_account_summary", "get_timeline", "search_accounts"]);
    // Each read tool needs the REST read scope it mirrors: a token with neither is offered nothing.
    const writeOnly = await connect(await token("MCP usage only", ["usage:write"]));
    await expect(writeOnly.listTools()).resolves.toMatchObject({ tools: [] });

    const search = await call(client, "search_accounts", { query: ids.productName.slice(0, 6), limit: 5 });
    expect(search.isError).toBeFalsy();
    const found = (search.structuredContent!.accounts as { id: string; url: string }[]).find((a) => a.id === ids.product);
    expect(found?.url).toBe(`${baseURL}/accounts/${ids.product}`);

    const summary = (await call(client, "get_account_summary", { accountId: ids.product })).structuredContent!;
    expect(summary.account).toMatchObject({ id: ids.product, url: `${baseURL}/accounts/${ids.product}` });
    expect((summary.keyInfo as unknown[]).length).toBeGreaterThan(0);
    expect((summary.health as { dimensions: unknown[] }).dimensions.length).toBeGreaterThan(0);
    expect(summary.rollups).toHaveProperty("mrr");
    expect(summary.openTasks).toHaveProperty("total");
    const latest = summary.latestTimeline as { url: string }[];
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.every((e) => e.url.startsWith(`${baseURL}/accounts/`))).toBe(true);
    // No privileged:read scope: discount_pct (privileged) is left out.
    expect((summary.attributes as { key: string }[]).map((a) => a.key)).not.toContain("discount_pct");

    const root = (await call(client, "get_account_summary", { accountId: ids.root })).structuredContent!;
    expect((root.rollups as { accountsBelow: number }).accountsBelow).toBeGreaterThan(10);

    const timeline = (await call(client, "get_timeline", { accountId: ids.product, kinds: ["touchpoint"] })).structuredContent!;
    expect((timeline.entries as { kind: string }[]).every((e) => e.kind === "touchpoint")).toBe(true);
    expect(timeline.filters).toMatchObject({ kinds: ["touchpoint"] });

    // The write tools are not there for this token.
    const refused = await call(client, "log_touchpoint", { accountId: ids.product, type: "call", subject: "Should not land" }).catch((e: Error) => ({ isError: true, content: [{ type: "text", text: e.message }] }));
    expect(refused.isError).toBe(true);
    expect((await db.query("select count(*)::int as n from touchpoints where subject = 'Should not land'")).rows[0].n).toBe(0);
  });

  it("offers a read-write token the write tools, which write through the app with timeline entries", async () => {
    const client = await connect(await token("MCP agent", ["accounts:read", "activity:read", "touchpoints:write", "tasks:write", "privileged:read"]));
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["create_task", "get_account_summary", "get_timeline", "log_touchpoint", "search_accounts"]);

    const subject = `Agent call ${randomBytes(3).toString("hex")}`;
    const logged = await call(client, "log_touchpoint", { accountId: ids.product, type: "call", subject, body: "Summarised by an agent." });
    expect(logged.isError, JSON.stringify(logged.content)).toBeFalsy();
    const touchpointId = logged.structuredContent!.touchpointId as string;
    expect((await db.query("select subject from touchpoints where id = $1", [touchpointId])).rows[0].subject).toBe(subject);
    expect((await db.query("select count(*)::int as n from timeline_entries where ref_id = $1 and kind = 'touchpoint'", [touchpointId])).rows[0].n).toBe(1);

    const title = `Agent follow-up ${randomBytes(3).toString("hex")}`;
    const task = await call(client, "create_task", { accountId: ids.product, title, priority: "high", dueDate: "2030-01-15" });
    expect(task.isError, JSON.stringify(task.content)).toBeFalsy();
    const taskId = task.structuredContent!.taskId as string;
    expect((await db.query("select title, priority from tasks where id = $1", [taskId])).rows[0]).toEqual({ title, priority: "high" });
    expect((await db.query("select count(*)::int as n from timeline_entries where ref_id = $1 and kind = 'task'", [taskId])).rows[0].n).toBe(1);

    // Bad input is an answer the agent can read, not a 500; nothing written.
    const invalid = await call(client, "create_task", { accountId: ids.product, title: "x", dueDate: "not a day" });
    expect(invalid.isError).toBe(true);

    // The new touchpoint and task are on the summary; privileged values are there with privileged:read.
    const summary = (await call(client, "get_account_summary", { accountId: ids.product })).structuredContent!;
    expect((summary.latestTimeline as { title: string }[]).map((e) => e.title)).toEqual(expect.arrayContaining([`Call: ${subject}`, `Task created: ${title}`]));
    expect((summary.attributes as { key: string }[]).map((a) => a.key)).toContain("discount_pct");
  });

  it("keeps a subtree token inside its subtree, for reads and writes alike", async () => {
    const client = await connect(await token("MCP EMEA", ["accounts:read", "activity:read", "touchpoints:write"], ids.emea));
    const outside = await call(client, "get_account_summary", { accountId: ids.americasProduct });
    const missing = await call(client, "get_account_summary", { accountId: "00000000-0000-4000-8000-00000000beef" });
    expect(outside.isError).toBe(true);
    expect(outside.content).toEqual(missing.content); // forbidden answers exactly like missing
    const timeline = await call(client, "get_timeline", { accountId: ids.americasProduct });
    expect(timeline.isError).toBe(true);
    const write = await call(client, "log_touchpoint", { accountId: ids.americasProduct, type: "note", subject: "Outside scope" });
    expect(write.isError).toBe(true);
    expect((await db.query("select count(*)::int as n from touchpoints where subject = 'Outside scope'")).rows[0].n).toBe(0);
    const search = (await call(client, "search_accounts", { limit: 50 })).structuredContent!;
    const found = search.accounts as { id: string }[];
    const { rows } = await db.query("select descendant_id as id from account_closure where ancestor_id = $1", [ids.emea]);
    const inside = new Set(rows.map((r) => r.id));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((a) => inside.has(a.id))).toBe(true);
  });
});
