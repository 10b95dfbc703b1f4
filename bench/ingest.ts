/**
 * Usage ingestion benchmark: `npm run bench:ingest` (= `npm run bench -- --only=ingest`); a full
 * `npm run bench` runs it after the profile benchmark, reusing its build.
 *
 *   1. Postgres: BENCH_INGEST_DATABASE_URL when set (never DATABASE_URL: this benchmark writes, and
 *      must not add events to the profile benchmark's large set), else a cluster of its own in
 *      BENCH_INGEST_PG_DIR (default /tmp/c360-bench-pg-ingest, NOT the profile cluster), with a database
 *      `c360_ingest` that `next start` seeds with the demo data set (about 60 leaf accounts, 2,000
 *      contacts): the ingestion rate depends on the batch, not on the size of the hierarchy.
 *   2. `next build` (unless --skip-build), `next start`, and an API token with the usage:write scope
 *      created in the database the way the admin page does (only its sha256 is stored).
 *   3. API: --batches batches of --batch-size events (default 40 × 10,000) POSTed to
 *      /api/v1/usage-events by --concurrency clients (default 4), each with an Idempotency-Key,
 *      after --warmup untimed batches; every answer must be 200 with all events inserted.
 *      Events: random leaf accounts, activities and contacts, over the last 30 days.
 *   4. COPY: the same rows (ids resolved), COPY … FROM STDIN into usage_events from one client in a
 *      transaction that is rolled back, so it leaves nothing behind: the raw floor of the same
 *      write, without validation, rollup upkeep or HTTP.
 *   5. Rollups checked (the root's daily usage equals the raw events), and `ingest` merged into
 *      --out (default bench/results/latest.json), keeping whatever else the file holds.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { mulberry32 as rng } from "../db/seed/random";
import { startBenchPostgres, type BenchPostgres } from "./postgres";
import { nextBuild, nextStart, type RunningServer } from "./server";

type Spread = "stream" | "uniform";
type Options = { batches: number; batchSize: number; concurrency: number; warmup: number; rounds: number; spread: Spread; skipBuild: boolean; out: string };

const HELP = `npm run bench:ingest [-- options]
  --batches=N       timed batches (default 40)
  --batch-size=N    events per batch, at most 10000 (default 10000)
  --concurrency=N   clients posting at once (default 4)
  --warmup=N        untimed batches first (default 2)
  --rounds=N        alternate API and COPY in N rounds, so both see the same machine load (default 4)
  --spread=S        stream (default): each batch is one day of a time-ordered stream, busy accounts
                    more often, users among the account's own contacts; uniform: every event a random
                    account, activity, contact and time over 30 days (little to pre-aggregate)
  --skip-build      reuse the existing .next production build
  --out=FILE        merge the results into FILE (default bench/results/latest.json)
BENCH_INGEST_DATABASE_URL, when set, names the Postgres database to use (seeded with the demo set if
empty); else a cluster in BENCH_INGEST_PG_DIR (default /tmp/c360-bench-pg-ingest). DATABASE_URL and
BENCH_PG_DIR (the profile benchmark's) are never used: this benchmark writes.`;

export function parseIngestArgs(argv: string[]): Options {
  const o: Options = { batches: 40, batchSize: 10_000, concurrency: 4, warmup: 2, rounds: 4, spread: "stream", skipBuild: false, out: "bench/results/latest.json" };
  for (const arg of argv) {
    const [key, value] = arg.split("=", 2);
    if (key === "--batches") o.batches = Math.max(1, Math.trunc(Number(value)));
    else if (key === "--batch-size") o.batchSize = Math.min(10_000, Math.max(1, Math.trunc(Number(value))));
    else if (key === "--concurrency") o.concurrency = Math.max(1, Math.trunc(Number(value)));
    else if (key === "--warmup") o.warmup = Math.max(0, Math.trunc(Number(value)));
    else if (key === "--rounds") o.rounds = Math.max(1, Math.trunc(Number(value)));
    else if (key === "--spread") {
      if (value !== "stream" && value !== "uniform") throw new Error(`--spread takes stream or uniform\n${HELP}`);
      o.spread = value;
    } else if (key === "--skip-build") o.skipBuild = true;
    else if (key === "--out") o.out = value;
    else if (key === "--help" || key === "-h") {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${HELP}`);
  }
  if (![o.batches, o.batchSize, o.concurrency, o.warmup, o.rounds].every(Number.isFinite)) throw new Error(`bad option value\n${HELP}`);
  return o;
}

const log = (msg: string) => console.log(`[bench ingest ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const r2 = (n: number) => Math.round(n * 100) / 100;
const load = () => os.loadavg().map(r2);


type World = {
  accounts: { externalId: string; id: string }[];
  activities: { module: string; activity: string; id: string; moduleId: string }[];
  contacts: { externalId: string; id: string }[];
  /** Contacts linked to each account (by account id): the account's own end users. */
  accountContacts: Map<string, { externalId: string; id: string }[]>;
  adminId: string;
};

async function loadWorld(client: pg.Client): Promise<World> {
  const accounts = await client.query<{ externalId: string; id: string }>(`
    select a.external_id as "externalId", a.id from accounts a join account_types t on t.id = a.type_id
    where a.archived_at is null and a.external_id is not null and not t.is_opportunity
      and not exists (select 1 from accounts c where c.parent_id = a.id) order by a.external_id limit 5000`);
  const activities = await client.query<World["activities"][number]>(`
    select m.key as module, a.key as activity, a.id, a.module_id as "moduleId" from usage_activities a join usage_modules m on m.id = a.module_id order by 1, 2`);
  const contacts = await client.query<{ externalId: string; id: string }>(`select external_id as "externalId", id from contacts where external_id is not null order by external_id limit 5000`);
  const admin = await client.query<{ id: string }>(`select id from users where role = 'admin' and disabled_at is null order by created_at limit 1`);
  if (!accounts.rows.length || !activities.rows.length || !admin.rows.length) throw new Error("the database has no leaf accounts, activities or admin: is it seeded?");
  const links = await client.query<{ accountId: string; externalId: string; id: string }>(
    `select l.account_id as "accountId", c.external_id as "externalId", c.id from account_contacts l join contacts c on c.id = l.contact_id where c.external_id is not null order by 1, 2`,
  );
  const accountContacts = new Map<string, { externalId: string; id: string }[]>();
  for (const l of links.rows) accountContacts.set(l.accountId, [...(accountContacts.get(l.accountId) ?? []), { externalId: l.externalId, id: l.id }]);
  return { accounts: accounts.rows, activities: activities.rows, contacts: contacts.rows, accountContacts, adminId: admin.rows[0].id };
}

type Event = { accountExternalId: string; module: string; activity: string; occurredAt: string; userExternalId: string | null; count: number };

/**
 * Events as the API takes them, and the same rows as COPY takes them (ids resolved).
 * - stream: batch b holds one UTC day (walking back from today, as a backfill or a day's stream
 *   would arrive), accounts drawn with a skew (busy accounts send more), the user one of the
 *   account's own contacts (or none, 30 %), activities uniform;
 * - uniform: account, activity, contact and time drawn independently over 30 days.
 */
function makeBatches(world: World, batches: number, size: number, seed: number, spread: Spread): { bodies: string[]; copyRows: string[] } {
  const random = rng(seed);
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const bodies: string[] = [];
  const copyRows: string[] = [];
  for (let b = 0; b < batches; b++) {
    const events: Event[] = new Array(size);
    const dayStart = today - (b % 30) * 86_400_000;
    for (let i = 0; i < size; i++) {
      const account = world.accounts[Math.floor((spread === "stream" ? random() ** 2 : random()) * world.accounts.length)];
      const activity = world.activities[Math.floor(random() * world.activities.length)];
      let contact: { externalId: string; id: string } | null = null;
      if (random() < 0.7) {
        const own = spread === "stream" ? world.accountContacts.get(account.id) : world.contacts;
        if (own?.length) contact = own[Math.floor(random() * own.length)];
      }
      const at = new Date(spread === "stream" ? dayStart + Math.floor(random() * 86_400_000) : today - Math.floor(random() * 30 * 86_400_000)).toISOString();
      const count = 1 + Math.floor(random() * 3);
      events[i] = { accountExternalId: account.externalId, module: activity.module, activity: activity.activity, occurredAt: at, userExternalId: contact?.externalId ?? null, count };
      copyRows.push(`${account.id}\t${contact ? contact.id : "\\N"}\t${activity.moduleId}\t${activity.id}\t${at}\t${count}\n`);
    }
    bodies.push(JSON.stringify({ events }));
  }
  return { bodies, copyRows };
}

function post(agent: http.Agent, url: URL, token: string, body: string, key: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), authorization: `Bearer ${token}`, "idempotency-key": key },
        timeout: 120_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Posts every body with `concurrency` clients; resolves with the wall time and per-batch times. */
async function postAll(baseUrl: string, token: string, bodies: string[], concurrency: number, expected: number, tag: string) {
  const url = new URL("/api/v1/usage-events", baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      const t0 = performance.now();
      const res = await post(agent, url, token, bodies[i], `${tag}-${i}`);
      times.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`batch ${i}: HTTP ${res.status}: ${res.text.slice(0, 500)}`);
      const inserted = (JSON.parse(res.text) as { data?: { inserted?: number } }).data?.inserted;
      if (inserted !== expected) throw new Error(`batch ${i}: inserted ${inserted}, expected ${expected}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  const wallMs = performance.now() - started;
  agent.destroy();
  return { wallMs, times };
}

/** COPY of the rows into usage_events in a transaction that is rolled back; resolves with the COPY time. */
async function copyRows(url: string, rows: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("begin");
    const started = performance.now();
    const stream = client.query(copyFrom("copy usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count) from stdin"));
    // In chunks of 1,000 rows, as a client would stream them.
    const chunks = function* () {
      for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000).join("");
    };
    await pipeline(Readable.from(chunks()), stream);
    const ms = performance.now() - started;
    await client.query("rollback");
    return ms;
  } finally {
    await client.end();
  }
}

function mergeInto(file: string, key: string, value: unknown): void {
  let existing: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      existing = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch {
      throw new Error(`${file} is not valid JSON: not overwriting it`);
    }
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...existing, [key]: value }, null, 2)}\n`);
}

export async function runIngestBench(argv: string[]): Promise<void> {
  const o = parseIngestArgs(argv);
  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async () => {
    while (cleanups.length) await cleanups.pop()!().catch((e) => console.error(`[bench ingest] cleanup: ${(e as Error).message}`));
  };
  try {
    let url = process.env.BENCH_INGEST_DATABASE_URL;
    let cluster: BenchPostgres | null = null;
    if (!url) {
      cluster = await startBenchPostgres({ dir: process.env.BENCH_INGEST_PG_DIR || "/tmp/c360-bench-pg-ingest", log });
      const own = cluster;
      cleanups.push(() => own.stop());
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      const exists = await admin.query(`select 1 from pg_database where datname = 'c360_ingest'`);
      if (!exists.rows.length) await admin.query("create database c360_ingest");
      await admin.end();
      const u = new URL(cluster.url);
      u.pathname = "/c360_ingest";
      url = u.toString();
      log(`Postgres: own cluster in ${cluster.dir} on port ${cluster.port}, database c360_ingest`);
    } else log("Postgres: BENCH_INGEST_DATABASE_URL");

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: url,
      AUTH_SECRET: process.env.AUTH_SECRET ?? randomBytes(32).toString("base64"),
      AUTH_TRUST_HOST: "true",
      SEED_ON_START: "true",
      DEMO_MODE: "false",
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (!o.skipBuild) {
      const buildLog = path.join(os.tmpdir(), `c360-bench-ingest-build-${process.pid}.log`);
      log(`next build (log: ${buildLog})…`);
      log(`built in ${Math.round((await nextBuild(env, buildLog)) / 1000)} s`);
    }
    const serverLog = path.join(os.tmpdir(), `c360-bench-ingest-server-${process.pid}.log`);
    log("next start (seeds the demo data set into an empty database)…");
    const server: RunningServer = await nextStart(env, serverLog);
    cleanups.push(() => server.stop());
    log(`next start ready at ${server.baseUrl} in ${Math.round(server.readyMs)} ms (log: ${serverLog})`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const token = `c360_${randomBytes(32).toString("base64url")}`;
    let world: World;
    let pgVersion: string;
    try {
      world = await loadWorld(client);
      pgVersion = (await client.query<{ v: string }>("show server_version")).rows[0].v;
      await client.query(
        `insert into api_tokens (name, prefix, token_hash, scopes, created_by) values ($1, $2, $3, $4, $5)`,
        [`bench ingest ${new Date().toISOString()}`, token.slice(0, 11), createHash("sha256").update(token).digest("hex"), ["usage:write"], world.adminId],
      );
    } finally {
      await client.end();
    }
    log(`${world.accounts.length} leaf accounts, ${world.activities.length} activities, ${world.contacts.length} contacts`);

    const seed = Date.now() & 0xffff;
    const warm = makeBatches(world, o.warmup, o.batchSize, seed + 1, o.spread);
    const timed = makeBatches(world, o.batches, o.batchSize, seed, o.spread);
    const tag = randomUUID();
    if (o.warmup) {
      await postAll(server.baseUrl, token, warm.bodies, o.concurrency, o.batchSize, `${tag}-warm`);
      log(`warm-up: ${o.warmup} batches`);
    }
    // API and COPY take turns in rounds, so a change in the machine's load hits both alike.
    const loadBefore = load();
    let apiMs = 0;
    let copyMs = 0;
    const batchTimes: number[] = [];
    const rounds = Math.min(o.rounds, o.batches);
    for (let r = 0; r < rounds; r++) {
      const from = Math.floor((r * o.batches) / rounds);
      const to = Math.floor(((r + 1) * o.batches) / rounds);
      const api = await postAll(server.baseUrl, token, timed.bodies.slice(from, to), o.concurrency, o.batchSize, `${tag}-${r}`);
      apiMs += api.wallMs;
      batchTimes.push(...api.times);
      const copy = await copyRows(url, timed.copyRows.slice(from * o.batchSize, to * o.batchSize));
      copyMs += copy;
      const n = (to - from) * o.batchSize;
      log(`round ${r + 1}/${rounds}: API ${Math.round(n / (api.wallMs / 1000)).toLocaleString("en-US")} events/s, COPY ${Math.round(n / (copy / 1000)).toLocaleString("en-US")} rows/s (load ${load()[0]})`);
    }
    const loadAfterApi = load();
    batchTimes.sort((a, b) => a - b);
    const api = { wallMs: apiMs, p50: batchTimes[Math.floor(batchTimes.length / 2)], p95: batchTimes[Math.min(batchTimes.length - 1, Math.floor(batchTimes.length * 0.95))] };
    const events = o.batches * o.batchSize;
    const apiRate = events / (api.wallMs / 1000);
    log(`API: ${events.toLocaleString("en-US")} events in ${(api.wallMs / 1000).toFixed(2)} s = ${Math.round(apiRate).toLocaleString("en-US")} events/s (batch p50 ${Math.round(api.p50)} ms, p95 ${Math.round(api.p95)} ms)`);
    const copyRate = events / (copyMs / 1000);
    log(`COPY: the same ${events.toLocaleString("en-US")} rows in ${(copyMs / 1000).toFixed(2)} s = ${Math.round(copyRate).toLocaleString("en-US")} rows/s (rolled back)`);

    // The rollups kept up: every root's daily usage sums its subtree's raw events.
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    let consistent: boolean;
    try {
      const { rows } = await check.query<{ ok: boolean }>(`
        select coalesce(bool_and(r.total = e.total), false) as ok from
          (select a.id, (select coalesce(sum(events), 0) from usage_rollup_daily u where u.account_id = a.id) as total from accounts a where a.parent_id is null and a.archived_at is null) r,
          lateral (select coalesce(sum(ev.count), 0) as total from usage_events ev join account_closure c on c.descendant_id = ev.account_id
                   join accounts d on d.id = ev.account_id and d.archived_at is null where c.ancestor_id = r.id) e`);
      consistent = rows[0].ok;
    } finally {
      await check.end();
    }
    log(consistent ? "rollups: each root's daily usage equals its subtree's raw events" : "rollups: MISMATCH between usage_rollup_daily and usage_events");

    const ratio = apiRate / copyRate;
    const result = {
      api_events_per_s: Math.round(apiRate),
      copy_events_per_s: Math.round(copyRate),
      api_to_copy_ratio: r2(ratio),
      targets: [
        { target: "API ingestion ≥ 50,000 events/s", value: Math.round(apiRate), met: apiRate >= 50_000 },
        { target: "API ≥ 0.3 × raw COPY of the same rows", value: r2(ratio), met: ratio >= 0.3 },
      ],
      rollups_consistent: consistent,
      batch_size: o.batchSize,
      batches: o.batches,
      rounds,
      spread: o.spread,
      warmup_batches: o.warmup,
      concurrency: o.concurrency,
      api_batch_p50_ms: Math.round(api.p50),
      api_batch_p95_ms: Math.round(api.p95),
      api_wall_s: r2(api.wallMs / 1000),
      copy_wall_s: r2(copyMs / 1000),
      data: {
        database: cluster ? `own cluster ${cluster.dir}, database c360_ingest (demo data set)` : "BENCH_INGEST_DATABASE_URL",
        leaf_accounts: world.accounts.length,
        activities: world.activities.length,
        contacts: world.contacts.length,
        events:
          o.spread === "stream"
            ? "each batch one UTC day (walking back from today); leaf accounts drawn with a skew (index ∝ random²); 70% of events by one of the account's own contacts; activity uniform; count 1–3"
            : "uniform: random leaf account, activity, any contact (70%) and time over the last 30 days; count 1–3",
        copy: "COPY usage_events FROM STDIN (text format) from one node-postgres client, in a transaction rolled back afterwards",
      },
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model ?? "unknown",
        mem_gb: Math.round(os.totalmem() / 1024 ** 3),
        node: process.version,
        postgres: pgVersion,
        loadavg_before: loadBefore,
        loadavg_after_api: loadAfterApi,
        loadavg_end: load(),
      },
      measured_at: new Date().toISOString(),
    };
    await runCleanups();
    mergeInto(o.out, "ingest", result);
    for (const t of result.targets) console.log(`${t.met ? "MET    " : "NOT MET"}  ${t.target}: ${t.value}`);
    console.log(`wrote ingest.* into ${o.out}`);
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
