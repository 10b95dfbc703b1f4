import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/**
 * Hardening, against the production build on Postgres: security headers with a per-request CSP
 * nonce that still lets every page hydrate and recharts draw (no CSP violation in the console),
 * session cookie flags, and sign-in throttling per account (counts shared in Postgres).
 */
describe("security headers, CSP, cookies and sign-in throttling", () => {
  let browser: Browser;
  let db: pg.Client;
  let busiestProductId: string;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    // The demo's busiest product: health grid and usage charts (recharts) on its profile.
    busiestProductId = (await db.query("select id from accounts where name = $1", ["Payments Hub — Retail Banking EMEA"])).rows[0].id;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("sends a nonce CSP with frame-ancestors 'none' and the other headers on pages, redirects and API answers", async () => {
    const seen = new Set<string>();
    for (const path of ["/login", "/", "/api/accounts/00000000-0000-4000-8000-000000000000/preview", "/no-such-page"]) {
      const response = await fetch(`${baseURL}${path}`, { redirect: "manual" });
      const h = response.headers;
      expect(h.get("x-content-type-options"), path).toBe("nosniff");
      expect(h.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(h.get("permissions-policy"), path).toMatch(/camera=\(\)/);
      expect(h.get("x-frame-options"), path).toBe("DENY");
      if (path === "/login") {
        const csp = h.get("content-security-policy")!;
        expect(csp).toMatch(/frame-ancestors 'none'/);
        expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(csp).not.toMatch(/unsafe-eval/);
        const nonce = /'nonce-([^']+)'/.exec(csp)![1];
        const html = await response.text();
        // Every script tag Next rendered carries this request's nonce.
        const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        expect(scripts.length).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
        seen.add(nonce);
      }
    }
    // A fresh nonce every request.
    const again = await fetch(`${baseURL}/login`);
    expect(seen.has(/'nonce-([^']+)'/.exec(again.headers.get("content-security-policy")!)![1])).toBe(false);
  });

  it("hydrates pages and draws charts with no CSP violation in the console", async () => {
    const page: Page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m: ConsoleMessage) => {
      if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(m.text())) violations.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to ${e.violatedDirective}: ${e.blockedURI}`));
    });
    await signIn(page, baseURL, "admin@demo.test");
    await page.goto(`${baseURL}/accounts/${busiestProductId}`);
    await page.locator('[data-chart="health-grid"] svg').first().waitFor({ state: "visible", timeout: 30_000 });
    await page.goto(`${baseURL}/accounts/${busiestProductId}?tab=usage`);
    await page.locator('[data-chart="usage"] svg').first().waitFor({ state: "visible", timeout: 30_000 });
    await screenshot(page, "csp-usage-chart");
    // Client components work: the Quick Actions menu opens (hydrated event handlers).
    await page.goto(`${baseURL}/admin/teams`);
    await page.getByTestId("team-row").first().locator("summary").click();
    await page.getByRole("form", { name: /Edit team/ }).first().waitFor();
    await page.goto(`${baseURL}/no-such-page`);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });

  it("sets the session cookie HttpOnly and SameSite=Lax", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseURL, "viewer@demo.test");
    const session = (await context.cookies()).find((c) => c.name.endsWith("authjs.session-token"));
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    await context.close();
  });

  it("locks an account after 5 failed sign-ins, even for the right password, with a clear message", async () => {
    const page = await browser.newPage();
    const email = "hannah.schmidt@demo.test";
    const attempt = async (password: string) => {
      await page.goto(`${baseURL}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      const alert = page.locator("#login-error");
      await alert.waitFor();
      return (await alert.textContent())?.trim();
    };
    for (let i = 0; i < 5; i++) expect(await attempt(`wrong-${i}`)).toBe("Wrong email or password.");
    expect(await attempt("demo")).toMatch(/^Too many failed sign-ins\. Wait 15 minutes and try again\.$/);
    await screenshot(page, "signin-throttled");
    // The count lives in Postgres, shared by every instance.
    const { rows } = await db.query("select points from auth_throttle where key = $1", [`signin:account:${email}`]);
    expect(Number(rows[0]?.points)).toBeGreaterThanOrEqual(5);
    // Other accounts from the same address still sign in.
    await signIn(page, baseURL, "csm@demo.test");
    expect(new URL(page.url()).pathname).toBe("/");
    await page.close();
  });
});
