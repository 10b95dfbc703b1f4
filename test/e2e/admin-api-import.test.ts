/**
 * The admin side of issue 8 in a real browser: an API token created on /admin/api-tokens is shown
 * once, works against /api/v1, shows when it was last used, and stops working when revoked; the CSV
 * import maps columns by header name (editable), says which required column is missing, shows a
 * progress bar, lists a bad row with its line and reason, and imports the rest.
 */
import { createHash, randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { closeBrowser, launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/** Serious or critical axe violations on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

async function postUsage(token: string, accountExternalId: string) {
  return fetch(new URL("/api/v1/usage-events", baseURL), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ events: [{ accountExternalId, module: "alerts", activity: "create_alert", occurredAt: "2026-11-20T08:00:00Z" }] }),
  });
}

describe("admin: API tokens and CSV import", () => {
  let page: Page;
  let handle: DatabaseHandle;
  let lob: string;
  let product: string;
  const one = async <T>(query: ReturnType<typeof sql>) => ((await handle.db.execute(query)) as unknown as { rows: T[] }).rows[0];

  beforeAll(async () => {
    await launchBrowser();
    page = await newPage(baseURL);
    await signIn(page, baseURL, "admin@demo.test");
    handle = await openDatabase({ driver: "pg", url: inject("e2eDatabaseUrl"), poolSize: 2 });
    lob = (await one<{ e: string }>(sql`select a.external_id as e from accounts a join account_types t on t.id = a.type_id where t.key = 'line_of_business' order by 1 limit 1`)).e;
    product = (await one<{ e: string }>(sql`select a.external_id as e from accounts a join account_types t on t.id = a.type_id where t.key = 'product' order by 1 limit 1`)).e;
  });
  afterAll(async () => {
    await handle?.close();
    await closeBrowser();
  });

  it("creates a token shown once, which works until it is revoked", async () => {
    await page.goto("/admin/api-tokens");
    await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
    // Nothing ticked: the form says what is missing.
    await page.getByRole("textbox", { name: "Name" }).fill("Usage feed (browser test)");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByText("Tick at least one thing the token may read or write.").waitFor();
    await page.getByRole("textbox", { name: "Name" }).fill("Usage feed (browser test)");
    await page.getByLabel(/^Usage events/).check();
    await page.getByRole("button", { name: "Create token" }).click();
    const tokenBox = page.getByLabel(/Token for/);
    await tokenBox.waitFor();
    const token = await tokenBox.inputValue();
    expect(token).toMatch(/^c360_[\w-]{40,}$/);
    await screenshot(page, "admin-api-token-created");
    expect(await axeProblems(page)).toEqual([]);
    // Stored as a hash only.
    const stored = await one<{ n: number }>(sql`select count(*)::int as n from api_tokens where token_hash = encode(sha256(${token}::bytea), 'hex')`);
    expect(stored.n).toBe(1);
    const plain = await one<{ n: number }>(sql`select count(*)::int as n from api_tokens where token_hash = ${token} or prefix = ${token}`);
    expect(plain.n).toBe(0);

    expect((await postUsage(token, product)).status).toBe(200);
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "Usage feed (browser test)" });
    await expect.poll(async () => (await row.textContent()) ?? "").not.toContain("Never");
    // The token is not shown again.
    expect(await page.content()).not.toContain(token);

    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: /Revoke/ }).click();
    await row.getByText(/Revoked/).waitFor();
    await screenshot(page, "admin-api-tokens-list");
    const refused = await postUsage(token, product);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toMatch(/revoked/);
  });

  it("imports accounts from a CSV: mapping preview, a missing column, a bad row with its line, the rest imported", async () => {
    await page.goto("/admin/import");
    await page.getByRole("heading", { name: "Import CSV", level: 1 }).waitFor();
    // An empty file is refused with a clear message.
    await page.getByLabel("CSV file").setInputFiles({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from("") });
    await page.getByText("The file is empty.").waitFor();

    const csv = [
      "Account ID,Account name,Kind,Parent",
      `csv-prod-1,CSV Product One,product,${lob}`,
      `csv-prod-2,"CSV Product, Two",product,${lob}`,
      "csv-prod-3,CSV Orphan,product,no-such-parent",
      `csv-prod-4,CSV Product Four,product,${lob}`,
    ].join("\n");
    await page.getByLabel("CSV file").setInputFiles({ name: "accounts.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByText("accounts.csv: 4 rows").waitFor();
    // Auto-mapped by header name; "Kind" is not a known name for the type column.
    expect(await page.getByLabel("External id", { exact: true }).locator("option:checked").textContent()).toBe("Account ID");
    expect(await page.getByLabel("Name", { exact: true }).locator("option:checked").textContent()).toBe("Account name");
    expect(await page.getByLabel("Parent external id").locator("option:checked").textContent()).toBe("Parent");
    await page.getByText("Missing required column: Type key").waitFor();
    expect(await page.getByRole("button", { name: /^Import 4 rows/ }).isDisabled()).toBe(true);
    await screenshot(page, "admin-import-mapping-missing");
    await page.getByLabel("Type key").selectOption({ label: "Kind" });
    await page.getByRole("button", { name: "Import 4 rows" }).click();
    await page.getByRole("progressbar", { name: "Import progress" }).waitFor();
    await page.getByText("Imported 3 of 4 rows; 1 row not imported.").waitFor();
    const errors = page.getByRole("table", { name: "Rows not imported" });
    const bad = errors.getByRole("row").filter({ hasText: "no-such-parent" });
    expect(await bad.getByRole("cell").first().textContent()).toBe("4");
    expect(await bad.textContent()).toMatch(/Parent external id: No account has the external id “no-such-parent”/);
    await screenshot(page, "admin-import-done");
    expect(await axeProblems(page)).toEqual([]);
    const imported = await one<{ n: number }>(sql`select count(*)::int as n from accounts where external_id in ('csv-prod-1', 'csv-prod-2', 'csv-prod-4')`);
    expect(imported.n).toBe(3);
    const orphan = await one<{ n: number }>(sql`select count(*)::int as n from accounts where external_id = 'csv-prod-3'`);
    expect(orphan.n).toBe(0);
    const named = await one<{ name: string }>(sql`select name from accounts where external_id = 'csv-prod-2'`);
    expect(named.name).toBe("CSV Product, Two");
  });

  it("imports usage events with a refused row and says what is wrong with a file that is not CSV", async () => {
    await page.goto("/admin/import");
    await page.getByLabel("Usage events").check();
    await page.getByLabel("CSV file").setInputFiles({ name: "photo.csv", mimeType: "text/csv", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]) });
    await page.getByText(/This is not a CSV file/).waitFor();
    const csv = ["account;module;activity;timestamp;count", `${product};alerts;resolve_alert;2026-11-18;2`, `csv-no-such-account;alerts;resolve_alert;2026-11-18T10:00:00Z;1`, `csv-prod-1;alerts;resolve_alert;2026-11-18 09:30:00;5`].join("\n");
    const before = await one<{ n: number }>(sql`select coalesce(sum(count), 0)::int as n from usage_events`);
    await page.getByLabel("CSV file").setInputFiles({ name: "usage.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Import 3 rows" }).click();
    await page.getByText("Imported 2 of 3 rows; 1 row not imported.").waitFor();
    const row = page.getByRole("table", { name: "Rows not imported" }).getByRole("row").filter({ hasText: "csv-no-such-account" });
    expect(await row.getByRole("cell").first().textContent()).toBe("3");
    const after = await one<{ n: number }>(sql`select coalesce(sum(count), 0)::int as n from usage_events`);
    expect(after.n - before.n).toBe(7);
  });

  // Rate limits (issue 17): recent use per token, and the per-token limit set on the page.
  it("shows each token's recent use and sets its requests-a-minute limit", async () => {
    const token = `c360_${randomBytes(32).toString("base64url")}`;
    await handle.db.execute(sql`insert into api_tokens (name, prefix, token_hash, scopes, created_by, rate_limit_per_minute)
      select 'Rate limited (browser test)', ${token.slice(0, 11)}, ${createHash("sha256").update(token).digest("hex")}, '{support:read}', id, 2 from users where email = 'admin@demo.test'`);
    const seconds = new Date().getUTCSeconds();
    if (seconds > 55) await new Promise((r) => setTimeout(r, (61 - seconds) * 1000));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(new URL("/api/v1/tickets?limit=1", baseURL), { headers: { Authorization: `Bearer ${token}` } })).status);
    expect(statuses).toEqual([200, 200, 429]);
    await page.goto("/admin/api-tokens");
    const row = page.getByRole("row", { name: /Rate limited \(browser test\)/ });
    await row.getByText("Refused (429)").waitFor();
    await row.getByText("3 of 2").waitFor();
    const limit = row.getByRole("textbox", { name: /Requests a minute for/ });
    await limit.fill("lots");
    await row.getByRole("button", { name: /Save/ }).click();
    await row.getByText("Enter a whole number of requests a minute.").waitFor();
    await limit.fill("1200");
    await row.getByRole("button", { name: /Save/ }).click();
    await row.getByText("Saved.").waitFor();
    const saved = await one<{ n: number }>(sql`select rate_limit_per_minute as n from api_tokens where token_hash = ${createHash("sha256").update(token).digest("hex")}`);
    expect(saved.n).toBe(1200);
    await screenshot(page, "admin-api-tokens-rate-limits");
  });
});
