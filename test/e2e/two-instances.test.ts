/**
 * Two `next start` instances behind Debian's haproxy on one Postgres and one S3 server (issue #19):
 * started at once on an empty database they migrate and seed once; a session made through one
 * works through the other; a write through one is visible through the other on the next request;
 * a rolling restart (SIGTERM one, start it again, then the other) under load fails no request.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type PostgresServer } from "../support/postgres";
import { DEMO_PASSWORD, makeApiToken, s3Env, signIn, startPostgresWithDatabase, startS3Server, withClient, type S3Server } from "../support/ops-stack";
import { nextInstance, startHaproxy, type Haproxy, type Instance } from "../support/instances";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("two instances behind haproxy", () => {
  let postgres: PostgresServer;
  let databaseUrl: string;
  let s3: S3Server;
  let a: Instance;
  let b: Instance;
  let lb: Haproxy;
  let accountId: string;
  let productExternalId: string;

  beforeAll(async () => {
    ({ server: postgres, url: databaseUrl } = await startPostgresWithDatabase("c360_two"));
    s3 = await startS3Server("c360-two");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SEED_ON_START: "true",
      DEMO_MODE: "true",
      AUTH_SECRET: randomBytes(32).toString("hex"), // one secret for both: a session is the team's, not an instance's
      AUTH_TRUST_HOST: "true",
      BACKGROUND_WORKERS: "on",
      ...s3Env(s3),
    };
    const [portA, portB, portLb] = [await freePort(), await freePort(), await freePort()];
    a = nextInstance("two-a", portA, env);
    b = nextInstance("two-b", portB, env);
    // Both at once on the empty database.
    await Promise.all([a.start(), b.start()]);
    lb = await startHaproxy(portLb, [
      { name: "a", port: portA },
      { name: "b", port: portB },
    ]);
    await withClient(databaseUrl, async (client) => {
      const product = await client.query<{ id: string; external_id: string }>(
        "select a.id, a.external_id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' order by a.external_id limit 1",
      );
      accountId = product.rows[0].id;
      productExternalId = product.rows[0].external_id;
    });
  }, 240_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all([a?.stop(), b?.stop()]);
    await s3?.destroy();
    await postgres?.stop();
  });

  it("both started at once on an empty database migrate and seed exactly once", async () => {
    const migrations = readdirSync(path.join(process.cwd(), "db/migrations")).filter((f) => f.endsWith(".sql")).length;
    await withClient(databaseUrl, async (client) => {
      const applied = await client.query<{ n: string }>("select count(*) as n from drizzle.__drizzle_migrations");
      expect(Number(applied.rows[0].n)).toBe(migrations);
      const admins = await client.query<{ n: string }>("select count(*) as n from users where email = 'admin@demo.test'");
      expect(Number(admins.rows[0].n)).toBe(1);
    });
    const seeded = [a, b].filter((i) => /empty database: seeding/.test(readFileSync(i.logFile, "utf8")));
    expect(seeded.length).toBe(1);
  });

  it("a session made through one instance works through the other; a write through one is visible through the other", async () => {
    const cookie = await signIn(a.url, "admin@demo.test", DEMO_PASSWORD);
    const session = (await (await fetch(`${b.url}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } };
    expect(session.user?.email).toBe("admin@demo.test");
    expect((await fetch(`${b.url}/accounts/${accountId}`, { headers: { cookie } })).status).toBe(200);

    // An upload through A (to the shared S3) is listed, and downloads, through B.
    const name = `two-instances-${Date.now()}.txt`;
    const form = new FormData();
    form.set("file", new Blob([`written through A at ${new Date().toISOString()}`], { type: "text/plain" }), name);
    const uploaded = await fetch(`${a.url}/api/accounts/${accountId}/assets`, { method: "POST", headers: { cookie }, body: form });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const { asset } = (await uploaded.json()) as { asset: { id: string; href: string } };
    const listed = (await (await fetch(`${b.url}/api/accounts/${accountId}/assets`, { headers: { cookie } })).json()) as { assets: { id: string; name: string }[] };
    expect(listed.assets.map((x) => x.id)).toContain(asset.id);
    const download = await fetch(`${b.url}${asset.href}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(await download.text()).toMatch(/written through A/);

    // A touchpoint through A's API shows on the profile's activity through B.
    const token = await makeApiToken(databaseUrl, "two instances");
    const subject = `Two-instance check ${randomBytes(4).toString("hex")}`;
    const wrote = await fetch(`${a.url}/api/v1/touchpoints`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ touchpoints: [{ accountExternalId: productExternalId, type: "meeting", subject, occurredAt: new Date().toISOString() }] }),
    });
    expect(wrote.status, await wrote.clone().text()).toBe(200);
    const activity = await fetch(`${b.url}/accounts/${accountId}?tab=activity`, { headers: { cookie } });
    expect(await activity.text()).toContain(subject);
  });

  it("a rolling restart (SIGTERM one, start it again, then the other) under load fails no request", async () => {
    const cookie = await signIn(lb.url, "leader@demo.test", DEMO_PASSWORD);
    const token = await makeApiToken(databaseUrl, "rolling");
    let running = true;
    const results: { ok: boolean; what: string }[] = [];
    let seq = 0;
    const client = async (n: number) => {
      while (running) {
        const i = seq++;
        const what = i % 3 === 0 ? "profile" : i % 3 === 1 ? "assets" : "usage";
        try {
          const res =
            what === "profile"
              ? await fetch(`${lb.url}/accounts/${accountId}`, { headers: { cookie } })
              : what === "assets"
                ? await fetch(`${lb.url}/api/accounts/${accountId}/assets`, { headers: { cookie } })
                : await fetch(`${lb.url}/api/v1/usage-events`, {
                    method: "POST",
                    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": `rolling-${n}-${i}` },
                    body: JSON.stringify({ events: [{ accountExternalId: productExternalId, module: "rolling", activity: "restart", occurredAt: new Date().toISOString() }] }),
                  });
          const body = await res.text();
          const ok = res.status === 200 && (what !== "profile" || body.includes("</html>"));
          results.push({ ok, what: `${what} ${res.status} ${ok ? "" : body.slice(0, 200)}` });
        } catch (error) {
          results.push({ ok: false, what: `${what} ${(error as Error).message}` });
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await sleep(1_000);
    const drained: number[] = [];
    for (const instance of [a, b]) {
      drained.push(await instance.stop("SIGTERM"));
      await instance.start();
      await sleep(3_000); // haproxy sees it up again (rise 2 × 1 s) before the other one goes
    }
    await sleep(500);
    running = false;
    await Promise.all(clients);
    const failed = results.filter((r) => !r.ok);
    console.log(`[two-instances] rolling restart: ${results.length} requests, ${failed.length} failed; drains took ${drained.join(" ms, ")} ms`);
    expect(results.length).toBeGreaterThan(50);
    expect(failed.map((r) => r.what)).toEqual([]);
  });
});
