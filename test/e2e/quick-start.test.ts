import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, screenshot } from "../support/browser";

/**
 * The README's first command on its embedded default: no DATABASE_URL, a fresh PGlite folder that
 * the app migrates and seeds by itself, the demo users on the sign-in page, and a shared link that
 * survives sign-in.
 */
describe("quick start on embedded PGlite", () => {
  let server: AppServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startAppServer("pglite");
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("reports the embedded driver as ready", async () => {
    const res = await fetch(`${server.baseURL}/api/health`);
    expect(await res.json()).toEqual({ status: "ok", driver: "pglite" });
  });

  it("lists the demo users and lands a csm on the deep link after sign-in", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.baseURL}/login`);
    await expect(page.getByRole("button", { name: "Sign in as csm@demo.test" }).count()).resolves.toBe(1);

    // Find a product id as admin, then open it signed out in a fresh context.
    await page.getByRole("button", { name: "Sign in as admin@demo.test" }).click();
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
    await page.goto(`${server.baseURL}/accounts?q=${encodeURIComponent("Payments Hub — Retail Banking EMEA")}`);
    const href = (await page.getByRole("link", { name: "Payments Hub — Retail Banking EMEA", exact: true }).first().getAttribute("href"))!;
    await page.context().close();

    const context = await browser.newContext();
    const csm = await context.newPage();
    const deepLink = `${href.split("?")[0]}?tab=plan`;
    await csm.goto(`${server.baseURL}${deepLink}`);
    expect(new URL(csm.url()).pathname).toBe("/login");
    await csm.getByLabel("Email").fill("csm@demo.test");
    await csm.getByLabel("Password", { exact: true }).fill("demo");
    await csm.getByRole("button", { name: "Sign in", exact: true }).click();
    await csm.waitForURL((u) => u.pathname.startsWith("/accounts/"));
    const landed = new URL(csm.url());
    expect(landed.pathname + landed.search).toBe(deepLink);
    await expect(csm.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Payments Hub — Retail Banking EMEA");
    const crumbs = await csm.getByRole("navigation", { name: "Breadcrumb" }).innerText();
    expect(crumbs).toMatch(/^…\s*›\s*EMEA\s*›\s*Retail Banking EMEA\s*›\s*Payments Hub — Retail Banking EMEA$/);
    await screenshot(csm, "quick-start-plan");
    await context.close();
  });
});
