/**
 * From an empty database to a working team (issue 15): a production server on an empty Postgres
 * database with demo mode off; the sign-in page says how to make the first admin; `npm run
 * user:create` prints a link; the admin sets a password, signs in, invites a member in
 * /admin/users; the member sets a password through the invitation and signs in; the admin disables
 * the member, and the member's open session is refused on their next request.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, screenshot } from "../support/browser";

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

describe("a new installation: empty Postgres, demo off", () => {
  let app: AppServer;
  let browser: Browser;
  let dbUrl: string;
  let adminContext: BrowserContext;
  let memberContext: BrowserContext;
  let admin: Page;
  let member: Page;
  let inviteUrl = "";

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
});
