/**
 * From an empty database to a working team (issue 15): a production server on an empty Postgres
 * database with demo mode off; the sign-in page says how to make the first admin; `npm run
 * user:create` prints a link; the admin sets a password, signs in, invites a member in
 * /admin/users; the member sets a password through the invitation and signs in; the admin disables
 * the member, and the member's open session is refused on their next request.
 *
 * Then the setup an admin does before a team starts work, all through the UI (the database is only
 * read, to check): account types Region > Product; a privileged currency attribute on Product and
 * its SUM rollup on Region; a lifecycle; a CSV import of 3 regions and 50 products; contract values
 * through the API with a token made in /admin/api-tokens (the accounts import carries no attribute
 * columns); a team seeing both regions and a CSM invited into it; ten products bulk-assigned to the
 * CSM; the CSM's portfolio, the privileged value on an assigned product only, a move of one product
 * to another region; and the regions' rolled-up totals, on their profiles and in the rollup table.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, screenshot } from "../support/browser";
import { formatAttribute } from "@/lib/format";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function userCreate(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|PGLITE_DIR|AUTH_URL|PUBLIC_URL|DEMO_MODE|SEED_ON_START)$/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["scripts/user-create.ts", ...args], { cwd: repoRoot, env: { ...base, NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fills the set-password form and lands on the sign-in page. */
async function setPassword(page: Page, password: string): Promise<void> {
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Type it again").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();
  await page.waitForURL((u) => u.pathname === "/login");
}

async function signInWith(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 });
}

/** Reads the database to check what the UI did (never writes). */
async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The profile's text once every widget has streamed in (skeletons are aria-busy until then). */
async function profileText(page: Page): Promise<string> {
  await page.getByRole("heading", { level: 1 }).waitFor();
  await expect.poll(() => page.locator("main [aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
  return (await page.getByRole("main").textContent()) ?? "";
}

const REGIONS = [
  { externalId: "reg-north", name: "North" },
  { externalId: "reg-south", name: "South" },
  { externalId: "reg-west", name: "West" },
];
/** 50 products spread over the regions, each with its own contract value. */
const PRODUCTS = Array.from({ length: 50 }, (_, i) => ({
  externalId: `prod-${String(i + 1).padStart(3, "0")}`,
  name: `Product ${String(i + 1).padStart(3, "0")}`,
  parent: REGIONS[i % 3].externalId,
  contractValue: 1_000 + (i + 1) * 137,
}));

describe("a new installation: empty Postgres, demo off", () => {
  let app: AppServer;
  let browser: Browser;
  let dbUrl: string;
  let adminContext: BrowserContext;
  let memberContext: BrowserContext;
  let admin: Page;
  let member: Page;
  let inviteUrl = "";
  let csmContext: BrowserContext;
  let csm: Page;
  let csmInviteUrl = "";
  const assigned: string[] = [];

  beforeAll(async () => {
    const server = new URL(inject("e2eDatabaseUrl"));
    server.pathname = "/postgres";
    const client = new pg.Client({ connectionString: server.toString() });
    await client.connect();
    await client.query("drop database if exists c360_install with (force)");
    await client.query("create database c360_install");
    await client.end();
    server.pathname = "/c360_install";
    dbUrl = server.toString();
    app = await startAppServer(dbUrl, { DEMO_MODE: "false", SEED_ON_START: "false" });
    browser = await launchBrowser();
    adminContext = await browser.newContext({ baseURL: app.baseURL, viewport: { width: 1280, height: 900 } });
    memberContext = await browser.newContext({ baseURL: app.baseURL, viewport: { width: 1280, height: 800 } });
    admin = await adminContext.newPage();
    member = await memberContext.newPage();
    csmContext = await browser.newContext({ baseURL: app.baseURL, viewport: { width: 1280, height: 900 } });
    csm = await csmContext.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("the sign-in page lists no demo users and says how to create the first admin", async () => {
    await admin.goto("/login");
    const notice = admin.getByTestId("first-admin");
    await expect(notice.textContent()).resolves.toContain('npm run user:create -- --email you@example.com --name "Your Name" --role admin');
    await expect(admin.getByText("Demo sign-in").count()).resolves.toBe(0);
    await expect(admin.getByRole("button", { name: /Sign in as/ }).count()).resolves.toBe(0);
    await screenshot(admin, "install-login-no-users");
    // Empty means empty: only the reserved Opportunity type, created by the migrations.
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    const types = await client.query("select key, is_opportunity from account_types");
    const counts = await client.query("select (select count(*) from accounts)::int as accounts, (select count(*) from users)::int as users");
    await client.end();
    expect(types.rows).toEqual([{ key: "opportunity", is_opportunity: true }]);
    expect(counts.rows[0]).toEqual({ accounts: 0, users: 0 });
  });

  it("user:create prints a link; the admin sets a password (checked twice) and signs in", { timeout: 180_000 }, async () => {
    const run = await userCreate(["--email", "ada@example.com", "--name", "Ada Admin", "--role", "admin"], { DATABASE_URL: dbUrl, AUTH_URL: app.baseURL });
    expect(run.code, run.stderr).toBe(0);
    const link = run.stdout.match(/^(http\S+\/set-password\/\S+)$/m)?.[1];
    expect(link, run.stdout).toBeTruthy();
    expect(link!.startsWith(`${app.baseURL}/set-password/`)).toBe(true);

    await admin.goto(link!);
    await expect(admin.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Set your password");
    await screenshot(admin, "install-set-password");
    // Two different passwords: a clear error beside the second field, nothing spent.
    await admin.getByLabel("New password").fill("correct horse battery");
    await admin.getByLabel("Type it again").fill("correct horse battery!");
    await admin.getByRole("button", { name: "Set password" }).click();
    await expect(admin.locator("#confirm-error").textContent()).resolves.toMatch(/differ/);
    await setPassword(admin, "correct horse battery");
    await expect(admin.getByRole("status").first().textContent()).resolves.toMatch(/Your password is set/);
    await expect(admin.getByTestId("first-admin").count()).resolves.toBe(0);
    await signInWith(admin, "ada@example.com", "correct horse battery");

    // The link worked once.
    await admin.goto(link!);
    await expect(admin.getByTestId("link-problem").getAttribute("data-problem")).resolves.toBe("used");
  });

  it("the admin invites a member and gets a one-time link to pass on", async () => {
    await admin.goto("/admin/users");
    const form = admin.getByRole("form", { name: "New user" });
    await form.getByLabel("Email").fill("mia@example.com");
    await form.getByLabel("Name").fill("Mia Member");
    await form.getByLabel("Role").selectOption("member");
    await form.getByRole("button", { name: "Invite user" }).click();
    const box = admin.getByTestId("password-link");
    await box.waitFor();
    inviteUrl = await box.getByRole("textbox").inputValue();
    expect(inviteUrl).toMatch(new RegExp(`^${app.baseURL.replace(/[.:/]/g, "\\$&")}/set-password/[A-Za-z0-9_-]{43}$`));
    await screenshot(admin, "install-users-invite-link");
  });

  it("the member sets a password from the invitation (fresh browser) and signs in", async () => {
    await member.goto(inviteUrl);
    await expect(member.getByText("mia@example.com").count()).resolves.toBeGreaterThan(0);
    await setPassword(member, "mia's long password");
    await signInWith(member, "mia@example.com", "mia's long password");
    await expect(member.getByRole("navigation", { name: "Main" }).textContent()).resolves.toContain("Mia Member");
  });

  it("disabling the member refuses their open session on the next request", async () => {
    await admin.goto("/admin/users");
    const row = admin.getByTestId("user-row").filter({ hasText: "mia@example.com" });
    await row.locator("summary").click();
    const edit = row.getByRole("form", { name: "Edit Mia Member" });
    await edit.getByLabel("Disabled (cannot sign in)").check();
    await edit.getByRole("button", { name: "Save Mia Member" }).click();
    await expect(edit.getByTestId("form-success").textContent()).resolves.toMatch(/saved/);

    // Same cookie as before: the page answers with the sign-in page, not the portfolio (no loop).
    const answer = await memberContext.request.get("/", { maxRedirects: 0 });
    expect(answer.status()).toBe(307);
    expect(new URL(answer.headers().location, app.baseURL).pathname).toBe("/login");
    await member.goto("/");
    expect(new URL(member.url()).pathname).toBe("/login");
    await expect(member.getByRole("heading", { name: "Sign in" }).count()).resolves.toBe(1);
    // And the password no longer signs in.
    await member.getByLabel("Email", { exact: true }).fill("mia@example.com");
    await member.getByLabel("Password", { exact: true }).fill("mia's long password");
    await member.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(member.locator("#login-error").textContent()).resolves.toBe("Wrong email or password.");
  });

  it("the admin makes the account types Region > Product", async () => {
    await admin.goto("/admin/account-types");
    const create = async (name: string, plural: string, key: string, level: number, parent?: string) => {
      const form = admin.getByRole("main").locator("form").filter({ has: admin.getByRole("button", { name: "Create account type" }) });
      await form.getByLabel("Name", { exact: true }).fill(name);
      await form.getByLabel("Plural name").fill(plural);
      await form.getByLabel("Key", { exact: true }).fill(key);
      await form.getByLabel("Level").fill(String(level));
      if (parent) await form.getByLabel(parent, { exact: true }).check();
      await form.getByRole("button", { name: "Create account type" }).click();
      await admin.getByTestId(`parents-${key}`).waitFor({ timeout: 30_000 });
    };
    await create("Region", "Regions", "region", 0);
    await create("Product", "Products", "product", 1, "Region");
    await expect(admin.getByTestId("parents-region").textContent()).resolves.toBe("Top level (no parent)");
    await expect(admin.getByTestId("parents-product").textContent()).resolves.toBe("Region");
    await screenshot(admin, "setup-account-types");
  });

  it("the admin adds a privileged contract value on Product and its sum on Region", async () => {
    const types = await query<{ id: string; key: string }>(dbUrl, "select id, key from account_types where key in ('region', 'product')");
    const typeId = (key: string) => types.find((t) => t.key === key)!.id;
    const create = async (type: string, fill: (form: ReturnType<Page["getByTestId"]>) => Promise<void>, label: string) => {
      await admin.goto(`/admin/attributes?type=${typeId(type)}`);
      const form = admin.getByTestId("form-new-attribute");
      await fill(form);
      await form.getByRole("button", { name: "Create attribute" }).click();
      await admin.getByRole("status").filter({ hasText: `Attribute “${label}” created.` }).waitFor({ timeout: 30_000 });
    };
    await create("product", async (form) => {
      await form.getByLabel("Key", { exact: true }).fill("contract_value");
      await form.getByLabel("Label").fill("Contract value");
      await form.getByLabel("Data type").selectOption("currency");
      await form.getByLabel(/^Key info/).check();
      await form.getByLabel(/^Privileged/).check();
    }, "Contract value");
    await create("region", async (form) => {
      await form.getByLabel("Key", { exact: true }).fill("contract_value");
      await form.getByLabel("Label").fill("Contract value");
      await form.getByLabel("Data type").selectOption("currency");
      await form.getByLabel("Roll up from sub-accounts").selectOption("sum");
      await form.getByLabel(/^Key rolled up/).fill("contract_value");
      await form.getByLabel(/^Key info/).check();
    }, "Contract value");
    await expect(admin.getByTestId("attribute-contract_value").textContent()).resolves.toContain("Sum of contract_value");
    await screenshot(admin, "setup-attributes-region");
    const defs = await query<{ type: string; data_type: string; privileged: boolean; rollup_rule: string; rollup_source_key: string | null }>(
      dbUrl,
      `select t.key as type, d.data_type, d.privileged, d.rollup_rule, d.rollup_source_key from attribute_definitions d join account_types t on t.id = d.account_type_id
        where d.key = 'contract_value' order by t.key`,
    );
    expect(defs).toEqual([
      { type: "product", data_type: "currency", privileged: true, rollup_rule: "none", rollup_source_key: null },
      { type: "region", data_type: "currency", privileged: false, rollup_rule: "sum", rollup_source_key: "contract_value" },
    ]);
  });

  it("the admin makes a lifecycle with stages", async () => {
    await admin.goto("/admin/lifecycles");
    const form = admin.getByTestId("form-new-lifecycle");
    await form.getByLabel("Name").fill("Customer journey");
    await form.getByLabel("Key").fill("journey");
    await form.getByRole("button", { name: "Create lifecycle" }).click();
    const section = admin.getByTestId("lifecycle-journey");
    await section.waitFor({ timeout: 30_000 });
    for (const [name, key] of [["Onboarding", "onboarding"], ["Adoption", "adoption"], ["Renewal", "renewal"]]) {
      await section.getByLabel("New stage").fill(name);
      await section.getByLabel("Key").fill(key);
      await section.getByRole("button", { name: "Add stage" }).click();
      await section.getByTestId(`stage-journey-${key}`).waitFor({ timeout: 30_000 });
    }
    await screenshot(admin, "setup-lifecycle");
    const stages = await query<{ key: string }>(dbUrl, "select s.key from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'journey' order by s.position");
    expect(stages.map((s) => s.key)).toEqual(["onboarding", "adoption", "renewal"]);
  });

  it("the admin imports 3 regions and 50 products from a CSV", { timeout: 120_000 }, async () => {
    const lines = ["External id,Name,Type,Parent", ...REGIONS.map((r) => `${r.externalId},${r.name},region,`), ...PRODUCTS.map((p) => `${p.externalId},${p.name},product,${p.parent}`)];
    await admin.goto("/admin/import");
    await admin.getByRole("heading", { name: "Import CSV", level: 1 }).waitFor();
    await admin.getByLabel("CSV file").setInputFiles({ name: "portfolio.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
    await admin.getByText("portfolio.csv: 53 rows").waitFor();
    await admin.getByRole("button", { name: "Import 53 rows" }).click();
    await admin.getByText("Imported 53 of 53 rows.").waitFor({ timeout: 60_000 });
    await screenshot(admin, "setup-import-done");
    const counts = await query<{ key: string; n: number }>(dbUrl, "select t.key, count(*)::int as n from accounts a join account_types t on t.id = a.type_id group by t.key order by t.key");
    expect(counts).toEqual([{ key: "product", n: 50 }, { key: "region", n: 3 }]);
    const placed = await query<{ child: string; parent: string }>(
      dbUrl,
      "select c.external_id as child, p.external_id as parent from accounts c join accounts p on p.id = c.parent_id where c.external_id like 'prod-%'",
    );
    expect(new Map(placed.map((r) => [r.child, r.parent]))).toEqual(new Map(PRODUCTS.map((p) => [p.externalId, p.parent])));
  });

  it("the contract values arrive through the API, with a token the admin makes", { timeout: 120_000 }, async () => {
    // The accounts CSV import has no attribute columns (lib/import/csv.ts), so the values take the
    // API path an integration would: POST /api/v1/attribute-values.
    await admin.goto("/admin/api-tokens");
    await admin.getByRole("textbox", { name: "Name" }).fill("CRM contract values");
    await admin.getByLabel(/^Attribute values/).check();
    await admin.getByRole("button", { name: "Create token" }).click();
    const tokenBox = admin.getByLabel(/Token for/);
    await tokenBox.waitFor();
    const token = await tokenBox.inputValue();
    const answer = await adminContext.request.post("/api/v1/attribute-values", {
      headers: { authorization: `Bearer ${token}` },
      data: { values: PRODUCTS.map((p) => ({ accountExternalId: p.externalId, key: "contract_value", value: p.contractValue })) },
    });
    expect(answer.status(), await answer.text()).toBe(200);
    const stored = await query<{ n: number }>(
      dbUrl,
      "select count(*)::int as n from attribute_values v join attribute_definitions d on d.id = v.attribute_id where d.key = 'contract_value'",
    );
    expect(stored[0].n).toBe(50);
  });

  it("the admin makes a team that sees every region, and invites a CSM into it", async () => {
    const regions = await query<{ id: string }>(dbUrl, "select a.id from accounts a join account_types t on t.id = a.type_id where t.key = 'region'");
    await admin.goto("/admin/teams");
    const form = admin.getByRole("form", { name: "New team" });
    await form.getByLabel("Key").fill("customer-success");
    await form.getByLabel("Name").fill("Customer success");
    for (const r of regions) await form.locator(`input[name=rootIds][value="${r.id}"]`).check();
    await form.getByRole("button", { name: "Create team" }).click();
    await admin.getByTestId("team-row").filter({ hasText: "Customer success" }).waitFor({ timeout: 30_000 });
    await screenshot(admin, "setup-team");

    await admin.goto("/admin/users");
    const invite = admin.getByRole("form", { name: "New user" });
    await invite.getByLabel("Email").fill("carl@example.com");
    await invite.getByLabel("Name").fill("Carl CSM");
    await invite.getByLabel("Role").selectOption("member");
    await invite.getByLabel("Customer success").check();
    await invite.getByRole("button", { name: "Invite user" }).click();
    const box = admin.getByTestId("password-link");
    await box.waitFor();
    csmInviteUrl = await box.getByRole("textbox").inputValue();
    await csm.goto(csmInviteUrl);
    await setPassword(csm, "carl's long password");
    await signInWith(csm, "carl@example.com", "carl's long password");
    const teams = await query<{ key: string }>(dbUrl, "select t.key from team_members m join teams t on t.id = m.team_id join users u on u.id = m.user_id where u.email = 'carl@example.com'");
    expect(teams.map((t) => t.key)).toEqual(["customer-success"]);
  });

  it("the admin bulk-assigns ten products to the CSM as CSM", { timeout: 120_000 }, async () => {
    const [carl] = await query<{ id: string }>(dbUrl, "select id from users where email = 'carl@example.com'");
    await admin.goto("/accounts?type=product");
    const bar = admin.getByTestId("bulk-bar");
    await bar.waitFor();
    const rows = admin.locator("tbody tr");
    for (let i = 0; i < 10; i++) {
      const row = rows.nth(i);
      assigned.push((await row.getByRole("link").first().textContent())!.trim());
      const box = row.getByRole("checkbox");
      await expect.poll(async () => {
        if (!(await box.isChecked())) await box.check();
        return bar.getByTestId("bulk-selected").textContent();
      }, { timeout: 15_000 }).toBe(`${i + 1} selected`);
    }
    await bar.getByLabel("Assign", { exact: true }).selectOption(carl.id);
    await bar.getByLabel("as", { exact: true }).selectOption("CSM");
    await screenshot(admin, "setup-bulk-assign");
    await bar.getByRole("button", { name: "Assign to selected" }).click();
    await bar.getByRole("status").filter({ hasText: "Carl CSM assigned as CSM to 10 accounts." }).waitFor({ timeout: 30_000 });
    const held = await query<{ name: string; role: string }>(
      dbUrl,
      "select a.name, x.role from assignments x join accounts a on a.id = x.account_id where x.user_id = $1 order by a.name",
      [carl.id],
    );
    expect(held.map((h) => h.name)).toEqual([...assigned].sort());
    expect(new Set(held.map((h) => h.role))).toEqual(new Set(["CSM"]));
  });

  it("the CSM's portfolio lists exactly those ten; the contract value shows on an assigned product only", { timeout: 120_000 }, async () => {
    await csm.goto("/");
    const portfolio = csm.locator("section[aria-labelledby=my-accounts]");
    await portfolio.waitFor();
    const listed = await portfolio.locator("tbody tr").allTextContents();
    expect(listed).toHaveLength(10);
    for (const name of assigned) expect(listed.some((row) => row.includes(name)), `${name} in My portfolio`).toBe(true);
    await screenshot(csm, "setup-csm-portfolio");

    const mine = PRODUCTS.find((p) => p.name === assigned[0])!;
    const other = PRODUCTS.find((p) => !assigned.includes(p.name))!;
    const ids = await query<{ id: string; external_id: string }>(dbUrl, "select id, external_id from accounts where external_id = any($1)", [[mine.externalId, other.externalId]]);
    const idOf = (ext: string) => ids.find((r) => r.external_id === ext)!.id;

    await csm.goto(`/accounts/${idOf(mine.externalId)}`);
    await csm.getByRole("heading", { level: 1, name: mine.name }).waitFor();
    const shown = await profileText(csm);
    expect(shown).toContain("Contract value");
    expect(shown).toContain(formatAttribute("currency", mine.contractValue));
    // A new installation has no collections: the built-in layout's CRM table is skipped, not a notice to the CSM.
    expect(shown).not.toContain("There is no collection");
    await screenshot(csm, "setup-csm-assigned-product");
    await csm.goto(`/accounts/${idOf(mine.externalId)}?view=all`);
    await expect(profileText(csm)).resolves.toContain(formatAttribute("currency", mine.contractValue));

    // Visible through the team's scope, but not assigned: no contract value, in Key Info or in All.
    for (const view of ["", "?view=all"]) {
      await csm.goto(`/accounts/${idOf(other.externalId)}${view}`);
      await csm.getByRole("heading", { level: 1, name: other.name }).waitFor();
      const text = await profileText(csm);
      expect(text).toContain(other.name);
      expect(text).not.toContain("Contract value");
      expect(text).not.toContain(formatAttribute("currency", other.contractValue));
      if (!view) await screenshot(csm, "setup-csm-unassigned-product");
    }
    // The admin (who may read every privileged value) does see it there.
    await admin.goto(`/accounts/${idOf(other.externalId)}`);
    const adminSees = await profileText(admin);
    expect(adminSees).toContain(formatAttribute("currency", other.contractValue));
    // Those who configure layouts are told why the built-in layout's collection table is missing.
    expect(adminSees).toContain("There is no collection “crm_opportunities”");
  });

  it("the CSM moves an assigned product to another region", { timeout: 120_000 }, async () => {
    const mine = PRODUCTS.find((p) => p.name === assigned[0])!;
    const target = REGIONS.find((r) => r.externalId !== mine.parent)!;
    const ids = await query<{ id: string; external_id: string }>(dbUrl, "select id, external_id from accounts where external_id = any($1)", [[mine.externalId, target.externalId]]);
    const idOf = (ext: string) => ids.find((r) => r.external_id === ext)!.id;
    await csm.goto(`/accounts/${idOf(mine.externalId)}/manage`);
    const picker = csm.getByLabel("New parent");
    await picker.selectOption(idOf(target.externalId));
    await screenshot(csm, "setup-csm-move");
    await csm.getByRole("form", { name: "Move" }).getByRole("button", { name: "Move" }).click();
    await csm.getByRole("form", { name: "Move" }).getByRole("status").filter({ hasText: "Moved" }).waitFor({ timeout: 30_000 });
    const [moved] = await query<{ parent: string }>(dbUrl, "select p.external_id as parent from accounts c join accounts p on p.id = c.parent_id where c.external_id = $1", [mine.externalId]);
    expect(moved.parent).toBe(target.externalId);
    mine.parent = target.externalId;
  });

  it("each region's rolled-up contract value is the sum of its products, on its profile and in the rollups", { timeout: 120_000 }, async () => {
    const regions = await query<{ id: string; external_id: string; sum_below: string | null }>(
      dbUrl,
      `select a.id, a.external_id, r.sum_below from accounts a join account_types t on t.id = a.type_id
        left join attribute_rollups r on r.account_id = a.id and r.source_key = 'contract_value' where t.key = 'region'`,
    );
    // What the database holds now, product by product (after the move).
    const products = await query<{ parent: string; value: string }>(
      dbUrl,
      `select p.external_id as parent, v.value #>> '{}' as value from accounts c join accounts p on p.id = c.parent_id
        join attribute_values v on v.account_id = c.id join attribute_definitions d on d.id = v.attribute_id and d.key = 'contract_value'`,
    );
    expect(products).toHaveLength(50);
    for (const region of REGIONS) {
      const expected = PRODUCTS.filter((p) => p.parent === region.externalId).reduce((n, p) => n + p.contractValue, 0);
      const fromDb = products.filter((p) => p.parent === region.externalId).reduce((n, p) => n + Number(p.value), 0);
      expect(fromDb, region.name).toBe(expected);
      const row = regions.find((r) => r.external_id === region.externalId)!;
      expect(Number(row.sum_below), `${region.name} attribute_rollups.sum_below`).toBe(expected);
      await admin.goto(`/accounts/${row.id}`);
      await admin.getByRole("heading", { level: 1, name: region.name }).waitFor();
      await expect(profileText(admin)).resolves.toContain(formatAttribute("currency", expected));
      if (region === REGIONS[0]) await screenshot(admin, "setup-region-profile");
    }
  });
});
