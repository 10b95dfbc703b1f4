/**
 * Single sign-on end to end in Chromium: a real OpenID Connect server (`oidc-provider`, with its
 * development login and consent pages) on loopback, and a second production server started with
 * OIDC_* variables pointing at it, on its own Postgres database. Existing users are matched by
 * email; a first-time user is created as a member of OIDC_DEFAULT_TEAM; a disabled user is refused
 * with a clear message.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import Provider from "oidc-provider";
import type { Browser, Page } from "playwright-core";
import { startAppServer, type AppServer } from "../support/app-server";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot } from "../support/browser";
import { freePort } from "../support/postgres";

const CLIENT_ID = "customer-360";
const CLIENT_SECRET = "loopback-test-secret-0123456789";

describe("single sign-on with OpenID Connect", () => {
  let idp: Server;
  let app: AppServer;
  /**
   * The app as the browser and the provider know it. Next's request URLs spell any loopback
   * address "localhost" (NextURL), so the redirect URI next-auth sends at the token exchange says
   * localhost: the app is browsed, registered and configured (AUTH_URL) under that name.
   */
  let appURL: string;
  let browser: Browser;
  let db: pg.Client;
  let dbUrl: string;

  beforeAll(async () => {
    // A database of its own on the e2e Postgres server, seeded by the app at start.
    const admin = new URL(inject("e2eDatabaseUrl"));
    admin.pathname = "/postgres";
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query("drop database if exists c360_sso");
    await client.query("create database c360_sso");
    await client.end();
    admin.pathname = "/c360_sso";
    dbUrl = admin.toString();

    // The issuer's port first (the app must know it), the provider once the app's URL is known
    // (its redirect URI must match exactly). The app contacts the issuer only at sign-in.
    const idpPort = await freePort();
    const issuer = `http://127.0.0.1:${idpPort}`;
    app = await startAppServer(dbUrl, (baseURL) => ({
      AUTH_URL: baseURL.replace("127.0.0.1", "localhost"),
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: "Loopback IdP",
      OIDC_DEFAULT_TEAM: "apac",
    }));
    appURL = app.baseURL.replace("127.0.0.1", "localhost");
    const provider = new Provider(issuer, {
      clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${appURL}/api/auth/callback/oidc`], response_types: ["code"], grant_types: ["authorization_code"] }],
      // The development login page takes any login: it becomes the subject and the email.
      findAccount: async (_ctx, id) => ({
        accountId: id,
        claims: async () => ({ sub: id, email: id, email_verified: true, name: id === "sso.newcomer@example.com" ? "Sam Newcomer" : id }),
      }),
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
      cookies: { keys: ["loopback-cookie-key-0123456789"] },
      // Put the scope's claims (email, name) in the ID token, as most identity providers do;
      // next-auth reads the profile from the ID token.
      conformIdTokenClaims: false,
    });
    provider.on("grant.error", (_ctx: unknown, error: Error & { error_detail?: string }) => console.error("[idp] grant.error", error.message, error.error_detail));
    provider.on("server_error", (_ctx: unknown, error: Error) => console.error("[idp] server_error", error));
    idp = createServer(provider.callback());
    await new Promise<void>((resolve) => idp.listen(idpPort, "127.0.0.1", resolve));

    db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    // "localhost" must reach the server, which listens on 127.0.0.1 only (not ::1).
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP localhost 127.0.0.1"] });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.stop();
    await new Promise((resolve) => (idp ? idp.close(resolve) : resolve(undefined)));
  });

  /** From our sign-in page through the provider's login and consent pages, back to the app. */
  async function signInWithSso(page: Page, login: string, next?: string) {
    // The provider's development pages import a web font: no network here, so do not wait for it.
    await page.route("https://fonts.googleapis.com/**", (route) => route.abort());
    await page.goto(`${appURL}/login${next ? `?next=${encodeURIComponent(next)}` : ""}`);
    await page.getByRole("button", { name: "Sign in with Loopback IdP" }).click();
    await page.waitForURL((u) => u.port !== new URL(appURL).port);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("anything");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((u) => u.origin === appURL);
  }

  it("offers the provider on the sign-in page and signs in an existing user matched by email", async () => {
    const page = await browser.newPage();
    await signInWithSso(page, "CSM@demo.test", "/accounts");
    expect(new URL(page.url()).pathname).toBe("/accounts");
    await expect(page.getByText("Casey CSM").first().isVisible()).resolves.toBe(true);
    await screenshot(page, "sso-signed-in");
    // No second user was created for the same person.
    expect((await db.query("select count(*)::int as n from users where lower(email) = 'csm@demo.test'")).rows[0].n).toBe(1);
    await page.close();
  });

  it("creates a first-time user as a member of the default team, audited", async () => {
    const page = await browser.newPage();
    await signInWithSso(page, "sso.newcomer@example.com");
    expect(new URL(page.url()).pathname).toBe("/");
    await expect(page.getByText("Sam Newcomer").first().isVisible()).resolves.toBe(true);
    const { rows } = await db.query(`select u.role, u.password_hash, array_agg(t.key) as teams from users u
      left join team_members m on m.user_id = u.id left join teams t on t.id = m.team_id
      where u.email = 'sso.newcomer@example.com' group by u.id`);
    expect(rows).toEqual([{ role: "member", password_hash: null, teams: ["apac"] }]);
    const audit = await db.query("select actor_id, details from audit_log where action = 'user.create' and details->'after'->>'email' = 'sso.newcomer@example.com'");
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].details).toMatchObject({ via: "single sign-on", after: { role: "member", teams: ["apac"] } });
    await page.close();
  });

  it("refuses a disabled user with a clear message on the sign-in page", async () => {
    await db.query("update users set disabled_at = now() where email = 'viewer@demo.test'");
    const page = await browser.newPage();
    await signInWithSso(page, "viewer@demo.test");
    expect(new URL(page.url()).pathname).toBe("/login");
    await expect(page.locator("#sso-error").textContent()).resolves.toBe("Your user is disabled. Ask an admin to enable it.");
    await screenshot(page, "sso-disabled");
    // Still signed out: a page sends them back to sign in.
    await page.goto(`${appURL}/accounts`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });
});
