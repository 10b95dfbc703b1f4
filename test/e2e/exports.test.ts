/**
 * Data out of the browser: every list's "Download CSV" link downloads what that viewer sees with that
 * list's filters (a viewer scoped to the Americas gets only Americas accounts), bad exports answer
 * 4xx, and a profile prints to a clean PDF (page.pdf(), its text read back; screenshots of the print
 * view in screenshots/print-*.png).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newPage, SCREENSHOT_DIR, screenshot, signIn } from "../support/browser";
import { pdfPageCount, pdfText } from "../support/pdf-text";

const baseURL = inject("baseURL");
const BUSIEST_PRODUCT = "Payments Hub — Retail Banking EMEA";

type Csv = { fileName: string; header: string[]; rows: string[][] };

/** Clicks a download link and reads the file: UTF-8 with a BOM, parsed as CSV. */
async function download(page: Page, link: Locator): Promise<Csv> {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const bytes = await readFile((await file.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parse(bytes.subarray(3).toString("utf8")) as string[][];
  return { fileName: file.suggestedFilename(), header, rows };
}

/** The same checks as `download`, for an address fetched without a link on the page. */
async function fetchCsv(page: Page, href: string): Promise<Csv> {
  const response = await page.request.get(href);
  expect(response.status()).toBe(200);
  const bytes = await response.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const [header, ...rows] = parse(bytes.subarray(3).toString("utf8")) as string[][];
  const fileName = /filename="?([^";]+)"?/.exec(response.headers()["content-disposition"] ?? "")?.[1] ?? "";
  return { fileName, header, rows };
}

const today = () => new Date().toISOString().slice(0, 10);

describe("CSV exports and the printed profile", () => {
  let browser: Browser;
  let admin: Page;
  let viewer: Page;
  let productId: string; // an Americas product (the viewer's scope)
  let emeaProductId: string; // outside it

  const idOf = async (page: Page, name: string, type?: string) => {
    await page.goto(`/accounts?q=${encodeURIComponent(name)}${type ? `&type=${type}` : ""}`);
    const href = await page.locator('section[aria-label="Results"] a[href^="/accounts/"]:not([href^="/accounts/export"])').first().getAttribute("href");
    // Each row's link carries the list (`?list=…`, for j / k on the profile).
    expect(href).toMatch(/^\/accounts\/[0-9a-f-]{36}(\?|$)/);
    return href!.slice("/accounts/".length, "/accounts/".length + 36);
  };

  /**
   * A demo product of the viewer's region with contacts (a test below exports them), found through the
   * contacts export itself. Not simply the list's first product: browser tests that ran before this one
   * create products without contacts that may sort first, and may publish layouts without the
   * Contacts widget.
   */
  const americasProductWithContacts = async (page: Page) => {
    await page.goto(`/accounts?q=${encodeURIComponent("Americas")}&type=product`);
    const hrefs = await page.locator('section[aria-label="Results"] a[href^="/accounts/"]:not([href^="/accounts/export"])').evaluateAll((links) =>
      links.map((a) => a.getAttribute("href") ?? ""),
    );
    for (const href of hrefs.slice(0, 20)) {
      const id = href.slice("/accounts/".length, "/accounts/".length + 36);
      const csv = await page.request.get(`/accounts/export/${id}/contacts`);
      if (csv.ok() && (await csv.text()).trim().split("\n").length > 1) return id;
    }
    throw new Error(`none of the first ${Math.min(20, hrefs.length)} Americas products has contacts`);
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    [admin, viewer] = await Promise.all([newPage(baseURL, browser), newPage(baseURL, browser)]);
    await Promise.all([signIn(admin, baseURL, "admin@demo.test"), signIn(viewer, baseURL, "viewer@demo.test")]);
    emeaProductId = await idOf(admin, BUSIEST_PRODUCT);
    productId = await americasProductWithContacts(viewer);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("exports the accounts list with its filters, inside the viewer's scope", async () => {
    await viewer.goto("/accounts");
    const total = Number((await viewer.getByTestId("result-count").innerText()).match(/^(\d+)/)![1]);
    const link = viewer.getByRole("link", { name: "Download CSV" });
    expect(await link.getAttribute("href")).toBe("/accounts/export");
    const all = await download(viewer, link);
    expect(all.fileName).toBe(`accounts-${today()}.csv`);
    expect(all.header).toEqual(["Account", "Type", "Health", "Journey stage", "CSM", "Level", "Profile"]);
    expect(all.rows).toHaveLength(total);
    const names = all.rows.map((r) => r[0]);
    expect(names).toContain("Americas");
    for (const outside of ["EMEA", "APAC", BUSIEST_PRODUCT]) expect(names).not.toContain(outside);

    // The list's filters travel in the link; the file holds what the filtered list holds (all pages).
    await viewer.goto("/accounts?type=product&health=good&page=1");
    const filteredTotal = Number((await viewer.getByTestId("result-count").innerText()).match(/^(\d+)/)![1]);
    const filteredLink = viewer.getByRole("link", { name: "Download CSV" });
    expect(await filteredLink.getAttribute("href")).toBe("/accounts/export?type=product&health=good");
    const filtered = await download(viewer, filteredLink);
    expect(filtered.rows).toHaveLength(filteredTotal);
    expect(new Set(filtered.rows.map((r) => `${r[1]}/${r[2]}`))).toEqual(new Set(filteredTotal ? ["Product/good"] : []));

    // Admins see every account: more rows than the scoped viewer.
    await admin.goto("/accounts");
    expect((await download(admin, admin.getByRole("link", { name: "Download CSV" }))).rows.length).toBeGreaterThan(total);
  });

  it("answers a bad query with 400 and a sentence, a foreign account with 404, no session with the sign-in page", async () => {
    const bad = await viewer.request.get("/accounts/export?type=planet");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error).toContain("“planet” is not a type here");
    const unknown = await viewer.request.get("/accounts/export?colour=red");
    expect(unknown.status()).toBe(400);
    expect((await unknown.json()).error).toMatch(/Unknown filter “colour”. Allowed: q, type/);
    expect((await viewer.request.get(`/accounts/export/${productId}/timeline?from=2025-13-45`)).status()).toBe(400);
    expect((await viewer.request.get(`/accounts/export/${productId}/usage?period=12345`)).status()).toBe(400);
    for (const list of ["timeline", "contacts", "usage", "tasks"]) {
      expect((await viewer.request.get(`/accounts/export/${emeaProductId}/${list}`)).status()).toBe(404);
      expect((await viewer.request.get(`/accounts/export/not-an-id/${list}`)).status()).toBe(404);
    }
    // Signed out, the proxy sends every /accounts/… address to the sign-in page first.
    const anonymous = await browser.newContext({ baseURL });
    const signedOut = await anonymous.request.get("/accounts/export?type=product", { maxRedirects: 0 });
    expect(signedOut.status()).toBe(302);
    expect(signedOut.headers().location).toContain("/login?next=%2Faccounts%2Fexport%3Ftype%3Dproduct");
    await anonymous.close();
  });

  it("exports an account's timeline, contacts, usage and tasks from their own links", async () => {
    await viewer.goto(`/accounts/${productId}`);
    const contactsLink = viewer.getByRole("link", { name: "Download contacts (CSV)" });
    // Earlier browser tests may have published a layout without the Contacts widget for this viewer's
    // team: then the same address the widget links to is fetched directly.
    const contacts = (await contactsLink.count()) ? await download(viewer, contactsLink) : await fetchCsv(viewer, `/accounts/export/${productId}/contacts`);
    expect(contacts.header).toEqual(["Name", "Title", "Email", "Role", "Key contact"]);
    expect(contacts.rows.length).toBeGreaterThan(0);
    expect(contacts.fileName).toMatch(new RegExp(`-contacts-${today()}\\.csv$`));

    await viewer.goto(`/accounts/${productId}?tab=timeline&kind=touchpoint`);
    const count = Number((await viewer.locator("#timeline-heading + p").innerText()).replace(/,/g, "").match(/^(\d+)/)![1]);
    const timeline = await download(viewer, viewer.getByRole("link", { name: "Download CSV" }));
    expect(timeline.header).toEqual(["When", "Kind", "Title", "Account", "By", "Details"]);
    expect(timeline.rows).toHaveLength(count);
    expect(new Set(timeline.rows.map((r) => r[1]))).toEqual(new Set(count ? ["touchpoint"] : []));

    await viewer.goto(`/accounts/${productId}?tab=usage&period=30`);
    const usage = await download(viewer, viewer.getByRole("link", { name: "Download CSV" }));
    expect(usage.header).toEqual(["Day", "Breakdown", "Series", "Events"]);
    expect(new Set(usage.rows.map((r) => r[1]))).toEqual(new Set(["module", "activity", "user"]));
    const moduleEvents = usage.rows.filter((r) => r[1] === "module").reduce((sum, r) => sum + Number(r[3]), 0);
    const shown = Number((await viewer.getByRole("heading", { name: "Usage", exact: true }).locator("xpath=following-sibling::p[1]").innerText()).replace(/,/g, "").match(/^(\d+)/)![1]);
    expect(moduleEvents).toBe(shown);

    // Tasks: the busiest product (many open and done), through the admin, who sees it.
    await admin.goto(`/accounts/${emeaProductId}?tab=plan&done=1`);
    const tasks = await download(admin, admin.getByRole("link", { name: "Download CSV" }));
    expect(tasks.header[0]).toBe("Task");
    const [open, done] = (await admin.locator("#plan-tasks-heading + p").innerText()).match(/\d+/g)!.map(Number);
    expect(open + done).toBeGreaterThan(5);
    expect(tasks.rows.length).toBe(open + done);
  });

  it("exports My portfolio's accounts and open tasks", async () => {
    const csm = await newPage(baseURL, browser);
    await signIn(csm, baseURL, "csm@demo.test");
    await csm.goto("/");
    const mine = Number((await csm.locator("#my-accounts span").innerText()).match(/\d+/)![0]);
    const accounts = await download(csm, csm.locator('section[aria-labelledby="my-accounts"]').getByRole("link", { name: "Download CSV" }));
    expect(accounts.rows).toHaveLength(mine);
    expect(accounts.header).toContain("My role");
    const openTasks = Number((await csm.locator("#my-tasks span").innerText()).match(/\d+/)![0]);
    const tasks = await download(csm, csm.locator('section[aria-labelledby="my-tasks"]').getByRole("link", { name: "Download CSV" }));
    expect(tasks.rows.length).toBeGreaterThanOrEqual(openTasks); // the page shows the first 50
    await csm.close();
  });

  it("prints a profile to a clean PDF: the account and its widgets, no navigation or controls", async () => {
    await admin.goto(`/accounts/${emeaProductId}`);
    await expect(admin.getByRole("button", { name: "Print / PDF" }).count()).resolves.toBe(1);
    await admin.waitForLoadState("networkidle");
    await expect.poll(() => admin.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
    await admin.emulateMedia({ media: "print" });
    await admin.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi, as the PDF lays it out
    await screenshot(admin, "print-profile");
    // Sheet-sized views of the print layout, to look at (A4 at 96 dpi is 794 × 1123).
    for (let sheet = 0; sheet < 3; sheet++) {
      await admin.screenshot({ path: path.join(SCREENSHOT_DIR, `print-profile-${sheet + 1}.png`), fullPage: true, clip: { x: 0, y: sheet * 1123, width: 794, height: 1123 } });
    }
    const pdf = await admin.pdf({ format: "A4", printBackground: true });
    await writeFile(path.join(SCREENSHOT_DIR, "print-profile.pdf"), pdf);
    await admin.emulateMedia({ media: "screen" });
    await admin.setViewportSize({ width: 1280, height: 800 });

    expect(pdfPageCount(pdf)).toBeGreaterThan(0);
    const text = pdfText(pdf).replace(/\s+/g, " ");
    expect(text).toContain(BUSIEST_PRODUCT);
    expect(text).toContain("Health");
    for (const chrome of ["Sign out", "My portfolio", "Quick actions", "Log touchpoint", "Print / PDF", "Share link", "Download CSV"]) {
      expect(text, `the PDF prints “${chrome}”`).not.toContain(chrome);
    }
  });
});
