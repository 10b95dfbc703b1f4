/**
 * Webhooks on a real database (both drivers) and a real receiver on loopback: the address rules,
 * signatures, deliveries created in the emitting transaction (and not when it rolls back), sending,
 * retries with backoff, an attempt cut short by a crash claimed again, and the endpoint turned off
 * after repeated failures with an audit row. The restart of a real server mid-retry is
 * test/e2e/webhooks.test.ts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "@/lib/actions/define";
import { logTouchpoint } from "@/lib/activity/touchpoints";
import { todayIso } from "@/lib/days";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { checkWebhookUrl, isPrivateAddress } from "@/lib/webhooks/address";
import { webhookActions } from "@/lib/webhooks/endpoints";
import { DISABLE_AFTER_FAILURES, backoffSeconds, runWebhookSender } from "@/lib/webhooks/sender";
import { signatureHeader, verifySignature } from "@/lib/webhooks/signature";
import { drivers, openSeededDatabase } from "./support/databases";

type Received = { headers: Record<string, string | string[] | undefined>; body: string };

function startReceiver(answer: () => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer(), { "Content-Type": "text/plain" }).end("receiver says hi");
    });
  });
  return new Promise<{ url: string; received: Received[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) }),
    ),
  );
}

describe("webhook rules", () => {
  it("refuses private, loopback and non-https addresses; accepts public https", async () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    expect(isPrivateAddress("93.184.216.34")).toBe(false);
    expect(isPrivateAddress("2606:4700::1111")).toBe(false);
    const refused = async (url: string, resolve?: string[]) =>
      (await checkWebhookUrl(url, async () => (resolve ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 })))).ok;
    expect(await refused("http://93.184.216.34/hook")).toBe(false);
    expect(await refused("https://127.0.0.1/hook")).toBe(false);
    expect(await refused("https://[::1]/hook")).toBe(false);
    expect(await refused("https://localhost/hook")).toBe(false);
    expect(await refused("https://user:pw@93.184.216.34/hook")).toBe(false);
    expect(await refused("https://rebind.example.com/hook", ["93.184.216.34", "10.0.0.5"])).toBe(false);
    expect(await refused("ftp://93.184.216.34/")).toBe(false);
    expect(await refused("https://93.184.216.34/hook")).toBe(true);
    expect(await refused("https://hooks.example.com/c360", ["93.184.216.34"])).toBe(true);
  });

  it("signs like Stripe: t and v1 over timestamp.body, verified in constant time; both secrets while rotating", () => {
    const body = '{"a":1}';
    const t = Math.floor(Date.now() / 1000);
    const header = signatureHeader(["new-secret", "old-secret"], t, body);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, "new-secret", body)).toBe(true);
    expect(verifySignature(header, "old-secret", body)).toBe(true);
    expect(verifySignature(header, "other", body)).toBe(false);
    expect(verifySignature(header, "new-secret", '{"a":2}')).toBe(false);
    expect(verifySignature(signatureHeader(["s"], t - 3600, body), "s", body)).toBe(false);
  });

  it("backs off exponentially, capped", () => {
    expect([1, 2, 3, 4].map((n) => backoffSeconds(n, 30))).toEqual([30, 60, 120, 240]);
    expect(backoffSeconds(30, 30)).toBe(6 * 3600);
  });
});

describe.each(drivers)("webhook deliveries on %s", (driver) => {
  let handle: Awaited<ReturnType<typeof openSeededDatabase>>;
  let admin: Ctx;
  let accountId: string;
  const allowed = new Set(["127.0.0.1"]);

  beforeAll(async () => {
    handle = await openSeededDatabase(driver);
    const db = handle.db;
    const { rows: users } = await db.execute<{ id: string }>(sql`select id from users where email = 'admin@demo.test'`);
    admin = { db, viewer: (await loadViewer(db, users[0].id))! };
    const { rows } = await db.execute<{ id: string }>(sql`select a.id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' order by a.name limit 1`);
    accountId = rows[0].id;
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  async function endpointFor(url: string): Promise<{ id: string; secret: string }> {
    const { rows } = await handle.db.execute<{ id: string; secret: string }>(sql`insert into webhook_endpoints (url, event_types, secret)
      values (${url}, array['touchpoint.logged'], ${`whsec_test_${Math.random()}`}) returning id, secret`);
    return rows[0];
  }
  const logOne = (subject: string) => runAction(logTouchpoint, { accountId, type: "call", subject, date: todayIso(new Date()), contactIds: [], userIds: [] }, admin);
  const deliveries = async (endpointId: string) =>
    (await handle.db.execute<{ id: string; status: string; attempts: number; event_type: string }>(sql`select id, status, attempts, event_type from webhook_deliveries where endpoint_id = ${endpointId} order by created_at`)).rows;

  it("refuses a private address on the admin form, with the reason beside the field", async () => {
    const result = await runAction(webhookActions.create, { url: "https://10.0.0.8/hook", eventTypes: ["touchpoint.logged"] }, admin);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.fieldErrors?.url?.[0]).toMatch(/private network/);
    const created = await runAction(webhookActions.create, { url: "https://93.184.216.34/ok", eventTypes: "touchpoint.logged" }, admin);
    expect(created.ok && created.data.secret).toMatch(/^whsec_/);
  });

  it("creates a delivery in the event's transaction, sends it signed, and dedupes nothing away", async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const endpoint = await endpointFor(receiver.url);
      // A write that rolls back leaves no delivery.
      await handle.db
        .transaction(async (tx) => {
          await runAction(logTouchpoint, { accountId, type: "call", subject: "rolled back", date: todayIso(new Date()), contactIds: [], userIds: [] }, { db: tx, viewer: admin.viewer });
          throw new Error("roll back");
        })
        .catch(() => {});
      expect(await deliveries(endpoint.id)).toHaveLength(0);
      expect((await logOne("Kick-off call")).ok).toBe(true);
      expect(await deliveries(endpoint.id)).toHaveLength(1);
      await runWebhookSender(handle.db, { allowed });
      const [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ status: "delivered", attempts: 1, event_type: "touchpoint.logged" });
      const got = receiver.received.at(-1)!;
      expect(got.headers["c360-delivery"]).toBe(delivery.id);
      expect(got.headers["c360-event"]).toBe("touchpoint.logged");
      expect(verifySignature(got.headers["c360-signature"] as string, endpoint.secret, got.body)).toBe(true);
      const payload = JSON.parse(got.body);
      expect(payload).toMatchObject({ deliveryId: delivery.id, type: "touchpoint.logged", account: { id: accountId }, data: { subject: "Kick-off call", type: "call" } });
      await handle.db.execute(sql`delete from webhook_endpoints where id = ${endpoint.id}`);
    } finally {
      await receiver.close();
    }
  });

  it("retries a failure later, re-claims an attempt cut off by a crash, and turns a failing endpoint off with an audit row", async () => {
    let status = 500;
    const receiver = await startReceiver(() => status);
    try {
      const endpoint = await endpointFor(receiver.url);
      await logOne("Will fail first");
      await runWebhookSender(handle.db, { allowed });
      let [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
      const { rows: due } = await handle.db.execute<{ seconds: number }>(sql`select extract(epoch from next_attempt_at - last_attempt_at)::float as seconds from webhook_deliveries where id = ${delivery.id}`);
      expect(Number(due[0].seconds)).toBeGreaterThan(1); // backed off, not due at once
      expect(await runWebhookSender(handle.db, { allowed })).toBe(false); // nothing due yet

      // A crash mid-attempt: claimed (attempts 2, a lease) but never recorded; once the lease ends it goes again.
      await handle.db.execute(sql`update webhook_deliveries set next_attempt_at = now(), attempts = attempts + 1, lease_until = now() - interval '1 second' where id = ${delivery.id}`);
      status = 200;
      await runWebhookSender(handle.db, { allowed });
      [delivery] = await deliveries(endpoint.id);
      expect(delivery).toMatchObject({ status: "delivered", attempts: 3 });
      const ids = receiver.received.map((r) => r.headers["c360-delivery"]);
      expect(new Set(ids)).toEqual(new Set([delivery.id])); // every attempt names the same delivery

      // Failing in a row: off after DISABLE_AFTER_FAILURES, once, with an audit row.
      status = 503;
      await handle.db.execute(sql`update webhook_endpoints set consecutive_failures = ${DISABLE_AFTER_FAILURES - 2} where id = ${endpoint.id}`);
      await logOne("Fails again 1");
      await logOne("Fails again 2");
      await runWebhookSender(handle.db, { allowed });
      const { rows: state } = await handle.db.execute<{ disabled_at: Date | null; disabled_reason: string | null }>(sql`select disabled_at, disabled_reason from webhook_endpoints where id = ${endpoint.id}`);
      expect(state[0].disabled_reason).toBe("failures");
      const { rows: audit } = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action = 'webhook.auto_disable' and target_id = ${endpoint.id}`);
      expect(Number(audit[0].n)).toBe(1);
      // Turned off: nothing more is sent or queued.
      const before = receiver.received.length;
      await handle.db.execute(sql`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${endpoint.id}`);
      await runWebhookSender(handle.db, { allowed });
      expect(receiver.received.length).toBe(before);
      const queued = (await deliveries(endpoint.id)).length;
      await logOne("While off");
      expect((await deliveries(endpoint.id)).length).toBe(queued);
      // An admin turns it back on: the waiting deliveries go out.
      status = 200;
      expect((await runAction(webhookActions.setEnabled, { endpointId: endpoint.id, enabled: "true" }, admin)).ok).toBe(true);
      await runWebhookSender(handle.db, { allowed });
      expect((await deliveries(endpoint.id)).filter((d) => d.status !== "delivered")).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
