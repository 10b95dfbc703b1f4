/**
 * Browser helpers for the e2e tests: Debian's Chromium driven by playwright-core (never
 * `playwright install`: it downloads a browser and fails on these machines).
 *
 *   const browser = await launchBrowser();
 *   const page = await newPage(inject("baseURL"), browser);
 *   await signIn(page, inject("baseURL"), "alex@example.com");
 *   await screenshot(page, "portfolio");
 *   await browser.close();
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOT_DIR = path.join(repoRoot, "screenshots");

let shared: Browser | undefined;

/** Inside the e2e project: fails with the reason the app server did not start, if it did not. */
async function assertServerStarted(): Promise<void> {
  if (!process.env.VITEST) return; // also usable from plain scripts
  let error = "";
  try {
    const { inject } = await import("vitest");
    error = inject("e2eServerError") ?? "";
  } catch {
    return; // not under the e2e project's global set-up
  }
  if (error) throw new Error(`the e2e app server did not start (see test/e2e/global-setup.ts):\n${error}`);
}

/** Launches Chromium (playwright gives each launch a fresh temporary profile). */
export async function launchBrowser(): Promise<Browser> {
  await assertServerStarted();
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  shared ??= browser;
  browser.on("disconnected", () => {
    if (shared === browser) shared = undefined;
  });
  return browser;
}

/** Closes the browser `newPage` launched on its own, if any (call it in afterAll). */
export async function closeBrowser(): Promise<void> {
  const browser = shared;
  shared = undefined;
  await browser?.close();
}

/**
 * A page in a new, isolated context (own cookies) whose relative URLs resolve against `baseURL`.
 * Uses `browser` when given, else the browser launched first in this file (launching one if needed).
 */
export async function newPage(baseURL: string, browser?: Browser): Promise<Page> {
  await assertServerStarted();
  const b = browser ?? shared ?? (await launchBrowser());
  const context = await b.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("close", () => {
    context.close().catch(() => {});
  });
  return page;
}

/**
 * Signs in through the login form: opens /login (with `?next=` when given), fills "Email" and
 * "Password", clicks "Sign in" and waits until the browser has left /login.
 */
export async function signIn(page: Page, baseURL: string, email: string, password = "demo", next?: string): Promise<void> {
  const url = new URL("/login", baseURL);
  if (next) url.searchParams.set("next", next);
  await page.goto(url.toString());
  if (!new URL(page.url()).pathname.startsWith("/login")) {
    // Already signed in: the proxy sends /login to the portfolio.
    if (next) await page.goto(new URL(next, baseURL).toString());
    return;
  }
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Either the browser leaves /login, or the form shows an error: fail fast with its text.
  const left = page
    .waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 30_000 })
    .then(() => ({ ok: true as const }));
  const errorBox = page.locator("form [role=alert], #login-error").first();
  const failed = errorBox
    .waitFor({ state: "visible", timeout: 30_000 })
    .then(async () => ({ ok: false as const, message: (await errorBox.textContent())?.trim() ?? "" }));
  left.catch(() => {});
  failed.catch(() => {});
  const outcome = await Promise.any([left, failed]).catch(() => {
    throw new Error(`signing in as ${email} did not leave /login within 30 s (still at ${page.url()})`);
  });
  if (!outcome.ok) throw new Error(`signing in as ${email} failed: ${outcome.message}`);
}

/** Saves a full-page screenshot to screenshots/<name>.png in the repository (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
