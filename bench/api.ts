/**
 * `npm run bench:api`: the read API and the MCP tool server on the large data set (issue 17).
 *
 *   - `GET /api/v1/accounts?limit=200` (the first page of the REST read, `{data, next_cursor}`),
 *   - the MCP tool `get_account_summary` (POST /api/mcp, one stateless JSON-RPC `tools/call`) for the
 *     large set's leaf and for its root (100,000 accounts below),
 * each at 1 and at 10 clients for --duration seconds, every response checked, beside the same reads
 * in plain SQL from node `pg` (1 and 10 clients, same run, same database): the first 200 accounts;
 * the summary's reads (account, attributes, latest health with dimensions, rollup row, open tasks,
 * newest 10 timeline entries of the account and the touchpoints/tasks below it).
 *
 * Postgres: DATABASE_URL when set (empty, or holding the large set), else the bench's own cluster
 * (bench/postgres.ts), seeded once and reused. `--small`: develop on the demo set instead (a
 * database DATABASE_URL names, seeded with the demo by the server on start; leaf = the demo product
 * with the most timeline entries, root = the top account). Writes bench/results/api.json (--out).
 * A read token (no write scope) is made for the run and deleted at its end.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { LARGE_IDS } from "./accounts";
import { fetchOnce, percentile, runLoad, type LoadResult } from "./load";
import { startBenchPostgres } from "./postgres";
import { nextBuild, nextStart } from "./server";

type Options = { durationS: number; skipBuild: boolean; small: boolean; out: string };

function parseArgs(argv: string[]): Options {
  const o: Options = { durationS: 10, skipBuild: false, small: false, out: "bench/results/api.json" };
  for (const arg of argv) {
    const [key, value] = arg.split("=", 2);
    if (key === "--duration") o.durationS = Math.max(1, Number(value) || 10);
    else if (key === "--skip-build") o.skipBuild = true;
    else if (key === "--small") o.small = true;
    else if (key === "--out") o.out = value;
    else if (key === "--help") {
      console.log("npm run bench:api -- [--duration=S] [--skip-build] [--small] [--out=FILE]");
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  return o;
}

const log = (m: string) => console.log(`[bench:api] ${m}`);
const r2 = (n: number) => Math.round(n * 100) / 100;

type Figures = { p50_ms: number; p95_ms: number; rps: number; requests: number };
const figures = (r: LoadResult): Figures => ({ p50_ms: r2(r.latencyMs.p50), p95_ms: r2(r.latencyMs.p95), rps: r2(r.rps), requests: r.requests });

/** A closed loop of `clients` node-pg connections running `read` for `durationMs`. */
async function sqlLoad(url: string, clients: number, durationMs: number, read: (c: pg.Client) => Promise<unknown>): Promise<Figures> {
  const pool = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      return c;
    }),
  );
  try {
    for (const c of pool) for (let i = 0; i < 5; i++) await read(c); // warm-up: plans and cache
    const samples: number[] = [];
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    await Promise.all(
      pool.map(async (c) => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await read(c);
          samples.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = performance.now() - started;
    samples.sort((a, b) => a - b);
    return { p50_ms: r2(percentile(samples, 50)), p95_ms: r2(percentile(samples, 95)), rps: r2((samples.length * 1000) / elapsed), requests: samples.length };
  } finally {
    await Promise.all(pool.map((c) => c.end()));
  }
}

/** The first page of accounts, as the list endpoint reads it (visible to an all-seeing token: no scope filter). */
const accountsPage = (c: pg.Client) =>
  c.query({
    name: "api-accounts-page",
    text: `select a.id, a.name, a.external_id, t.key as type, a.parent_id, a.depth, a.created_at, a.updated_at
           from accounts a join account_types t on t.id = a.type_id where a.archived_at is null order by a.id limit 200`,
  });

/** The MCP summary's reads, one after another. */
function summaryReads(id: string) {
  return async (c: pg.Client) => {
    await c.query({ name: "s-account", text: `select a.id, a.name, a.type_id, a.parent_id, a.path, a.depth from accounts a where a.id = $1 and a.archived_at is null`, values: [id] });
    await c.query({
      name: "s-attributes",
      text: `select d.key, d.label, d.key_info, d.privileged, v.value from attribute_definitions d
             join accounts a on a.type_id = d.account_type_id left join attribute_values v on v.attribute_id = d.id and v.account_id = a.id
             where a.id = $1 and d.deleted_at is null order by d.position`,
      values: [id],
    });
    await c.query({ name: "s-health", text: `select * from health_snapshots where account_id = $1 order by week_start desc limit 1`, values: [id] });
    await c.query({ name: "s-rollup", text: `select * from account_rollups where account_id = $1`, values: [id] });
    await c.query({
      name: "s-tasks",
      text: `select t.id, t.title, t.due_date, t.priority, t.status from tasks t where t.account_id = $1 and t.status <> 'done'
             order by t.due_date nulls last, t.priority limit 10`,
      values: [id],
    });
    await c.query({
      name: "s-timeline",
      text: `select * from (
               (select te.id, te.occurred_at from timeline_entries te where te.account_id = $1 order by te.occurred_at desc, te.id desc limit 10)
               union all
               (select te.id, te.occurred_at from account_closure cl join timeline_entries te on te.account_id = cl.descendant_id
                where cl.ancestor_id = $1 and cl.distance > 0 and te.kind in ('touchpoint', 'task') order by te.occurred_at desc, te.id desc limit 10)
             ) s order by occurred_at desc, id desc limit 10`,
      values: [id],
    });
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()!().catch((e) => console.error(`[bench:api] cleanup: ${(e as Error).message}`));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  try {
    let url = process.env.DATABASE_URL;
    if (!url) {
      if (o.small) throw new Error("--small needs DATABASE_URL (an empty database: the server seeds the demo set into it)");
      const cluster = await startBenchPostgres({ dir: process.env.BENCH_PG_DIR, log });
      cleanups.push(() => cluster.stop());
      url = cluster.url;
    }
    if (!o.small) {
      const { seedLarge } = await import("../db/seed/large");
      log("the large data set: seeding or reusing…");
      await seedLarge(url, (m) => log(`  seed: ${m}`));
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
      SEED_ON_START: o.small ? "true" : "false",
      DEMO_MODE: "false",
      BACKGROUND_WORKERS: "off",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (!o.skipBuild) {
      log("next build…");
      await nextBuild(env, path.join(os.tmpdir(), `c360-bench-api-build-${process.pid}.log`));
    }
    const server = await nextStart(env, path.join(os.tmpdir(), `c360-bench-api-server-${process.pid}.log`));
    cleanups.push(() => server.stop());
    log(`next start at ${server.baseUrl}`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push(() => client.end());
    const one = async (q: string, p: unknown[] = []) => (await client.query(q, p)).rows[0];
    const ids = o.small
      ? {
          leaf: (await one(`select a.id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.archived_at is null
              order by (select count(*) from timeline_entries te where te.account_id = a.id) desc, a.id limit 1`)).id as string,
          root: (await one(`select id from accounts where parent_id is null and archived_at is null order by name limit 1`)).id as string,
        }
      : { leaf: LARGE_IDS.leaf, root: LARGE_IDS.root };
    const token = `c360_${randomBytes(32).toString("base64url")}`;
    const { id: tokenId } = await one(
      // A limit the load cannot reach: the bench measures the reads, not the 600-a-minute default.
      `insert into api_tokens (name, prefix, token_hash, scopes, created_by, rate_limit_per_minute)
       values ('bench:api', $1, $2, array['accounts:read','activity:read'], (select id from users where email = 'admin@demo.test'), 10000000) returning id`,
      [token.slice(0, 11), createHash("sha256").update(token).digest("hex")],
    );
    cleanups.push(async () => void (await client.query(`delete from api_tokens where id = $1`, [tokenId])));
    const auth = { authorization: `Bearer ${token}` };
    const durationMs = o.durationS * 1000;

    type Case = { name: string; url: string; method: "GET" | "POST"; body?: string; headers: Record<string, string>; check: (status: number, body: Buffer) => string | null; sql: (c: pg.Client) => Promise<unknown> };
    const mcpCall = (accountId: string) =>
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_account_summary", arguments: { accountId } } });
    const mcpCheck = (accountId: string) => (status: number, body: Buffer) => {
      if (status !== 200) return `HTTP ${status}: ${body.toString("utf8").slice(0, 200)}`;
      const answer = JSON.parse(body.toString("utf8"));
      return answer.result?.structuredContent?.account?.id === accountId ? null : `not the summary: ${body.toString("utf8").slice(0, 200)}`;
    };
    const mcpHeaders = { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream" };
    const cases: Case[] = [
      {
        name: "GET /api/v1/accounts?limit=200",
        url: `${server.baseUrl}/api/v1/accounts?limit=200`,
        method: "GET",
        headers: { ...auth, accept: "application/json" },
        check: (status, body) => {
          if (status !== 200) return `HTTP ${status}: ${body.toString("utf8").slice(0, 200)}`;
          const page = JSON.parse(body.toString("utf8"));
          return Array.isArray(page.data) && page.data.length > 0 && "next_cursor" in page ? null : "not a {data, next_cursor} page";
        },
        sql: accountsPage,
      },
      { name: "MCP get_account_summary (leaf)", url: `${server.baseUrl}/api/mcp`, method: "POST", body: mcpCall(ids.leaf), headers: mcpHeaders, check: mcpCheck(ids.leaf), sql: summaryReads(ids.leaf) },
      { name: "MCP get_account_summary (root)", url: `${server.baseUrl}/api/mcp`, method: "POST", body: mcpCall(ids.root), headers: mcpHeaders, check: mcpCheck(ids.root), sql: summaryReads(ids.root) },
    ];

    const results: Record<string, unknown> = {};
    for (const c of cases) {
      const first = await fetchOnce(c.url, c.headers, 60_000, c.method, c.body);
      const problem = c.check(first.status, first.body);
      if (problem) {
        // The REST reads are another helper's work: until they are merged this case has no figures.
        log(`${c.name}: not measured (${problem})`);
        results[c.name] = { unavailable: problem };
        continue;
      }
      const http: Record<string, Figures> = {};
      const sqlFigures: Record<string, Figures> = {};
      for (const clients of [1, 10]) {
        await runLoad({ url: c.url, connections: clients, durationMs: 2000, headers: c.headers, method: c.method, body: c.body, check: (s, b) => c.check(s, b) }); // warm-up
        const r = await runLoad({ url: c.url, connections: clients, durationMs, headers: c.headers, method: c.method, body: c.body, check: (s, b) => c.check(s, b) });
        if (r.bad || r.errors) throw new Error(`${c.name} at ${clients} clients: ${r.bad} bad, ${r.errors} errors (${r.firstProblem})`);
        http[`c${clients}`] = figures(r);
        sqlFigures[`c${clients}`] = await sqlLoad(url, clients, durationMs, c.sql);
        log(`${c.name} c${clients}: HTTP p50 ${http[`c${clients}`].p50_ms} ms p95 ${http[`c${clients}`].p95_ms} ms; SQL p50 ${sqlFigures[`c${clients}`].p50_ms} ms p95 ${sqlFigures[`c${clients}`].p95_ms} ms`);
      }
      results[c.name] = { first_request_ms: r2(first.ms), bytes: first.body.length, http, sql: sqlFigures };
    }

    const out = {
      data_set: o.small ? "demo (--small)" : "large",
      accounts: ids,
      duration_s: o.durationS,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "unknown", node: process.version, loadavg: os.loadavg().map(r2), date: new Date().toISOString() },
      cases: results,
    };
    mkdirSync(path.dirname(o.out), { recursive: true });
    writeFileSync(o.out, `${JSON.stringify(out, null, 2)}\n`);
    log(`wrote ${o.out}`);
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
