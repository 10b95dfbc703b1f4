/**
 * Webhooks end to end on the production build: an admin registers a receiver on loopback on the
 * admin page (the secret shown once), API writes emit events, the receiver answers 500 so the app
 * retries, the app is stopped and started again in the middle of those retries, then the receiver
 * answers 200: it has accepted exactly one delivery per event, each signature verified with the
 * secret from the page. Its own `next start` on its own database (created empty and filled with
 * just what the test needs, no demo seed), so the shared e2e server's sender never sees the endpoint.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import bcrypt from "bcryptjs";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifySignature } from "@/lib/webhooks/signature";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

type Hit = { delivery: string; eventId: string; type: string; signature: string; body: string; answered: number };

const EMAIL = "hooks-admin@example.test";
const ENV = { SEED_ON_START: "false", WEBHOOK_ALLOW_HOSTS: "127.0.0.1", WEBHOOK_RETRY_BASE_SECONDS: "1" };

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("webhooks across a restart", () => {
  let server: AppServer | undefined;
  let browser: Browser;
  let db: pg.Client;
  let receiver: Server;
  let receiverUrl = "";
  let answer = 500;
  const hits: Hit[] = [];
  let databaseUrl = "";
  let apiToken = "";

  beforeAll(async () => {
    const e2eUrl = inject("e2eDatabaseUrl");
    if (!e2eUrl) throw new Error(`the e2e database is not there:\n${inject("e2eServerError")}`);
    const admin = new pg.Client({ connectionString: e2eUrl });
    await admin.connect();
    const name = `c360_hooks_${randomBytes(3).toString("hex")}`;
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(e2eUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();

    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const parsed = JSON.parse(body);
        hits.push({ delivery: String(req.headers["c360-delivery"]), eventId: parsed.id, type: String(req.headers["c360-event"]), signature: String(req.headers["c360-signature"]), body, answered: answer });
        res.writeHead(answer).end(answer === 200 ? "ok" : "not now");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/c360`;

    server = await startAppServer(databaseUrl, ENV); // migrates the empty database
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query(`insert into users (email, name, password_hash, role) values ($1, 'Hooks Admin', $2, 'admin') returning id`, [EMAIL, await bcrypt.hash("demo", 10)]);
    await db.query(`insert into account_types (key, name, plural_name, level) values ('company', 'Company', 'Companies', 0)`);
    apiToken = `c360_${randomBytes(32).toString("base64url")}`;
    await db.query(`insert into api_tokens (name, prefix, token_hash, scopes, created_by) values ('Hooks feed', $1, $2, array['accounts:write','touchpoints:write'], $3)`, [
      apiToken.slice(0, 11),
      createHash("sha256").update(apiToken).digest("hex"),
      rows[0].id,
    ]);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await db?.end();
    await new Promise((r) => receiver?.close(r));
  });

  const api = (path: string, body: unknown) =>
    fetch(`${server!.baseURL}${path}`, { method: "POST", headers: { Authorization: `Bearer ${apiToken}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("delivers exactly one signed delivery per event after a restart in the middle of the retries", async () => {
    const page = await newPage(server!.baseURL, browser);
    await signIn(page, server!.baseURL, EMAIL, "demo", "/admin/webhooks");

    // A private address is refused on the form, with the reason beside the field.
    await page.getByLabel("Address").fill("https://10.0.0.8/hook");
    await page.getByLabel(/Account created/).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByText("private network").first().waitFor();

    await page.getByLabel("Address").fill(receiverUrl);
    await page.getByLabel("Description").fill("Loopback receiver");
    for (const label of [/Account created/, /Touchpoint logged/]) await page.getByLabel(label).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await (await page.waitForSelector("#secret-new")).inputValue();
    expect(secret).toMatch(/^whsec_/);

    // Three events: two accounts created, one touchpoint logged (through the REST API).
    expect((await api("/api/v1/accounts", { accounts: [{ externalId: "acme", name: "Acme", type: "company" }, { externalId: "globex", name: "Globex", type: "company" }] })).status).toBe(200);
    expect((await api("/api/v1/touchpoints", { touchpoints: [{ accountExternalId: "acme", type: "call", subject: "Kick-off", occurredAt: new Date().toISOString() }] })).status).toBe(200);
    const { rows: events } = await db.query(`select id, type from domain_events where type in ('account.created', 'touchpoint.logged') order by id`);
    expect(events).toHaveLength(3);

    // The receiver refuses each at least once; stop the app mid-retry.
    await until("a refused attempt of every event", async () => new Set(hits.map((h) => h.eventId)).size === 3);
    await server!.stop();
    server = undefined;
    const { rows: pending } = await db.query(`select status, attempts from webhook_deliveries`);
    expect(pending.every((d) => d.status === "pending" && d.attempts >= 1)).toBe(true);

    answer = 200;
    server = await startAppServer(databaseUrl, ENV);
    await until("every delivery delivered", async () => {
      const { rows } = await db.query(`select count(*) filter (where status = 'delivered')::int as done, count(*)::int as total from webhook_deliveries`);
      return rows[0].total === 3 && rows[0].done === 3;
    });

    const accepted = hits.filter((h) => h.answered === 200);
    expect(accepted.map((h) => h.eventId).sort()).toEqual(events.map((e) => `evt_${e.id}`).sort()); // exactly one per event
    expect(new Set(accepted.map((h) => h.delivery)).size).toBe(3);
    for (const hit of accepted) expect(verifySignature(hit.signature, secret, hit.body), hit.body).toBe(true);
    // Retries of one event carry the same delivery id (the receiver's dedupe key) and the same body.
    for (const hit of hits) {
      const same = accepted.find((a) => a.eventId === hit.eventId)!;
      expect(hit.delivery).toBe(same.delivery);
      expect(JSON.parse(hit.body)).toEqual(JSON.parse(same.body));
    }
    expect(accepted.map((h) => h.type).sort()).toEqual(["account.created", "account.created", "touchpoint.logged"]);

    // The delivery log on the admin page, after the restart.
    const again = await newPage(server.baseURL, browser);
    await signIn(again, server.baseURL, EMAIL, "demo", "/admin/webhooks");
    await again.getByRole("heading", { name: /Delivery log/ }).waitFor();
    expect(await again.getByText("delivered", { exact: true }).count()).toBe(3);
    expect(await again.getByText(/HTTP 500/).count()).toBeGreaterThan(0);
    await screenshot(again, "admin-webhooks");
  }, 180_000);
});
