import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

describe("sign-in and shared links", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function accountIdByName(name: string): Promise<string> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseURL, "admin@demo.test");
    await page.goto(`${baseURL}/accounts?q=${encodeURIComponent(name)}`);
    const href = await page.getByRole("link", { name, exact: true }).first().getAttribute("href");
    await context.close();
    return href!.split("?")[0].split("/").pop()!;
  }

  it("lists the demo users on the sign-in page", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseURL}/login`);
    for (const email of ["admin@demo.test", "csm@demo.test", "leader@demo.test", "viewer@demo.test"]) {
      await expect(page.getByText(email, { exact: true }).count()).resolves.toBe(1);
    }
    await screenshot(page, "login");
    await page.close();
  });

  it("sends a signed-out deep link to /login and back to the exact URL after signing in as csm", async () => {
    const emeaId = await accountIdByName("EMEA");
    const deepLink = `/accounts/${emeaId}?tab=timeline&kind=touchpoint`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseURL}${deepLink}`);
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(new URL(page.url()).searchParams.get("next")).toBe(deepLink);
    await page.getByLabel("Email").fill("csm@demo.test");
    await page.getByLabel("Password", { exact: true }).fill("demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/accounts/"));
    const landed = new URL(page.url());
    expect(landed.pathname + landed.search).toBe(deepLink);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("EMEA");
    const crumbs = await page.getByRole("navigation", { name: "Breadcrumb" }).innerText();
    // csm's team sees the EMEA subtree only: the company above shows as "…", without its name.
    expect(crumbs).toMatch(/^…\s*›\s*EMEA$/);
    expect(crumbs).not.toContain("Northwind");
    await context.close();
  });

  it("says a wrong password is wrong without revealing whether the email exists", async () => {
    const page = await browser.newPage();
    const messages: string[] = [];
    for (const email of ["csm@demo.test", "nobody@demo.test"]) {
      await page.goto(`${baseURL}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password", { exact: true }).fill("wrong-password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // Next's route announcer is an alert too: read the form's own message.
      const alert = page.locator("#login-error");
      await alert.waitFor();
      messages.push((await alert.textContent()) ?? "");
      expect(new URL(page.url()).pathname).toBe("/login");
    }
    expect(messages[0]).toBe("Wrong email or password.");
    expect(messages[1]).toBe(messages[0]);
    await page.close();
  });

  it("answers unknown, malformed and forbidden account ids with the not-found page", async () => {
    const americasId = await accountIdByName("Americas");
    const emeaId = await accountIdByName("EMEA");
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseURL, "viewer@demo.test");
    const ok = await page.goto(`${baseURL}/accounts/${americasId}`);
    expect(ok?.status()).toBe(200);
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "%27%3B--", emeaId]) {
      const res = await page.goto(`${baseURL}/accounts/${id}`);
      expect(res?.status(), id).toBe(404);
      await expect(page.getByRole("heading", { name: "Account not found" }).count()).resolves.toBe(1);
    }
    await context.close();
  });

  it("refuses to redirect off-site after sign-in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${baseURL}/login?next=${encodeURIComponent("//evil.example/phish")}`);
    await page.getByLabel("Email").fill("csm@demo.test");
    await page.getByLabel("Password", { exact: true }).fill("demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    expect(new URL(page.url()).host).toBe(new URL(baseURL).host);
    expect(new URL(page.url()).pathname).toBe("/");
    await context.close();
  });

  it("answers a signed-out API call with a JSON 401", async () => {
    // (/api/v1 is the token-authenticated REST API: it answers 401 itself, see test/e2e/api-v1.test.ts.)
    const res = await fetch(`${baseURL}/api/accounts/00000000-0000-0000-0000-000000000000/preview`, { redirect: "manual" });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Sign-in required" });
  });
});
