import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const TABS = ["overview", "timeline", "plan", "usage", "assets", "revenue"];

/** axe on every profile tab of a product and a region, the portfolio, search and a contact. */
describe("accessibility (axe)", () => {
  let browser: Browser;
  let lanes: Page[];
  const pages: Record<string, string> = {};

  beforeAll(async () => {
    const db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    const id = async (name: string) => (await db.query("select id from accounts where name = $1", [name])).rows[0].id as string;
    const product = await id("Payments Hub — Retail Banking EMEA");
    const region = await id("EMEA");
    const contact = (await db.query("select contact_id from account_contacts group by contact_id having count(*) > 1 limit 1")).rows[0].contact_id;
    await db.end();
    for (const tab of TABS) {
      pages[`product ${tab}`] = `/accounts/${product}?tab=${tab}`;
      pages[`region ${tab}`] = `/accounts/${region}?tab=${tab}`;
    }
    pages["product recent changes"] = `/accounts/${product}?view=recent&period=30`;
    pages["product all attributes"] = `/accounts/${product}?view=all`;
    pages.portfolio = "/";
    pages.search = "/accounts";
    pages.contact = `/contacts/${contact}`;
    browser = await launchBrowser();
    // axe needs a page made from an explicit context.
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, baseURL, "csm@demo.test");
    // Two tabs of the one signed-in context audit half the pages each: the server renders one page
    // while axe reads the other (the file took ~65 s one page at a time).
    lanes = [page, await context.newPage()];
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("finds no serious or critical violation", async () => {
    const found: string[] = [];
    const entries = Object.entries(pages);
    await Promise.all(
      lanes.map(async (page, lane) => {
        for (const [name, path] of entries.filter((_, i) => i % lanes.length === lane)) {
          await page.goto(`${baseURL}${path}`);
          await page.waitForLoadState("networkidle");
          // Charts are drawn after hydration; check them as users get them.
          await page.waitForTimeout(300);
          const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
          for (const v of results.violations) {
            if (v.impact === "serious" || v.impact === "critical") {
              found.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
            }
          }
        }
      }),
    );
    expect(found, found.join("\n")).toEqual([]);
  }, 240_000);
});
