/**
 * `npm run soak`: N simulated users for D minutes of mixed reads and writes against the production
 * build on a throwaway Postgres and an s3rver, all on loopback; bounded in time and stops by itself.
 * Each simulated user signs in as a user of its own (bench/soak-team.ts: mostly CSMs with
 * assignments, a few leaders and viewers), so permission checks and per-user queries run. Writes go
 * through the API (touchpoints, attributes, usage) and the app's own server actions (tasks created
 * and completed, lifecycle stages moved; bench/server-actions.ts) and uploads; every write the app
 * acknowledged goes in a ledger that is checked against the database at the end, and the rollups
 * are compared with a full rebuild. A refused write (a viewer's task, a leader's stage move) must
 * be refused. Resident memory is sampled through the run and its trend printed
 * (bench/memory-trend.ts). Issue #19.
 *
 *   npm run soak                                  # 50 users, 5 minutes
 *   npm run soak -- --users=20 --minutes=2
 *   npm run soak -- --fault=pg-restart            # pg_ctl restart -m fast at mid-run; recovery time
 *   npm run soak -- --fault=s3-stop               # the S3 server killed for 5 s at mid-run
 *   npm run soak -- --fault=kill-app              # SIGKILL the app at mid-run, start it again
 *   npm run soak -- --skip-build                  # reuse .next
 *
 * Writes bench/results/soak.json and prints a table.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { nextBuild } from "./server";
import { groupRssMb, memoryTrend, sampleEverySeconds, type MemorySample } from "./memory-trend";
import { actionIds, callAction } from "./server-actions";
import { makeTeam, type SoakUser } from "./soak-team";
import { freePort } from "../test/support/postgres";
import { restartPostgres } from "../test/support/pg-control";
import { nextInstance } from "../test/support/instances";
import { DEMO_PASSWORD, makeApiToken, s3Env, signIn, startPostgresWithDatabase, startS3Server, withClient } from "../test/support/ops-stack";

type Args = { users: number; seconds: number; fault: "" | "pg-restart" | "s3-stop" | "kill-app"; skipBuild: boolean };

function parseArgs(argv: string[]): Args {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const users = Number(get("users") ?? 50);
  const seconds = get("seconds") ? Number(get("seconds")) : Number(get("minutes") ?? 5) * 60;
  const fault = (get("fault") ?? "") as Args["fault"];
  if (!Number.isInteger(users) || users < 1 || users > 500) throw new Error("--users must be 1 to 500");
  if (!(seconds > 0 && seconds <= 3600)) throw new Error("--minutes must be at most 60");
  if (!["", "pg-restart", "s3-stop", "kill-app"].includes(fault)) throw new Error("--fault must be pg-restart, s3-stop or kill-app");
  return { users, seconds, fault, skipBuild: argv.includes("--skip-build") };
}

type Sample = { kind: string; status: number; ms: number; at: number };
type LedgerEntry =
  | { kind: "touchpoint"; subject: string }
  | { kind: "attribute"; accountId: string; value: number }
  | { kind: "usage"; at: string; events: number; key: string }
  | { kind: "upload"; assetId: string }
  | { kind: "task"; taskId: string; title: string; userId: string; status: "open" | "done" }
  | { kind: "stage"; accountId: string; lifecycleId: string; stageId: string; userId: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10) / 10;
}

export async function soak(args: Args) {
  if (!args.skipBuild || !existsSync(".next/BUILD_ID")) {
    console.log("[soak] next build…");
    await nextBuild({ ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, `/tmp/c360-soak-build-${process.pid}.log`);
  }
  const { server: postgres, url: databaseUrl } = await startPostgresWithDatabase("c360_soak");
  const s3 = await startS3Server("c360-soak");
  const port = await freePort();
  const app = nextInstance("soak", port, {
    ...process.env,
    DATABASE_URL: databaseUrl,
    SEED_ON_START: "true",
    DEMO_MODE: "true",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    AUTH_TRUST_HOST: "true",
    ...s3Env(s3),
  });
  const cleanup = async () => {
    await app.stop("SIGTERM").catch(() => {});
    await s3.destroy().catch(() => {});
    await postgres.stop().catch(() => {});
  };
  // Ctrl-C or a kill stops the run cleanly: no Postgres, s3rver or server left behind.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.error(`[soak] ${signal}: stopping the app, s3rver and Postgres…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  try {
    console.log(`[soak] starting the app on ${app.url} (Postgres ${postgres.port}, S3 ${s3.endpoint})…`);
    await app.start();
    return await run(args, app, databaseUrl, s3, postgres);
  } finally {
    await cleanup();
  }
}

async function run(args: Args, app: ReturnType<typeof nextInstance>, databaseUrl: string, s3: Awaited<ReturnType<typeof startS3Server>>, postgres: Awaited<ReturnType<typeof startPostgresWithDatabase>>["server"]) {
  const base = app.url;
  const adminCookie = await signIn(base, "admin@demo.test", DEMO_PASSWORD);
  const leaderCookie = await signIn(base, "leader@demo.test", DEMO_PASSWORD);
  const token = await makeApiToken(databaseUrl, "soak");
  const ids = actionIds();
  const action = {
    createTask: ids("app/(app)/accounts/[id]/actions.ts", "createTaskAction"),
    setTaskStatus: ids("app/(app)/accounts/[id]/actions.ts", "setTaskStatusAction"),
    changeStage: ids("app/(app)/accounts/[id]/actions.ts", "changeStageAction"),
  };
  const targets = await withClient(databaseUrl, async (client) => {
    const rows = await client.query<{ id: string; external_id: string; type: string }>(`select id, external_id, type from (
        select a.id, a.external_id, t.key as type, row_number() over (partition by t.key order by a.external_id) as n
        from accounts a join account_types t on t.id = a.type_id where a.archived_at is null) x where n <= 4`);
    return rows.rows;
  });
  const products = targets.filter((t) => t.type === "product");
  const { stages, assignmentRole } = await withClient(databaseUrl, async (client) => ({
    stages: (await client.query<{ lifecycle_id: string; stage_id: string }>("select lifecycle_id, id as stage_id from lifecycle_stages where archived_at is null")).rows,
    assignmentRole: (await client.query<{ name: string }>("select name from assignment_roles order by name limit 1")).rows[0]?.name,
  }));
  if (!stages.length || !assignmentRole) throw new Error("the seed has no lifecycle stages or no assignment role");
  const team = await makeTeam({ base, adminCookie, token, ids, users: args.users, accounts: products, assignmentRole, runTag: randomBytes(3).toString("hex") });
  console.log(`[soak] ${team.length} users signed in: ${["member", "leadership", "viewer"].map((r) => `${team.filter((u) => u.role === r).length} ${r}`).join(", ")}`);
  // Every tab the profile's layout offers (the links on a profile page).
  const profileHtml = await (await fetch(`${base}/accounts/${targets[0].id}`, { headers: { cookie: leaderCookie } })).text();
  const tabs = [...new Set([...profileHtml.matchAll(/[?&]tab=([a-z0-9_-]+)/g)].map((m) => m[1]))];
  console.log(`[soak] ${targets.length} accounts over ${new Set(targets.map((t) => t.type)).size} levels, tabs: ${tabs.join(", ") || "(none found)"}`);

  const samples: Sample[] = [];
  const ledger: LedgerEntry[] = [];
  const unacknowledgedBatches: { key: string; at: string; body: string }[] = [];
  const errors: string[] = [];
  let seq = 0;
  const started = Date.now();
  const deadline = started + args.seconds * 1000;
  const rssStart = groupRssMb(app.pid());
  const rssSamples: MemorySample[] = [{ s: 0, mb: rssStart }];
  const refusals = { expected: 0, wronglyAllowed: [] as string[] };
  const openTasks = new Map<number, { taskId: string; accountId: string; entry: Extract<LedgerEntry, { kind: "task" }> }[]>();

  const timed = async (kind: string, doFetch: () => Promise<Response>, check?: (res: Response, body: string) => boolean): Promise<{ res: Response | null; body: string }> => {
    const t0 = performance.now();
    try {
      const res = await doFetch();
      const body = await res.text();
      const ms = performance.now() - t0;
      samples.push({ kind, status: res.status, ms, at: Date.now() });
      const ok = res.status < 400 && (!check || check(res, body));
      if (!ok && errors.length < 200) errors.push(`${kind} ${res.status} ${body.slice(0, 160).replace(/\s+/g, " ")}`);
      return { res, body };
    } catch (error) {
      samples.push({ kind, status: 0, ms: performance.now() - t0, at: Date.now() });
      if (errors.length < 200) errors.push(`${kind} network ${(error as Error).message}`);
      return { res: null, body: "" };
    }
  };
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const page = (body: string) => body.includes("</html>") && !/could not be loaded/.test(body);

  /** A server action on the profile page, timed like any request; `ok` is the action's own verdict. */
  const act = async (kind: string, user: SoakUser, accountId: string, actionId: string, fields: Record<string, string>) => {
    const t0 = performance.now();
    try {
      const answer = await callAction(base, `/accounts/${accountId}`, actionId, fields, user.cookie);
      samples.push({ kind, status: answer.status, ms: performance.now() - t0, at: Date.now() });
      if ((answer.status >= 400 || answer.ok !== true) && errors.length < 200) errors.push(`${kind} (${user.role}) ${answer.status} ${answer.body.slice(-200).replace(/\s+/g, " ")}`);
      return answer;
    } catch (error) {
      samples.push({ kind, status: 0, ms: performance.now() - t0, at: Date.now() });
      if (errors.length < 200) errors.push(`${kind} network ${(error as Error).message}`);
      return null;
    }
  };
  /** A write the user's role may not make: it must be refused (ok:false), and nothing written. */
  const refused = async (kind: string, user: SoakUser, accountId: string, actionId: string, fields: Record<string, string>) => {
    const answer = await callAction(base, `/accounts/${accountId}`, actionId, fields, user.cookie).catch(() => null);
    if (!answer) return;
    refusals.expected++;
    if (answer.ok !== false) refusals.wronglyAllowed.push(`${kind} by ${user.role}: ${answer.status} ${answer.body.slice(-160)}`);
  };

  const step = async (user: SoakUser) => {
    const cookie = user.cookie;
    const target = pick(user.accounts);
    const product = pick(products);
    const roll = Math.random();
    const n = seq++;
    if (roll < 0.26) await timed("profile", () => fetch(`${base}/accounts/${target.id}`, { headers: { cookie } }), (_, b) => page(b));
    else if (roll < 0.38 && tabs.length) await timed("tab", () => fetch(`${base}/accounts/${target.id}?tab=${pick(tabs)}`, { headers: { cookie } }), (_, b) => page(b));
    else if (roll < 0.44) await timed("search", () => fetch(`${base}/accounts?q=${encodeURIComponent(pick(["a", "demo", "north", "prod", "x"]))}`, { headers: { cookie } }), (_, b) => page(b));
    else if (roll < 0.5) await timed("preview", () => fetch(`${base}/api/accounts/${target.id}/preview`, { headers: { cookie } }));
    else if (roll < 0.54) await timed("explain", () => fetch(`${base}/accounts/${target.id}/explain`, { headers: { cookie } }), (_, b) => page(b));
    else if (user.role === "viewer") {
      // Read-only: mostly more reads, sometimes a write its role lacks, which must be refused.
      if (roll < 0.62) await refused("task (viewer)", user, target.id, action.createTask, { accountId: target.id, title: `soak refused ${n}`, priority: "low" });
      else await timed("profile", () => fetch(`${base}/accounts/${target.id}`, { headers: { cookie } }), (_, b) => page(b));
    } else if (roll < 0.6) {
      const subject = `soak touchpoint ${n} ${randomBytes(3).toString("hex")}`;
      const { res } = await timed("touchpoint", () =>
        fetch(`${base}/api/v1/touchpoints`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ touchpoints: [{ accountExternalId: product.external_id, type: "call", subject, occurredAt: new Date().toISOString() }] }),
        }),
      );
      if (res?.status === 200) ledger.push({ kind: "touchpoint", subject });
    } else if (roll < 0.66) {
      const value = 100_000 + n;
      const { res } = await timed("attribute", () =>
        fetch(`${base}/api/v1/attribute-values`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ values: [{ accountExternalId: product.external_id, key: "seats", value }] }),
        }),
      );
      if (res?.status === 200) ledger.push({ kind: "attribute", accountId: product.id, value });
    } else if (roll < 0.74) {
      // A usage batch at a timestamp of its own, so the database shows whether it is wholly in.
      const at = new Date(Date.UTC(2026, 9, 1) + n * 1000).toISOString();
      const events = 20;
      const key = `soak-${n}`;
      const body = JSON.stringify({ events: Array.from({ length: events }, (_, i) => ({ accountExternalId: pick(products).external_id, module: "soak", activity: `a${i % 4}`, occurredAt: at })) });
      const { res } = await timed("usage", () => fetch(`${base}/api/v1/usage-events`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key }, body }));
      if (res?.status === 200) ledger.push({ kind: "usage", at, events, key });
      else unacknowledgedBatches.push({ key, at, body });
    } else if (roll < 0.84) {
      // Tasks: create one on an account of one's own, or complete one made earlier (by oneself:
      // leaders may only work their own tasks; one user changes each, so its last state is known).
      const mine = openTasks.get(user.index) ?? [];
      openTasks.set(user.index, mine);
      if (mine.length && Math.random() < 0.5) {
        const task = mine.shift()!;
        const answer = await act("task done", user, task.accountId, action.setTaskStatus, { taskId: task.taskId, status: "done" });
        if (answer?.ok === true) task.entry.status = "done";
      } else {
        const title = `soak task ${n} ${randomBytes(3).toString("hex")}`;
        const answer = await act("task create", user, target.id, action.createTask, { accountId: target.id, title, priority: pick(["low", "medium", "high"]) });
        const taskId = answer?.ok === true ? /"data":\{"id":"([0-9a-f-]{36})"/.exec(answer.body)?.[1] : undefined;
        if (taskId) {
          const entry: Extract<LedgerEntry, { kind: "task" }> = { kind: "task", taskId, title, userId: user.userId, status: "open" };
          ledger.push(entry);
          mine.push({ taskId, accountId: target.id, entry });
        } else if (answer?.ok === true && errors.length < 200) errors.push(`task create: acknowledged without an id: ${answer.body.slice(-160)}`);
      }
    } else if (roll < 0.9) {
      const stage = pick(stages);
      const fields = { accountId: target.id, lifecycleId: stage.lifecycle_id, stageId: stage.stage_id, note: `soak ${n}` };
      if (user.role === "leadership") await refused("stage (leadership)", user, target.id, action.changeStage, fields);
      else {
        const answer = await act("stage", user, target.id, action.changeStage, fields);
        // A move to the stage the account is already at changes nothing (and writes nothing).
        if (answer?.ok === true && /"changed":true/.test(answer.body)) ledger.push({ kind: "stage", accountId: target.id, lifecycleId: stage.lifecycle_id, stageId: stage.stage_id, userId: user.userId });
      }
    } else if (user.role === "member") {
      const form = new FormData();
      form.set("file", new Blob([`soak upload ${n}\n`.repeat(200)], { type: "text/plain" }), `soak-${n}.txt`);
      const { res, body } = await timed("upload", () => fetch(`${base}/api/accounts/${target.id}/assets`, { method: "POST", headers: { cookie }, body: form }));
      if (res?.status === 201) ledger.push({ kind: "upload", assetId: (JSON.parse(body) as { asset: { id: string } }).asset.id });
    } else await timed("profile", () => fetch(`${base}/accounts/${target.id}`, { headers: { cookie } }), (_, b) => page(b));
  };

  let faultNote: Record<string, unknown> = {};
  const fault = async () => {
    await sleep((args.seconds * 1000) / 2);
    if (args.fault === "pg-restart") {
      const t0 = Date.now();
      await restartPostgres(postgres);
      const back = Date.now();
      let recovered: number | null = null;
      while (Date.now() - back < 60_000) {
        const res = await fetch(`${base}/accounts/${targets[0].id}`, { headers: { cookie: leaderCookie } }).catch(() => null);
        if (res?.status === 200) {
          recovered = Date.now() - back;
          break;
        }
        await sleep(50);
      }
      faultNote = { fault: "pg-restart", restart_ms: back - t0, recovery_ms_after_postgres_back: recovered ?? "not within 60 s" };
    } else if (args.fault === "s3-stop") {
      await s3.stop();
      await sleep(5_000);
      await s3.start();
      faultNote = { fault: "s3-stop", s3_down_ms: 5_000 };
    } else if (args.fault === "kill-app") {
      const t0 = Date.now();
      await app.stop("SIGKILL");
      await app.start();
      faultNote = { fault: "kill-app", down_ms: Date.now() - t0 };
    }
    console.log(`[soak] fault: ${JSON.stringify(faultNote)}`);
  };

  const memory = (async () => {
    while (Date.now() < deadline) {
      await sleep(sampleEverySeconds(args.seconds) * 1000);
      rssSamples.push({ s: Math.round((Date.now() - started) / 1000), mb: groupRssMb(app.pid()) });
    }
  })();
  const users = team.map(async (user) => {
    await sleep(Math.random() * 1_000);
    while (Date.now() < deadline) {
      await step(user);
      await sleep(100 + Math.random() * 400); // think time
    }
  });
  await Promise.all([...users, memory, args.fault ? fault() : Promise.resolve()]);
  const rssEnd = groupRssMb(app.pid());

  // A batch that got no answer (the app was killed, or the database was restarting) is retried with
  // its key: it must land exactly once, or replay the answer it already had.
  for (const batch of unacknowledgedBatches) {
    const res = await fetch(`${base}/api/v1/usage-events`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": batch.key }, body: batch.body });
    if (res.status === 200) ledger.push({ kind: "usage", at: batch.at, events: 20, key: batch.key });
    else errors.push(`usage retry ${batch.key} ${res.status}`);
  }

  // Objects a failed upload left (S3 died before answering) are the upload cleanup's to remove:
  // wait for it (bounded) before comparing the bucket with the asset rows.
  const cleanupStarted = Date.now();
  let uploadIntentsLeft = 0;
  do {
    uploadIntentsLeft = await withClient(databaseUrl, async (c) => Number((await c.query<{ n: string }>("select count(*) as n from upload_intents")).rows[0].n));
    if (uploadIntentsLeft > 0) await new Promise((r) => setTimeout(r, 250));
  } while (uploadIntentsLeft > 0 && Date.now() - cleanupStarted < 60_000);
  const uploadCleanupWaitMs = Date.now() - cleanupStarted;
  const verification = await verify(databaseUrl, s3.dir, s3.bucket, ledger);
  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  const byKind = (kind: string) => samples.filter((s) => s.kind === kind);
  const result = {
    when: new Date().toISOString(),
    users: args.users,
    seconds: args.seconds,
    requests: samples.length,
    errors: samples.filter((s) => s.status === 0 || s.status >= 400).length,
    unavailable_503: samples.filter((s) => s.status === 503).length,
    server_errors_500: samples.filter((s) => s.status >= 500 && s.status !== 503).length,
    acknowledged_writes: ledger.length,
    found_writes: verification.found,
    missing_writes: verification.missing.slice(0, 20),
    partial_usage_batches: verification.partialBatches,
    orphan_objects: verification.orphanObjects,
    upload_intents_left: uploadIntentsLeft,
    upload_cleanup_wait_ms: uploadCleanupWaitMs,
    asset_rows_without_object: verification.rowsWithoutObject,
    rollups_match_rebuild: verification.rollups,
    retried_unacknowledged_batches: unacknowledgedBatches.length,
    p50_ms: Object.fromEntries(kinds.map((k) => [k, percentile(byKind(k).map((s) => s.ms), 50)])),
    p95_ms: Object.fromEntries(kinds.map((k) => [k, percentile(byKind(k).map((s) => s.ms), 95)])),
    count: Object.fromEntries(kinds.map((k) => [k, byKind(k).length])),
    errors_by_kind: Object.fromEntries(kinds.map((k) => [k, byKind(k).filter((s) => s.status === 0 || s.status >= 400).length])),
    acknowledged_by_kind: countBy(ledger.map((e) => e.kind)),
    missing_by_kind: countBy(verification.missing.map((m) => (JSON.parse(m) as LedgerEntry).kind)),
    stage_current_mismatches: verification.stageMismatches,
    users_by_role: countBy(team.map((u) => u.role)),
    refused_writes: { attempted: refusals.expected, wrongly_allowed: refusals.wronglyAllowed.length, written_anyway: verification.refusedWritten, first: refusals.wronglyAllowed.slice(0, 5) },
    server_rss_mb: { start: rssStart, end: rssEnd, ...memoryTrend(rssSamples, args.seconds, samples.length), samples: rssSamples },
    ...faultNote,
    first_errors: errors.slice(0, 20),
  };
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/soak.json", JSON.stringify(result, null, 2) + "\n");
  printTable(result, kinds);
  return result;
}

async function verify(databaseUrl: string, s3Dir: string, bucket: string, ledger: LedgerEntry[]) {
  return withClient(databaseUrl, async (client) => {
    let found = 0;
    const missing: string[] = [];
    let partialBatches = 0;
    const subjects = new Set((await client.query<{ subject: string }>("select subject from touchpoints where subject like 'soak touchpoint %'")).rows.map((r) => r.subject));
    const seats = new Set(
      (await client.query<{ k: string }>(`select c.account_id || ':' || (c.new_value #>> '{}') as k from attribute_changes c join attribute_definitions d on d.id = c.attribute_id where d.key = 'seats'`)).rows.map((r) => r.k),
    );
    const batches = new Map((await client.query<{ at: Date; n: string }>("select e.occurred_at as at, sum(e.count) as n from usage_events e join usage_modules m on m.id = e.module_id where m.key = 'soak' group by 1")).rows.map((r) => [new Date(r.at).toISOString(), Number(r.n)]));
    const assetRows = (await client.query<{ id: string; storage_key: string }>("select id, storage_key from assets where kind = 'file'")).rows;
    const taskRows = new Map(
      (await client.query<{ id: string; title: string; status: string; created_by: string }>("select id, title, status, created_by from tasks where title like 'soak task %'")).rows.map((r) => [r.id, r]),
    );
    const stageKeys = new Set(
      (await client.query<{ k: string }>("select account_id || ':' || lifecycle_id || ':' || to_stage_id || ':' || changed_by as k from stage_changes where note like 'soak %'")).rows.map((r) => r.k),
    );
    // Each account's current stage is where its latest recorded change took it.
    const stageMismatches = Number(
      (
        await client.query<{ n: string }>(`select count(*) as n from (
          select distinct on (c.account_id, c.lifecycle_id) c.account_id, c.lifecycle_id, c.to_stage_id from stage_changes c
          where exists (select 1 from stage_changes s where s.account_id = c.account_id and s.note like 'soak %')
          order by c.account_id, c.lifecycle_id, c.changed_at desc, c.id desc) last
          join account_stages a on a.account_id = last.account_id and a.lifecycle_id = last.lifecycle_id where a.stage_id <> last.to_stage_id`)
      ).rows[0].n,
    );
    const refusedWritten = Number((await client.query<{ n: string }>("select count(*) as n from tasks where title like 'soak refused %'")).rows[0].n);
    const assetIds = new Set(assetRows.map((r) => r.id));
    for (const entry of ledger) {
      const ok =
        entry.kind === "touchpoint" ? subjects.has(entry.subject)
        : entry.kind === "attribute" ? seats.has(`${entry.accountId}:${entry.value}`)
        : entry.kind === "usage" ? batches.get(entry.at) === entry.events
        : entry.kind === "task" ? (() => {
            const row = taskRows.get(entry.taskId);
            return !!row && row.title === entry.title && row.created_by === entry.userId && row.status === entry.status;
          })()
        : entry.kind === "stage" ? stageKeys.has(`${entry.accountId}:${entry.lifecycleId}:${entry.stageId}:${entry.userId}`)
        : assetIds.has(entry.assetId);
      if (ok) found++;
      else missing.push(JSON.stringify(entry));
    }
    for (const [, n] of batches) if (n !== 20) partialBatches++;
    // The bucket against the asset rows: s3rver keeps each object as a folder of files under DIR/bucket/key.
    const objects = new Set(listObjects(path.join(s3Dir, bucket)));
    const keys = new Set(assetRows.map((r) => r.storage_key));
    const orphanObjects = [...objects].filter((k) => !keys.has(k)).length;
    const rowsWithoutObject = [...keys].filter((k) => !objects.has(k)).length;
    const rollups = await rollupsMatchRebuild(databaseUrl);
    return { found, missing, partialBatches, orphanObjects, rowsWithoutObject, rollups, stageMismatches, refusedWritten };
  });
}

const ROLLUP_TABLES = ["account_rollups", "usage_rollup_daily", "attribute_rollups"];

/**
 * The rollups as the app kept them up to date, against a full rebuild from raw rows
 * (lib/rollups/rebuild.ts) run inside a transaction that is rolled back: a fingerprint per table.
 */
async function rollupsMatchRebuild(databaseUrl: string): Promise<true | string> {
  const { openDatabase } = await import("../db/client");
  const { rebuildAllRollups } = await import("../lib/rollups/rebuild");
  const { sql } = await import("drizzle-orm");
  const handle = await openDatabase({ driver: "pg", url: databaseUrl, poolSize: 2 });
  const fingerprint = async (db: Pick<typeof handle.db, "execute">) => {
    const out: Record<string, string> = {};
    for (const table of ROLLUP_TABLES) {
      const rows = await db.execute<{ h: string | null; n: string }>(
        sql.raw(`select md5(string_agg(j::text, '|' order by j::text)) as h, count(*) as n from (select to_jsonb(t) - 'updated_at' - 'computed_at' - 'refreshed_at' as j from ${table} t) x`),
      );
      out[table] = `${rows.rows[0].n}:${rows.rows[0].h}`;
    }
    return out;
  };
  try {
    const kept = await fingerprint(handle.db);
    let rebuilt: Record<string, string> = {};
    await handle.db
      .transaction(async (tx) => {
        await rebuildAllRollups(tx);
        rebuilt = await fingerprint(tx);
        throw new Error("rollback");
      })
      .catch((error: Error) => {
        if (error.message !== "rollback") throw error;
      });
    const differ = ROLLUP_TABLES.filter((t) => kept[t] !== rebuilt[t]);
    return differ.length ? `differ from a rebuild: ${differ.map((t) => `${t} kept ${kept[t]} rebuilt ${rebuilt[t]}`).join("; ")}` : true;
  } catch (error) {
    return `not checked: ${(error as Error).message.slice(0, 300)}`;
  } finally {
    await handle.close();
  }
}

/** s3rver stores an object `k` as DIR/bucket/k._S3rver_object (plus metadata files beside it). */
function listObjects(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listObjects(full, `${prefix}${name}/`));
    else if (name.endsWith("._S3rver_object")) out.push(`${prefix}${name.slice(0, -"._S3rver_object".length)}`);
  }
  return out;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

type Printed = {
  requests: number;
  errors: number;
  acknowledged_writes: number;
  found_writes: number;
  acknowledged_by_kind: Record<string, number>;
  missing_by_kind: Record<string, number>;
  refused_writes: { attempted: number; wrongly_allowed: number; written_anyway: number };
  count: Record<string, number>;
  errors_by_kind: Record<string, number>;
  p50_ms: Record<string, number>;
  p95_ms: Record<string, number>;
  server_rss_mb: ReturnType<typeof memoryTrend> & { start: number; end: number };
};

function printTable(result: Printed, kinds: string[]) {
  const rows = kinds.map((k) => [k, String(result.count[k]), String(result.errors_by_kind[k]), result.p50_ms[k].toFixed(1), result.p95_ms[k].toFixed(1)]);
  rows.push(["total", String(result.requests), String(result.errors), "", ""]);
  const head = ["kind", "requests", "errors", "p50 ms", "p95 ms"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  console.log("\n" + line(head));
  for (const r of rows) console.log(line(r));
  console.log(`\nwrites acknowledged ${result.acknowledged_writes}, found ${result.found_writes} (${Object.entries(result.acknowledged_by_kind).map(([k, v]) => `${k} ${v}${result.missing_by_kind[k] ? `, ${result.missing_by_kind[k]} missing` : ""}`).join("; ")})`);
  console.log(`refused writes: ${result.refused_writes.attempted} attempted by roles without the right, ${result.refused_writes.wrongly_allowed} allowed, ${result.refused_writes.written_anyway} written`);
  const m = result.server_rss_mb;
  console.log(
    `server RSS ${m.start} MB at start, ${m.end} MB at end; second half slope ${m.second_half_slope_mb_per_min} MB/min over ${m.second_half_points} samples (every ${m.every_s} s), ${m.kb_per_request ?? "-"} KB per request: ${m.flat === null ? "not judged (run shorter than 2 minutes)" : m.flat ? "flat" : "GROWING"} (flat below ${m.flat_threshold_mb_per_min} MB/min)`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? "")) {
  soak(parseArgs(process.argv.slice(2)))
    .then((result) => {
      const bad =
        result.found_writes !== result.acknowledged_writes ||
        result.partial_usage_batches > 0 ||
        result.rollups_match_rebuild !== true ||
        result.stage_current_mismatches > 0 ||
        result.refused_writes.wrongly_allowed > 0 ||
        result.refused_writes.written_anyway > 0;
      process.exit(bad ? 1 : 0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
