/**
 * Faults, in the short form of `npm run soak -- --fault=…`: the production build on its own
 * Postgres (stopped and started under it) and its own s3rver (stopped mid-upload), each fault
 * with a few seconds of load. Issue #19.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { DEMO_PASSWORD, makeApiToken, signIn, startPostgresWithDatabase, withClient } from "../support/ops-stack";
import { startPostgresInPlace, stopPostgresInPlace } from "../support/pg-control";
import type { PostgresServer } from "../support/postgres";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("faults", () => {
  let postgres: PostgresServer;
  let databaseUrl: string;
  let app: AppServer;
  let cookie: string;
  let token: string;
  let accountId: string;
  let productExternalId: string;

  beforeAll(async () => {
    ({ server: postgres, url: databaseUrl } = await startPostgresWithDatabase("c360_faults"));
    app = await startAppServer(databaseUrl, { BACKGROUND_WORKERS: "off" });
    cookie = await signIn(app.baseURL, "leader@demo.test", DEMO_PASSWORD);
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
    await app?.stop();
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
    expect((await fetch(profile, { headers: { cookie } })).status).toBe(200);

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
    await sleep(1_000);

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
        "select occurred_at as at, sum(count) as n from usage_events where occurred_at >= $1 and occurred_at < $2 group by 1",
        [new Date(Date.UTC(2026, 10, 1)), new Date(Date.UTC(2026, 10, 1) + 90_000_000)],
      );
      const byTime = new Map(rows.rows.map((r) => [new Date(r.at).toISOString(), Number(r.n)]));
      for (const b of sent) expect(byTime.get(b.at), b.key).toBe(5);
      expect(rows.rows.length).toBe(sent.length);
    });
  });
});
