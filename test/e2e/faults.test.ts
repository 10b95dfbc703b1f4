/**
 * Faults, in the short form of `npm run soak -- --fault=…`: the production build on its own
 * Postgres (stopped and started under it) and its own s3rver (stopped mid-upload), each fault
 * with a few seconds of load. Issue #19.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { closeBrowser, newPage, screenshot, signIn as signInBrowser } from "../support/browser";
import { nextInstance, type Instance } from "../support/instances";
import { DEMO_PASSWORD, makeApiToken, s3Env, signIn, startPostgresWithDatabase, startS3Server, withClient, type S3Server } from "../support/ops-stack";
import { startPostgresInPlace, stopPostgresInPlace } from "../support/pg-control";
import { freePort, type PostgresServer } from "../support/postgres";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("faults", () => {
  let postgres: PostgresServer;
  let databaseUrl: string;
  let s3: S3Server;
  let app: Instance & { baseURL: string };
  let cookie: string;
  let adminCookie: string;
  let token: string;
  let accountId: string;
  let productExternalId: string;

  beforeAll(async () => {
    ({ server: postgres, url: databaseUrl } = await startPostgresWithDatabase("c360_faults"));
    s3 = await startS3Server("c360-faults");
    const instance = nextInstance("faults", await freePort(), {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SEED_ON_START: "true",
      DEMO_MODE: "true",
      AUTH_SECRET: randomBytes(32).toString("hex"),
      AUTH_TRUST_HOST: "true",
      // On: the upload cleanup (lib/assets/upload-intents.ts) must remove what a dead S3 left behind.
      BACKGROUND_WORKERS: "on",
      ...s3Env(s3),
    });
    app = Object.assign(instance, { baseURL: instance.url });
    await app.start();
    cookie = await signIn(app.baseURL, "leader@demo.test", DEMO_PASSWORD);
    adminCookie = await signIn(app.baseURL, "admin@demo.test", DEMO_PASSWORD);
    token = await makeApiToken(databaseUrl, "faults");
    await withClient(databaseUrl, async (client) => {
      const product = await client.query<{ id: string; external_id: string }>(
        "select a.id, a.external_id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' order by a.external_id limit 1",
      );
      accountId = product.rows[0].id;
      productExternalId = product.rows[0].external_id;
    });
  });

  afterAll(async () => {
    await closeBrowser();
    await app?.stop();
    await s3?.destroy();
    await postgres?.stop();
  });

  /** One usage batch of 5 events at a timestamp of its own, so the database shows whether it is in. */
  const batch = (seq: number) => {
    const at = new Date(Date.UTC(2026, 10, 1) + seq * 1000).toISOString();
    return { key: `faults-pg-${seq}`, at, body: { events: Array.from({ length: 5 }, () => ({ accountExternalId: productExternalId, module: "faults", activity: "batch", occurredAt: at })) } };
  };
  const postBatch = (b: ReturnType<typeof batch>) =>
    fetch(`${app.baseURL}/api/v1/usage-events`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": b.key },
      body: JSON.stringify(b.body),
      signal: AbortSignal.timeout(15_000),
    });

  it("Postgres stopped: 503 (a page or JSON, never a 500); serving again within 5 s of its return; no half-made batch", async () => {
    const profile = `${app.baseURL}/accounts/${accountId}`;
    const first = await fetch(profile, { headers: { cookie } });
    expect(first.status).toBe(200);
    // Every request the proxy sees carries an id the logs name (lib/observability/process-errors.ts).
    expect(first.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    // Load while Postgres goes away and comes back: page reads and API batches.
    const statuses: { kind: string; status: number; body: string }[] = [];
    const sent: ReturnType<typeof batch>[] = [];
    let running = true;
    let seq = 0;
    const loop = async (kind: "page" | "api") => {
      while (running) {
        try {
          if (kind === "page") {
            const res = await fetch(profile, { headers: { cookie }, signal: AbortSignal.timeout(15_000) });
            statuses.push({ kind, status: res.status, body: (await res.text()).slice(0, 2000) });
          } else {
            const b = batch(seq++);
            sent.push(b);
            const res = await postBatch(b);
            statuses.push({ kind, status: res.status, body: await res.text() });
          }
        } catch (error) {
          statuses.push({ kind, status: 0, body: (error as Error).message });
        }
        await sleep(50);
      }
    };
    const loops = [loop("page"), loop("api"), loop("api")];
    await sleep(500);

    await stopPostgresInPlace(postgres);
    // Down: the app knows within a moment and answers 503 with a clear page and JSON.
    const downDeadline = Date.now() + 5_000;
    let downPage: Response | undefined;
    while (Date.now() < downDeadline) {
      const res = await fetch(profile, { headers: { cookie } });
      if (res.status === 503) {
        downPage = res;
        break;
      }
      await sleep(100);
    }
    expect(downPage?.status, "the profile while Postgres is down").toBe(503);
    expect(downPage!.headers.get("content-type")).toMatch(/text\/html/);
    expect(await downPage!.text()).toMatch(/briefly unavailable/i);
    const api = await postBatch(batch(100_000));
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: string }).error).toMatch(/database/i);
    const health = await fetch(`${app.baseURL}/api/health`);
    expect(health.status).toBe(503);

    await startPostgresInPlace(postgres);
    const back = Date.now();
    let recoveredMs = -1;
    while (Date.now() - back < 10_000) {
      const res = await fetch(profile, { headers: { cookie } });
      if (res.status === 200) {
        recoveredMs = Date.now() - back;
        break;
      }
      await sleep(100);
    }
    console.log(`[faults] Postgres back: the profile answered 200 again after ${recoveredMs} ms`);
    expect(recoveredMs, "serving again after Postgres returned (ms)").toBeGreaterThanOrEqual(0);
    expect(recoveredMs).toBeLessThan(5_000);
    await sleep(500);
    running = false;
    await Promise.all(loops);

    // Never a 500, never a stack: every answer was 200 or 503 (or a connection the app closed).
    const bad = statuses.filter((s) => s.status !== 200 && s.status !== 503);
    expect(bad.map((s) => `${s.kind} ${s.status} ${s.body.slice(0, 200)}`)).toEqual([]);
    for (const s of statuses) expect(s.body).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(statuses.filter((s) => s.status === 503).length).toBeGreaterThan(0);

    // Each batch: acknowledged ones are in whole; a retry of a refused one lands once, whole.
    for (const b of sent) {
      const res = await postBatch(b);
      expect(res.status, b.key).toBe(200);
    }
    await withClient(databaseUrl, async (client) => {
      const rows = await client.query<{ at: Date; n: string }>(
        "select e.occurred_at as at, sum(e.count) as n from usage_events e join usage_modules m on m.id = e.module_id where m.key = 'faults' group by 1",
      );
      const byTime = new Map(rows.rows.map((r) => [new Date(r.at).toISOString(), Number(r.n)]));
      for (const b of sent) expect(byTime.get(b.at), b.key).toBe(5);
      expect(rows.rows.length).toBe(sent.length);
    });
  });

  it("a profile already rendering when Postgres goes away for more than 5 s ends on the 'briefly unavailable, retrying' notice (no raw error) and comes back by itself", async () => {
    const accountName = await withClient(databaseUrl, async (db) => (await db.query<{ name: string }>("select name from accounts where id = $1", [accountId])).rows[0].name);
    const page = await newPage(app.baseURL);
    await signInBrowser(page, app.baseURL, "leader@demo.test", DEMO_PASSWORD);

    // Hold the profile's read of its account mid-render (a lock), so the request is in flight,
    // past the proxy's check, when Postgres stops; its read then waits the 5 s retry and fails.
    const locker = new pg.Client({ connectionString: databaseUrl });
    locker.on("error", () => {}); // cut by the stop below
    await locker.connect();
    await locker.query("begin");
    await locker.query("lock table accounts in access exclusive mode");
    const navigation = page.goto(`/accounts/${accountId}`, { timeout: 40_000 });
    const blocked = await waitFor(
      () => withClient(databaseUrl, async (db) => Number((await db.query<{ n: string }>("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()")).rows[0].n) > 0),
      15_000,
    );
    expect(blocked, "the profile's read waits on the lock").toBeGreaterThanOrEqual(0);
    await stopPostgresInPlace(postgres);
    const stoppedAt = Date.now();
    const response = await navigation;
    console.log(`[faults] a profile in flight when Postgres stopped answered ${response?.status()} after ${Date.now() - stoppedAt} ms`);

    // What the user sees: the database notice, retrying; not "something went wrong", not a stack.
    const notice = page.getByTestId("database-unavailable");
    await notice.waitFor({ state: "visible", timeout: 15_000 });
    const shown = await page.locator("body").innerText();
    expect(shown).toMatch(/briefly unavailable/i);
    expect(shown).toMatch(/retrying/i);
    expect(shown).not.toMatch(/something went wrong|could not be loaded|application error|digest/i);
    expect(shown).not.toMatch(/\n\s+at .+:\d+:\d+/);
    await screenshot(page, "faults-profile-database-unavailable");

    // Down for more than 5 s in all; once Postgres is back the page renders the profile by itself.
    await sleep(Math.max(0, 6_000 - (Date.now() - stoppedAt)));
    await startPostgresInPlace(postgres);
    const back = Date.now();
    await page.getByRole("heading", { name: accountName }).first().waitFor({ state: "visible", timeout: 15_000 });
    console.log(`[faults] the notice gave way to the profile ${Date.now() - back} ms after Postgres returned`);
    expect(await notice.count()).toBe(0);
    await locker.end().catch(() => {});
    await page.close();
  });

  it("the app killed (SIGKILL) amid API usage batches: after a restart each batch is wholly in or wholly absent; its key then lands it once", async () => {
    const base = Date.UTC(2026, 8, 1);
    const batches: { key: string; at: string; body: string; status: number }[] = [];
    let running = true;
    let n = 0;
    const client = async () => {
      while (running) {
        const i = n++;
        const at = new Date(base + i * 1000).toISOString();
        const body = JSON.stringify({ events: Array.from({ length: 50 }, (_, j) => ({ accountExternalId: productExternalId, module: "kill", activity: `a${j % 3}`, occurredAt: at })) });
        const entry = { key: `kill-${i}`, at, body, status: 0 };
        batches.push(entry);
        try {
          const res = await fetch(`${app.baseURL}/api/v1/usage-events`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": entry.key }, body, signal: AbortSignal.timeout(10_000) });
          entry.status = res.status;
          await res.text();
        } catch {
          entry.status = 0;
          await sleep(100);
        }
      }
    };
    const clients = [client(), client(), client()];
    await sleep(1_500);
    await app.stop("SIGKILL");
    running = false;
    await Promise.all(clients);
    await app.start();

    const sums = async () =>
      withClient(databaseUrl, async (db) => {
        const rows = await db.query<{ at: Date; n: string }>("select e.occurred_at as at, sum(e.count) as n from usage_events e join usage_modules m on m.id = e.module_id where m.key = 'kill' group by 1");
        return new Map(rows.rows.map((r) => [new Date(r.at).toISOString(), Number(r.n)]));
      });
    const before = await sums();
    expect(batches.filter((b) => b.status === 200).length).toBeGreaterThan(0);
    expect(batches.filter((b) => b.status === 0).length).toBeGreaterThan(0);
    for (const b of batches) {
      const stored = before.get(b.at) ?? 0;
      expect([0, 50], `${b.key} (answered ${b.status})`).toContain(stored);
      if (b.status === 200) expect(stored, b.key).toBe(50);
    }
    for (const b of batches) {
      const res = await fetch(`${app.baseURL}/api/v1/usage-events`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": b.key }, body: b.body });
      expect(res.status, b.key).toBe(200);
      if ((before.get(b.at) ?? 0) === 50) expect(res.headers.get("idempotent-replayed"), b.key).toBe("true");
    }
    const after = await sums();
    for (const b of batches) expect(after.get(b.at), b.key).toBe(50);
    cookie = await signIn(app.baseURL, "leader@demo.test", DEMO_PASSWORD);
    adminCookie = await signIn(app.baseURL, "admin@demo.test", DEMO_PASSWORD);
  });

  it("the S3 server stopped during uploads: a clear 503 to the uploader, no asset row, and no orphan object once the upload cleanup has run; a client that disconnects mid-upload leaves nothing", async () => {
    const upload = async (i: number) => {
      const form = new FormData();
      form.set("file", new Blob([Buffer.alloc(2 * 1024 * 1024, i % 251)], { type: "text/plain" }), `s3-fault-${i}.txt`);
      try {
        const res = await fetch(`${app.baseURL}/api/accounts/${accountId}/assets`, { method: "POST", headers: { cookie: adminCookie }, body: form, signal: AbortSignal.timeout(20_000) });
        return { status: res.status, body: await res.text() };
      } catch (error) {
        return { status: 0, body: (error as Error).message };
      }
    };
    const answers: { status: number; body: string }[] = [];
    let running = true;
    let i = 0;
    const uploader = async () => {
      while (running) answers.push(await upload(i++));
    };
    const uploaders = [uploader(), uploader()];
    await sleep(1_000);
    await s3.stop();
    await sleep(2_000);
    running = false;
    await Promise.all(uploaders);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.length, "uploads while the store was down").toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.status, a.body).toBe(503);
      expect((JSON.parse(a.body) as { error: string }).error).toMatch(/storage|store|file/i);
    }
    // An object S3 stored just before it died (its answer never came) is still there, with its
    // upload intent due: the app's upload-cleanup worker retries with backoff and removes both.
    const left = await intentCount();
    const orphansWhileDown = (await bucketMatchesRows()).orphanObjects.length;
    await s3.start();
    const settled = await waitFor(async () => (await intentCount()) === 0, 30_000);
    console.log(`[faults] S3 back: ${left} upload intent(s) left by failed uploads (${orphansWhileDown} with an object stored), cleaned by the worker in ${settled} ms`);
    expect(settled, "upload intents cleaned after S3 returned (ms)").toBeGreaterThanOrEqual(0);
    expect(await bucketMatchesRows()).toEqual({ orphanObjects: [], rowsWithoutObject: [] });

    // A client that goes away mid-upload: nothing is left behind.
    const before = await bucketMatchesRows();
    const rowsBefore = await assetCount();
    const boundary = "----c360fault";
    const req = http.request(`${app.baseURL}/api/accounts/${accountId}/assets`, {
      method: "POST",
      headers: { cookie: adminCookie, "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(8 * 1024 * 1024) },
    });
    req.on("error", () => {});
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="gone.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    req.write(Buffer.alloc(1024 * 1024, 65));
    // The upload is under way (its intent recorded) when the client goes.
    expect(await waitFor(async () => (await intentCount()) === 1, 10_000), "the upload's intent appears").toBeGreaterThanOrEqual(0);
    req.destroy();
    // Settled: the request noticed the client left and removed its intent (and anything stored).
    expect(await waitFor(async () => (await intentCount()) === 0 && (await assetCount()) === rowsBefore, 10_000)).toBeGreaterThanOrEqual(0);
    expect(await assetCount()).toBe(rowsBefore);
    expect(await bucketMatchesRows()).toEqual(before);
  });

  const intentCount = () => withClient(databaseUrl, async (db) => Number((await db.query<{ n: string }>("select count(*) as n from upload_intents")).rows[0].n));

  /** Polls `condition` until it holds: the ms it took, or -1 after `ms`. */
  const waitFor = async (condition: () => Promise<boolean>, ms: number) => {
    const started = Date.now();
    while (Date.now() - started < ms) {
      if (await condition()) return Date.now() - started;
      await sleep(100);
    }
    return -1;
  };

  const assetCount = () => withClient(databaseUrl, async (db) => Number((await db.query<{ n: string }>("select count(*) as n from assets")).rows[0].n));

  /** s3rver keeps object `k` as DIR/bucket/k._S3rver_object: compare with the asset rows. */
  const bucketMatchesRows = async () => {
    const objects: string[] = [];
    const walk = (dir: string, prefix: string) => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
        else if (name.endsWith("._S3rver_object")) objects.push(prefix + name.slice(0, -"._S3rver_object".length));
      }
    };
    walk(path.join(s3.dir, s3.bucket), "");
    const keys = await withClient(databaseUrl, async (db) => (await db.query<{ k: string }>("select storage_key as k from assets where kind = 'file'")).rows.map((r) => r.k));
    return { orphanObjects: objects.filter((o) => !keys.includes(o)), rowsWithoutObject: keys.filter((k) => !objects.includes(k)) };
  };
});
