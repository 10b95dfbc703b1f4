/**
 * The Quick Actions (+) bar and edits, in Chromium as Casey (csm@demo.test) on a product Casey is
 * assigned to: each action's result appears on the Timeline tab and in its widget; bad input shows
 * a field error next to its field with the typed values kept; two browser contexts editing the same
 * attribute get a conflict instead of a silent overwrite.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser, newPage, SCREENSHOT_DIR, signIn } from "../support/browser";

const baseURL = inject("baseURL");
/** Unique per run, so titles from earlier runs on a long-lived server never match. */
const RUN = Date.now().toString(36).slice(-6);

/**
 * Under `next dev` (when run against a developer's server) the HMR socket asks pages to reload
 * whenever files change; drop those messages so a test's page stays put. No effect on `next start`.
 */
async function quietPage(browser: Browser): Promise<Page> {
  const page = await newPage(baseURL, browser);
  await page.context().routeWebSocket(/\/_next\/(webpack-)?hmr/, (socket) => {
    const server = socket.connectToServer();
    server.onMessage((message) => {
      if (!/reloadPage|"restart"/.test(String(message))) socket.send(message);
    });
    socket.onMessage((message) => server.send(message));
  });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.SHOT_DIR ?? SCREENSHOT_DIR;
  await page.screenshot({ path: path.join(dir, `quick-actions-${name}.png`), fullPage: true });
}

const today = () => new Date().toISOString().slice(0, 10);

describe("quick actions on an assigned product", () => {
  let browser: Browser;
  let page: Page;
  let productId: string;
  let productName: string;

  // Widgets stream in behind Suspense: wait until every skeleton has been replaced.
  const profile = async () => {
    await page.goto(`${baseURL}/accounts/${productId}`);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
  };
  const widget = (id: string): Locator => page.locator(`section[aria-labelledby="w-${id}"]`);
  const panel = (key: string): Locator => page.locator(`#qa-panel-${key}`);

  /** Opens a quick action's panel (retrying the click until the client has hydrated). */
  async function openAction(label: string, key: string): Promise<Locator> {
    const button = page.getByRole("group", { name: "Actions" }).getByRole("button", { name: label, exact: true });
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await button.getAttribute("aria-expanded")) === "true") break;
      await button.click();
      await page.waitForTimeout(250);
    }
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await panel(key).waitFor({ state: "visible" });
    return panel(key);
  }

  async function success(scope: Locator, text: RegExp | string): Promise<void> {
    await scope.getByRole("status").filter({ hasText: text }).waitFor({ timeout: 30_000 });
  }

  async function timelineTitles(): Promise<string[]> {
    await page.goto(`${baseURL}/accounts/${productId}?tab=timeline`);
    return page.getByTestId("timeline-entry").locator(":scope > div:first-child > span.text-slate-900").allTextContents();
  }

  async function openTaskCount(): Promise<number> {
    const list = widget("open-tasks").getByRole("list").first();
    if (!(await list.count())) return 0;
    const label = (await list.getAttribute("aria-label")) ?? "";
    return /^(\d+) open tasks$/.test(label) ? Number(label.split(" ")[0]) : 0;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await quietPage(browser);
    await signIn(page, baseURL, "csm@demo.test");
    await page.goto(`${baseURL}/`);
    const link = page.locator("section[aria-labelledby=my-accounts] tbody tr", { hasText: "Product" }).first().getByRole("link");
    productName = (await link.textContent())!.trim();
    productId = (await link.getAttribute("href"))!.split("?")[0].split("/").pop()!;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("offers a member every action, and the presentation link", async () => {
    await profile();
    await page.getByRole("group", { name: "Actions" }).getByRole("button").first().waitFor();
    const buttons = await page.getByRole("group", { name: "Actions" }).getByRole("button").allTextContents();
    expect(buttons).toEqual(["Log touchpoint", "Create task", "Add objective", "Apply SuccessPlay", "Request information", "Add asset"]);
    await expect(page.getByRole("link", { name: "Generate presentation" }).getAttribute("href")).resolves.toBe(`/api/accounts/${productId}/presentation`);
    await expect(page.getByRole("link", { name: "Edit company profile" }).getAttribute("href")).resolves.toBe(`/accounts/${productId}/company-profile`);
  });

  it("logs a touchpoint with a participant: on the Timeline tab and in the timeline widget", async () => {
    await profile();
    const form = await openAction("Log touchpoint", "touchpoint");
    await form.getByLabel("Type").selectOption("meeting");
    await form.getByLabel("Subject").fill(`Rollout review ${RUN}`);
    await form.getByLabel("Notes").fill("Agreed the branch rollout for January.");
    const contacts = form.getByRole("group", { name: /Participants: contacts/ });
    const contactName = await contacts.locator("label").first().evaluate((label) => label.childNodes[0].textContent?.trim() ?? "");
    await contacts.getByRole("checkbox").first().check();
    await shot(page, "touchpoint-form");
    await form.getByRole("button", { name: "Log touchpoint" }).click();
    await success(form, "Touchpoint logged.");
    await expect(widget("timeline-latest").getByText(`Meeting: Rollout review ${RUN}`).count()).resolves.toBe(1);
    await shot(page, "touchpoint-logged");
    // Newest first: the touchpoint, unless the health engine has re-scored the account since (a
    // touchpoint is an input of its engagement dimension), whose band change then sits above it.
    const titles = await timelineTitles();
    const at = titles.indexOf(`Meeting: Rollout review ${RUN}`);
    expect(at, titles.join(" | ")).toBeGreaterThanOrEqual(0);
    expect(titles.slice(0, at).every((t) => t.startsWith("Health changed")), titles.join(" | ")).toBe(true);
    const entry = page.getByTestId("timeline-entry").nth(at);
    await expect(entry.textContent()).resolves.toContain(`With ${contactName}`);
  });

  it("creates a task: in the open-tasks widget and on the timeline; completed from the widget", async () => {
    await profile();
    const form = await openAction("Create task", "task");
    const title = `A QBR deck for the sponsor ${RUN}`;
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Due date").fill(today());
    await form.getByLabel("Priority").selectOption("urgent");
    await expect(form.getByLabel("Assignee").locator("option:checked").textContent()).resolves.toMatch(/^Casey CSM \(you\)/);
    await form.getByRole("button", { name: "Create task" }).click();
    await success(form, "Task created.");
    const row = widget("open-tasks").getByTestId("open-task").filter({ hasText: title });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("Casey CSM");
    await expect(widget("timeline-latest").getByText(`Task created: ${title}`).count()).resolves.toBe(1);
    await shot(page, "task-created");

    await row.getByRole("button", { name: `Done: ${title}`, exact: true }).click();
    await row.waitFor({ state: "detached" });
    await widget("open-tasks").getByText(/Done this week/).click();
    await widget("open-tasks").getByTestId("done-task").filter({ hasText: title }).waitFor();
    const titles = await timelineTitles();
    expect(titles.slice(0, 2)).toEqual([`Task completed: ${title}`, `Task created: ${title}`]);
  });

  it("adds an objective to a success plan: in the success-plans widget and on the timeline", async () => {
    await profile();
    const form = await openAction("Add objective", "objective");
    const title = `Reach 80% weekly active users ${RUN}`;
    await form.getByLabel("Objective", { exact: true }).fill(title);
    await form.getByLabel("Due date").fill("2027-06-30");
    await form.getByRole("button", { name: "Add objective" }).click();
    await success(form, /Objective added to|created with the objective/);
    await widget("success-plans").getByText(title).waitFor();
    const titles = await timelineTitles();
    expect(titles[0]).toBe(`Objective added: ${title}`);
  });

  it("applies a SuccessPlay: its four tasks join the open tasks and the timeline", async () => {
    await profile();
    const before = await openTaskCount();
    const form = await openAction("Apply SuccessPlay", "successplay");
    await form.getByLabel("At-risk recovery").check();
    await shot(page, "successplay-form");
    await form.getByRole("button", { name: "Apply SuccessPlay" }).click();
    await success(form, "“At-risk recovery” applied: 4 tasks created and assigned to you.");
    await expect.poll(openTaskCount).toBe(before + 4);
    const titles = await timelineTitles();
    expect(titles.slice(0, 4).sort()).toEqual(
      [
        "Task created: Agree a recovery plan with the customer",
        "Task created: Call the champion to understand the drop",
        "Task created: Check health again after two weeks",
        "Task created: Review open support tickets",
      ].sort(),
    );
  });

  it("completes the SuccessPlay's tasks from My portfolio", async () => {
    await page.goto(`${baseURL}/`);
    const mine = () => page.getByTestId("my-task").filter({ hasText: productName }).filter({ hasText: "Call the champion to understand the drop" });
    const before = await mine().count();
    expect(before).toBeGreaterThan(0);
    await mine().first().getByRole("button", { name: /^Done: / }).click();
    // The server action and the list's re-render: more than expect.poll's default second on a busy machine.
    await expect.poll(() => mine().count(), { timeout: 20_000 }).toBe(before - 1);
    await shot(page, "portfolio-done");
  });

  it("requests information from a contact, lists it as open, and records the answer", async () => {
    await profile();
    const form = await openAction("Request information", "request");
    const ask = form.getByLabel("Ask");
    const firstContact = await ask.locator("optgroup[label='Contacts at the customer'] option").first().getAttribute("value");
    await ask.selectOption(firstContact!);
    const question = `Which SSO provider will the new team use? ${RUN}`;
    await form.getByLabel("Question").fill(question);
    await form.getByRole("button", { name: "Send request" }).click();
    await success(form, /^Request sent to .+; it stays open until marked answered\.$/);
    await expect(widget("timeline-latest").getByText(`Information requested: ${question}`).count()).resolves.toBe(1);
    const open = form.getByTestId("open-request").filter({ hasText: question });
    await open.waitFor();
    await shot(page, "request-open");
    await open.getByLabel(`Answer to “${question}”`).fill("Azure AD, same tenant as the group.");
    await open.getByRole("button", { name: "Mark answered" }).click();
    await open.waitFor({ state: "detached" });
    const titles = await timelineTitles();
    expect(titles.slice(0, 2)).toEqual([`Information request answered: ${question}`, `Information requested: ${question}`]);
  });

  it("adds a link asset: in the assets widget and on the timeline", async () => {
    await profile();
    const form = await openAction("Add asset", "asset");
    const name = `Rollout runbook ${RUN}`;
    await form.getByLabel("Link name").fill(name);
    await form.getByLabel("Address (URL)").fill("https://wiki.example.com/runbooks/rollout");
    await form.getByRole("button", { name: "Add link" }).click();
    await success(form, "Link added.");
    const asset = widget("assets").getByRole("link", { name });
    await asset.waitFor();
    await expect(asset.getAttribute("href")).resolves.toBe("https://wiki.example.com/runbooks/rollout");
    const titles = await timelineTitles();
    expect(titles[0]).toBe(`Asset added: ${name}`);
  });

  it("uploads a file from the same panel: in the assets widget and on the timeline", async () => {
    await profile();
    const form = await openAction("Add asset", "asset");
    const name = `usage-notes-${RUN}.csv`;
    await form.getByLabel("File", { exact: true }).setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from("module,events\npayments,42\n") });
    await form.getByRole("button", { name: "Upload", exact: true }).click();
    await success(form, `Uploaded “${name}”.`);
    await widget("assets").getByText(name).waitFor();
    const titles = await timelineTitles();
    expect(titles[0]).toBe(`Asset added: ${name}`);
  });

  it("shows bad input next to its field, keeps what was typed, and writes nothing", async () => {
    await profile();
    const form = await openAction("Create task", "task");
    await form.getByLabel("Title").fill("   ");
    await form.getByLabel("Description (optional)").fill(`Kept after the error ${RUN}`);
    await form.getByRole("button", { name: "Create task" }).click();
    await form.getByRole("alert").filter({ hasText: "Check the highlighted fields." }).waitFor();
    const title = form.getByLabel("Title");
    await expect(title.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = (await title.getAttribute("aria-describedby"))!;
    await expect(page.locator(`[id="${describedBy}"]`).textContent()).resolves.toBe("Enter a title.");
    await expect(form.getByLabel("Description (optional)").inputValue()).resolves.toBe(`Kept after the error ${RUN}`);
    await shot(page, "task-field-error");

    const link = await openAction("Add asset", "asset");
    await link.getByLabel("Link name").fill(`Bad link ${RUN}`);
    await link.getByLabel("Address (URL)").fill("ftp://files.example.com/deck.pptx");
    await link.getByRole("button", { name: "Add link" }).click();
    const url = link.getByLabel("Address (URL)");
    await expect.poll(() => url.getAttribute("aria-invalid")).toBe("true");
    await expect(page.locator(`[id="${await url.getAttribute("aria-describedby")}"]`).textContent()).resolves.toBe("Use a web address starting with http:// or https://.");
    await expect(link.getByLabel("Link name").inputValue()).resolves.toBe(`Bad link ${RUN}`);
    expect(await timelineTitles()).not.toContain(`Asset added: Bad link ${RUN}`);
  });

  it("saves the company profile through the attribute history, with the computed MRR beside its override", async () => {
    await page.goto(`${baseURL}/accounts/${productId}/company-profile`);
    await expect(page.getByTestId("note-mrr_override").textContent()).resolves.toMatch(/^Computed MRR: \$[\d,]+ from \d+ active contracts?/);
    const employees = page.getByLabel("Number of employees");
    const next = String(Number((await employees.inputValue()) || "100") + 1);
    await employees.fill(next);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Saved: Number of employees." }).waitFor();
    await page.getByLabel("Add a tag").fill(`Reference ${RUN}`);
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByTestId("tag").filter({ hasText: `Reference ${RUN}` }).waitFor();
    await shot(page, "company-profile");
    await page.getByRole("button", { name: `Remove tag Reference ${RUN}` }).click();
    await page.getByTestId("tag").filter({ hasText: `Reference ${RUN}` }).waitFor({ state: "detached" });

    await page.goto(`${baseURL}/accounts/${productId}?view=all&attribute=employees`);
    const latest = page.getByTestId("attribute-history").getByTestId("attribute-change").first();
    await expect(latest.textContent()).resolves.toContain(Number(next).toLocaleString("en-US"));
    await expect(latest.textContent()).resolves.toContain("Casey CSM");
  });

  it("answers concurrent edits of one attribute with a conflict showing the first one's value", async () => {
    const adminPage = await quietPage(browser);
    try {
      await signIn(adminPage, baseURL, "admin@demo.test");
      const url = `${baseURL}/accounts/${productId}?view=all`;
      await Promise.all([page.goto(url), adminPage.goto(url)]);
      const segmentRow = (p: Page) => p.getByTestId("attribute-row").filter({ has: p.getByRole("rowheader", { name: "Segment" }) });
      const current = ((await segmentRow(page).locator("td").first().textContent()) ?? "").replace(/Edit.*$/, "").trim();
      const [first, second] = ["Enterprise", "Mid-Market", "SMB"].filter((s) => s !== current);

      // Both open the editor on the same loaded version.
      const openEditor = async (p: Page) => {
        const edit = segmentRow(p).getByRole("button", { name: "Edit Segment" });
        const editor = p.getByRole("form", { name: "Edit Segment" });
        for (let attempt = 0; attempt < 20 && !(await editor.count()); attempt++) {
          await edit.click();
          await p.waitForTimeout(250);
        }
        await editor.waitFor();
        return editor;
      };
      const [mine, theirs] = await Promise.all([openEditor(page), openEditor(adminPage)]);

      await theirs.getByLabel("Segment").selectOption(first);
      await theirs.getByRole("button", { name: "Save" }).click();
      await theirs.waitFor({ state: "detached" });
      await segmentRow(adminPage).getByText(first, { exact: true }).waitFor();

      await mine.getByLabel("Segment").selectOption(second);
      await mine.getByRole("button", { name: "Save" }).click();
      const error = mine.getByTestId("field-error");
      await error.waitFor();
      await expect(error.textContent()).resolves.toMatch(new RegExp(`^Ada Admin changed Segment to “${first}” on .+ UTC, after you opened it\\. Your value was not saved\\.$`));
      await expect(mine.getByLabel("Segment").inputValue()).resolves.toBe(second);
      await shot(page, "attribute-conflict");

      // Nothing was overwritten: a fresh load shows the first save's value.
      await page.goto(url);
      await expect(segmentRow(page).locator("td").first().textContent()).resolves.toContain(first);
      await page.goto(`${baseURL}/accounts/${productId}?tab=timeline&kind=attribute_change`);
      await expect(page.getByTestId("timeline-entry").first().textContent()).resolves.toContain(first);
    } finally {
      await adminPage.close();
    }
  });
});
