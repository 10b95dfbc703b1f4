/**
 * Slack previews end to end, against the production build: a dedicated `next start` on the e2e
 * Postgres with the Slack app configured, a local fake of Slack's Web API on loopback recording
 * chat.unfurl calls, and a crawler's view of share links and their Open Graph image.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signShareToken } from "@/lib/unfurl/share-token";
import { slackSignature } from "@/lib/unfurl/slack-signature";
import { startAppServer, type AppServer } from "../support/app-server";
import { launchBrowser, newPage, screenshot, SCREENSHOT_DIR, signIn } from "../support/browser";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack";

const SIGNING_SECRET = randomBytes(16).toString("hex");
const BOT_TOKEN = `xoxb-${randomBytes(8).toString("hex")}`;
const AUTH_SECRET = randomBytes(32).toString("hex");
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

type Account = { id: string; name: string };

describe("Slack previews", () => {
  let slack: FakeSlack;
  let server: AppServer;
  let browser: Browser;
  let product: Account & { mrr: number; band: string; csm: string };
  let emea: Account;
  let opportunity: Account;
  let viewerId: string;

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${server.baseURL}/api/slack/events`, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });
  const signedPost = (payload: unknown, at = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET) => {
    const body = JSON.stringify(payload);
    const ts = String(at);
    return post(body, { "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": slackSignature(secret, ts, body) });
  };
  const linkShared = (...urls: string[]) => ({
    type: "event_callback",
    team_id: "T0001",
    event_id: `Ev${randomBytes(4).toString("hex")}`,
    event: { type: "link_shared", channel: "C0001", message_ts: "1763900000.000200", user: "U0001", links: urls.map((url) => ({ url, domain: "127.0.0.1" })) },
  });
  const profileUrl = (id: string, suffix = "") => `${server.baseURL}/accounts/${id}${suffix}`;

  beforeAll(async () => {
    const databaseUrl = inject("e2eDatabaseUrl");
    if (!databaseUrl) throw new Error(`the e2e app server did not start:\n${inject("e2eServerError")}`);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const one = async <T>(query: string, params: unknown[] = []): Promise<T> => {
        const [row] = (await db.query(query, params)).rows;
        if (!row) throw new Error(`no row: ${query}`);
        return row as T;
      };
      const americas = await one<Account>("select id, name from accounts where name = 'Americas'");
      emea = await one<Account>("select id, name from accounts where name = 'EMEA'");
      product = await one(
        `select a.id, a.name,
           (select sum(c.mrr) from contracts c where c.account_id = a.id and c.active and not c.excluded)::float8 as mrr,
           (select h.band from health_snapshots h where h.account_id = a.id order by h.week_start desc limit 1) as band,
           (select u.name from assignments s join users u on u.id = s.user_id where s.account_id = a.id and s.role = 'CSM' order by u.name limit 1) as csm
         from accounts a join account_types t on t.id = a.type_id
         where t.key = 'product' and $1::uuid = any(a.path)
           and not exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id where v.account_id = a.id and d.key = 'mrr_override')
           and exists (select 1 from assignments s where s.account_id = a.id and s.role = 'CSM')
           and exists (select 1 from contracts c where c.account_id = a.id and c.active and not c.excluded)
         order by a.name limit 1`,
        [americas.id],
      );
      opportunity = await one<Account>(
        "select a.id, a.name from accounts a join account_types t on t.id = a.type_id where t.is_opportunity and $1::uuid = any(a.path) limit 1",
        [americas.id],
      );
      viewerId = (await one<{ id: string }>("select id from users where email = 'viewer@demo.test'")).id;
    } finally {
      await db.end();
    }
    slack = await startFakeSlack(BOT_TOKEN);
    server = await startAppServer(databaseUrl, {
      AUTH_SECRET,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_UNFURL_AS: "viewer@demo.test",
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await slack?.stop();
  });

  it("answers Slack's url_verification challenge, signed", async () => {
    const res = await signedPost({ type: "url_verification", token: "legacy", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
  });

  it("refuses a bad signature, a stale timestamp and an unsigned request with 401 JSON, and calls Slack for none", async () => {
    const since = slack.calls.length;
    const event = linkShared(profileUrl(product.id));
    const badSecret = await signedPost(event, undefined, "not-the-signing-secret");
    const stale = await signedPost(event, Math.floor(Date.now() / 1000) - 6 * 60);
    const unsigned = await post(JSON.stringify(event), {});
    const body = JSON.stringify(event);
    const ts = String(Math.floor(Date.now() / 1000));
    const tampered = await post(body.replace("C0001", "C0002"), { "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": slackSignature(SIGNING_SECRET, ts, body) });
    for (const res of [badSecret, stale, unsigned, tampered]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect((await res.json()).error).toMatch(/Invalid Slack request/);
    }
    // A valid event sent afterwards is the first call Slack receives: none of the refused ones got through.
    const marker = profileUrl(product.id, "?tab=usage");
    expect((await signedPost(linkShared(marker))).status).toBe(200);
    const call = await slack.nextCall(since);
    expect(Object.keys(call.body.unfurls as object)).toEqual([marker]);
  });

  it("acknowledges Slack's retry of a timed-out event without unfurling twice, but handles a retry after an error", async () => {
    const signed = (body: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      return { "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": slackSignature(SIGNING_SECRET, ts, body) };
    };
    const timedOutLink = profileUrl(product.id, "?tab=retry-timeout");
    const erroredLink = profileUrl(product.id, "?tab=retry-error");
    const since = slack.calls.length;
    const timedOutBody = JSON.stringify(linkShared(timedOutLink));
    const timedOut = await post(timedOutBody, { ...signed(timedOutBody), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" });
    expect(timedOut.status).toBe(200);
    expect(timedOut.headers.get("x-slack-no-retry")).toBe("1");
    // A timed-out retry still has to be signed.
    expect((await post(timedOutBody, { "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout" })).status).toBe(401);
    // The retry after an error is unfurled, and it is the first call Slack receives: the timed-out
    // retry made none.
    const erroredBody = JSON.stringify(linkShared(erroredLink));
    const afterError = await post(erroredBody, { ...signed(erroredBody), "X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error" });
    expect(afterError.status).toBe(200);
    const call = await slack.nextCall(since);
    expect(Object.keys(call.body.unfurls as object)).toEqual([erroredLink]);
  });

  it("unfurls a profile link with the account's card, as the SLACK_UNFURL_AS user sees it, and nothing out of scope", async () => {
    const since = slack.calls.length;
    const mine = profileUrl(product.id, "?tab=health");
    const res = await signedPost(linkShared(mine, profileUrl(emea.id), profileUrl(opportunity.id), "https://example.com/accounts/" + product.id));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });

    const call = await slack.nextCall(since);
    expect(call.method).toBe("chat.unfurl");
    expect(call.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.body).toMatchObject({ channel: "C0001", ts: "1763900000.000200" });
    const unfurls = call.body.unfurls as Record<string, { blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[] }>;
    expect(Object.keys(unfurls)).toEqual([mine]);
    const blocks = unfurls[mine].blocks;
    const text = JSON.stringify(blocks);
    expect(blocks[0].text!.text).toContain(product.name.replace(/&/g, "&amp;"));
    expect(blocks[0].text!.text).toContain("Product · … › Americas");
    const fields = blocks[1].fields!.map((f) => f.text);
    const usd = (n: number) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(n);
    expect(fields[0]).toContain(`${product.band.charAt(0).toUpperCase()}${product.band.slice(1)}`);
    expect(fields[0].match(/:large_(green|yellow|red)_square:|:white_large_square:/g)).toHaveLength(8);
    expect(fields[1]).toContain(`${usd(product.mrr * 12)} (MRR ${usd(product.mrr)})`);
    expect(fields[3]).toContain(product.csm);
    expect(text).not.toContain(emea.name);
    expect(text).not.toContain(opportunity.name);
    expect(text).not.toMatch(/discount|CSM notes|Northwind/i);
    await writeFile(path.join(SCREENSHOT_DIR, "slack-unfurl-blocks.json"), JSON.stringify(unfurls, null, 2));

    // How the card looks in Slack, approximately: the Block Kit JSON drawn as HTML.
    const page = await newPage(server.baseURL, browser);
    await page.setContent(blockKitPreview(blocks));
    await screenshot(page, "slack-unfurl-card");
    await page.close();
  });

  it("makes a share link whose page carries Open Graph tags and a 1200×630 PNG for a signed-out crawler", async () => {
    const page = await newPage(server.baseURL, browser);
    await signIn(page, server.baseURL, "viewer@demo.test");
    await page.goto(`/accounts/${product.id}`);
    await page.getByRole("button", { name: "Copy share link" }).click();
    const shareLink = await page.getByTestId("share-link").inputValue();
    await screenshot(page, "share-link-button");
    expect(shareLink).toMatch(new RegExp(`^${server.baseURL}/share/[A-Za-z0-9_-]{71}$`));

    // The crawler has no session: it gets the page with the metadata, not a redirect to /login.
    const res = await fetch(shareLink, { headers: { "User-Agent": SLACKBOT }, redirect: "manual" });
    expect(res.status).toBe(200);
    // Public answers set no cookie (Auth.js's CSRF/callback cookies would make them uncacheable) and keep the CSP.
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await res.text();
    const meta = (property: string) => new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)"`).exec(html)?.[1];
    expect(decode(meta("og:title")!)).toBe(product.name);
    expect(decode(meta("og:description")!)).toContain(`CSM ${product.csm}`);
    const image = decode(meta("og:image")!);
    expect(image).toBe(`${server.baseURL}/api/og/${shareLink.split("/share/")[1]}`);
    expect(meta("twitter:card")).toBe("summary_large_image");

    const png = await fetch(image, { headers: { "User-Agent": SLACKBOT } });
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("set-cookie")).toBeNull();
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630]);
    await writeFile(path.join(SCREENSHOT_DIR, "og-share-card.png"), bytes);

    // A signed-in reader following the link lands on the profile, within their own scope.
    await page.goto(shareLink);
    await page.waitForURL((u) => u.pathname === `/accounts/${product.id}`);
    await page.close();

    // A signed-out reader is offered sign-in, then reaches the profile.
    const stranger = await newPage(server.baseURL, browser);
    await stranger.goto(shareLink);
    await stranger.getByRole("heading", { name: "An account was shared with you" }).waitFor();
    expect(await stranger.locator("main").innerText()).not.toContain(product.name);
    await screenshot(stranger, "share-page-signed-out");
    await stranger.getByRole("link", { name: "Sign in" }).click();
    await stranger.waitForURL((u) => u.pathname === "/login");
    await stranger.getByLabel("Email", { exact: true }).fill("viewer@demo.test");
    await stranger.getByLabel("Password", { exact: true }).fill("demo");
    await stranger.getByRole("button", { name: "Sign in", exact: true }).click();
    await stranger.waitForURL((u) => u.pathname === `/accounts/${product.id}`);
    await stranger.close();
  });

  it("gives an unsigned, expired, tampered or out-of-scope link no account data, and refuses its image", async () => {
    const now = Date.now();
    const sign = (accountId: string, expiresAt: number, secret = AUTH_SECRET) => signShareToken({ accountId, userId: viewerId, expiresAt: new Date(expiresAt) }, secret);
    const valid = sign(product.id, now + 86_400_000);
    const tampered = valid.slice(0, 30) + (valid[30] === "A" ? "B" : "A") + valid.slice(31);
    const cases = {
      expired: sign(product.id, now - 1000),
      tampered,
      "another secret": sign(product.id, now + 86_400_000, randomBytes(32).toString("hex")),
      "outside the sharer's scope": sign(emea.id, now + 86_400_000),
      garbage: "not-a-token",
    };
    for (const [label, token] of Object.entries(cases)) {
      const res = await fetch(`${server.baseURL}/share/${token}`, { headers: { "User-Agent": SLACKBOT }, redirect: "manual" });
      expect(res.status, label).toBe(200);
      const html = await res.text();
      for (const name of [product.name, emea.name]) expect(html, label).not.toContain(name);
      expect(html, label).not.toContain("og:image");
      expect(html, label).toContain('<meta property="og:title" content="Customer 360"/>');
      const og = await fetch(`${server.baseURL}/api/og/${token}`);
      expect(og.status, label).toBe(404);
      expect(og.headers.get("content-type"), label).toContain("application/json");
    }
    // The valid token works, so the refusals above are about the tokens.
    expect((await fetch(`${server.baseURL}/api/og/${valid}`)).status).toBe(200);

    // A profile URL without a session is a redirect to sign-in, with no data.
    const profile = await fetch(profileUrl(product.id), { headers: { "User-Agent": SLACKBOT }, redirect: "manual" });
    expect(profile.status).toBeGreaterThanOrEqual(300);
    expect(profile.status).toBeLessThan(400);
    expect(profile.headers.get("location")).toMatch(/\/login\?next=/);
    expect(await profile.text()).not.toContain(product.name);
  });
});

function decode(value: string): string {
  return value.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}

/** A rough HTML rendering of Slack Block Kit (section text and fields, context) to look at the card. */
function blockKitPreview(blocks: { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[]): string {
  const colours: Record<string, string> = { large_green_square: "#2eb67d", large_yellow_square: "#ecb22e", large_red_square: "#e01e5a", white_large_square: "#ddd" };
  const mrkdwn = (text: string) =>
    text
      .replace(/<([^|>]+)\|([^>]+)>/g, '<a href="$1">$2</a>')
      .replace(/\*([^*]+)\*/g, "<b>$1</b>")
      .replace(/:([a-z_]+):/g, (_, name: string) => `<span style="display:inline-block;width:14px;height:14px;margin-right:2px;border-radius:3px;background:${colours[name] ?? "#999"}"></span>`)
      .replace(/\n/g, "<br>");
  const body = blocks
    .map((b) => {
      if (b.type === "section" && b.fields) return `<div style="display:grid;grid-template-columns:1fr 1fr;gap:8px 24px;margin:8px 0">${b.fields.map((f) => `<div>${mrkdwn(f.text)}</div>`).join("")}</div>`;
      if (b.type === "section") return `<div style="margin:4px 0">${mrkdwn(b.text!.text)}</div>`;
      if (b.type === "context") return `<div style="color:#616061;font-size:12px">${b.elements!.map((e) => mrkdwn(e.text)).join(" ")}</div>`;
      return "";
    })
    .join("");
  return `<html><body style="font:15px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1d1c1d;padding:24px;width:640px">
    <div><b>Pat</b> <span style="color:#616061;font-size:12px">10:42</span></div><div>Have a look at this one</div>
    <div style="border-left:4px solid #ddd;padding:4px 12px;margin-top:8px">${body}</div></body></html>`;
}
