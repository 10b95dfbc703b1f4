import { chromium } from "playwright-core";
const base = "http://localhost:3107";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox","--disable-gpu"] });
const ctx = await browser.newContext({ baseURL: base, viewport: { width: 1100, height: 800 } });
const { csrfToken } = await (await ctx.request.get("/api/auth/csrf")).json();
await ctx.request.post("/api/auth/callback/credentials", { form: { csrfToken, email: "admin@demo.test", password: "demo", callbackUrl: base + "/" } });
const page = await ctx.newPage();
await page.goto("/admin/account-types");
await page.getByRole("heading", { name: "Account types", level: 1 }).waitFor();
await page.waitForTimeout(1500);
const card = page.locator("li", { has: page.getByRole("heading", { name: "Product", exact: true }) });
// A crafted request: enable the disabled Opportunity box and tick it.
await card.locator("input[disabled]").evaluate((el: HTMLInputElement) => { el.disabled = false; el.checked = true; });
await card.getByRole("button").click();
await card.getByRole("alert").waitFor({ timeout: 20000 });
console.log("refusal:", await card.getByRole("alert").textContent());
await card.screenshot({ path: "/tmp/shots/admin-opportunity-refused.png" });
await browser.close();
