import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { runAction } from "@/lib/actions/define";
import { accountCard } from "@/lib/dal/account-card";
import { revenueSummary } from "@/lib/dal/revenue";
import { findAccount } from "@/lib/dal/accounts";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { profileLinks } from "@/lib/unfurl/links";
import { shareSecret } from "@/lib/unfurl/secret";
import { createShareLink } from "@/lib/unfurl/share-action";
import { sharedCard } from "@/lib/unfurl/share-card";
import { readShareToken, shareExpiry, signShareToken } from "@/lib/unfurl/share-token";
import { escapeMrkdwn } from "@/lib/unfurl/slack-blocks";
import { receiveSlackRequest, unfurlLinks, type LinkSharedEvent, type SlackConfig } from "@/lib/unfurl/slack-events";
import { slackSignature, verifySlackSignature } from "@/lib/unfurl/slack-signature";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";
import { startFakeSlack, type FakeSlack } from "./support/fake-slack";

const SECRET = "share-secret-for-unit-tests-0123456789";
const SIGNING = "slack-signing-secret-0123456789";
const ACCOUNT = "11111111-2222-4333-8444-555555555555";
const USER = "66666666-7777-4888-8999-aaaaaaaaaaaa";

describe("share tokens", () => {
  const now = new Date("2026-11-16T09:00:00Z");
  const token = signShareToken({ accountId: ACCOUNT, userId: USER, expiresAt: shareExpiry(now) }, SECRET);

  it("round-trip the account, the sharer and a 7-day expiry", () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{71}$/);
    const read = readShareToken(token, SECRET, now);
    expect(read).toMatchObject({ accountId: ACCOUNT, userId: USER, expired: false });
    expect(read!.expiresAt.toISOString()).toBe("2026-11-23T09:00:00.000Z");
    expect(readShareToken(token, SECRET, new Date("2026-11-23T09:00:00Z"))?.expired).toBe(true);
  });

  it("refuse any changed character, another secret and malformed input", () => {
    for (let i = 0; i < token.length; i++) {
      const c = token[i] === "A" ? "B" : "A";
      expect(readShareToken(token.slice(0, i) + c + token.slice(i + 1), SECRET, now), `character ${i}`).toBeNull();
    }
    expect(readShareToken(token, "another-secret-entirely", now)).toBeNull();
    expect(readShareToken(token.slice(0, -1), SECRET, now)).toBeNull();
    expect(readShareToken(`${token}A`, SECRET, now)).toBeNull();
    expect(readShareToken(undefined, SECRET, now)).toBeNull();
    expect(readShareToken("../../etc/passwd", SECRET, now)).toBeNull();
  });
});

describe("Slack request signatures", () => {
  const body = '{"type":"url_verification","challenge":"abc"}';
  const now = new Date("2026-11-16T09:00:00Z");
  const ts = String(Math.floor(now.getTime() / 1000));

  it("accept Slack's v0 HMAC of the exact body", () => {
    expect(verifySlackSignature({ signingSecret: SIGNING, rawBody: body, timestamp: ts, signature: slackSignature(SIGNING, ts, body), now })).toEqual({ ok: true });
  });

  it("refuse another secret, another body, a stale or future timestamp, and missing headers", () => {
    const good = slackSignature(SIGNING, ts, body);
    const check = (over: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
      verifySlackSignature({ signingSecret: SIGNING, rawBody: body, timestamp: ts, signature: good, now, ...over }).ok;
    expect(check({ signature: slackSignature("another-signing-secret", ts, body) })).toBe(false);
    expect(check({ rawBody: body.replace("abc", "abd") })).toBe(false);
    const stale = String(Number(ts) - 301);
    expect(check({ timestamp: stale, signature: slackSignature(SIGNING, stale, body) })).toBe(false);
    const future = String(Number(ts) + 301);
    expect(check({ timestamp: future, signature: slackSignature(SIGNING, future, body) })).toBe(false);
    const recent = String(Number(ts) - 299);
    expect(check({ timestamp: recent, signature: slackSignature(SIGNING, recent, body) })).toBe(true);
    expect(check({ timestamp: null })).toBe(false);
    expect(check({ signature: null })).toBe(false);
    expect(check({ signature: good.toUpperCase() })).toBe(false);
    expect(check({ signature: "v0=short" })).toBe(false);
  });

  it("are checked before anything else: url_verification answers its challenge only when signed", () => {
    expect(receiveSlackRequest({ rawBody: body, timestamp: ts, signature: slackSignature(SIGNING, ts, body) }, { signingSecret: SIGNING }, now)).toEqual({
      status: 200,
      body: { challenge: "abc" },
    });
    const refused = receiveSlackRequest({ rawBody: body, timestamp: ts, signature: slackSignature("wrong-secret-0123456789", ts, body) }, { signingSecret: SIGNING }, now);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.body)).not.toContain("abc");
  });

  it("hand link_shared events on, acknowledge other events and refuse malformed ones", () => {
    const signed = (payload: unknown) => {
      const raw = JSON.stringify(payload);
      return receiveSlackRequest({ rawBody: raw, timestamp: ts, signature: slackSignature(SIGNING, ts, raw) }, { signingSecret: SIGNING }, now);
    };
    const event = { type: "link_shared", channel: "C1", message_ts: "1.2", links: [{ url: "https://c360.example.com/accounts/x", domain: "c360.example.com" }] };
    expect(signed({ type: "event_callback", event })).toMatchObject({ status: 200, unfurl: { links: [{ url: "https://c360.example.com/accounts/x" }] } });
    expect(signed({ type: "event_callback", event: { type: "app_mention" } })).toEqual({ status: 200, body: { ok: true } });
    expect(signed({ type: "event_callback", event: { type: "link_shared", links: "nope" } }).status).toBe(400);
    expect(signed([1, 2]).status).toBe(400);
    const raw = "not json";
    expect(receiveSlackRequest({ rawBody: raw, timestamp: ts, signature: slackSignature(SIGNING, ts, raw) }, { signingSecret: SIGNING }, now).status).toBe(400);
  });
});

describe("profile links", () => {
  const base = new URL("https://c360.example.com");
  const share = (t: string) => (t === "good-token" ? ACCOUNT : null);

  it("match this host's /accounts/<uuid> (with a tab or a query) and valid /share links, keeping each URL as sent", () => {
    const urls = [
      `https://c360.example.com/accounts/${ACCOUNT}`,
      `https://C360.example.com/accounts/${ACCOUNT.toUpperCase()}/explain?metric=mrr`,
      `https://c360.example.com/accounts/${ACCOUNT}?tab=health`,
      "https://c360.example.com/share/good-token",
      "https://c360.example.com/share/bad-token",
      `https://evil.example.com/accounts/${ACCOUNT}`,
      `https://c360.example.com:8443/accounts/${ACCOUNT}`,
      "https://c360.example.com/accounts/not-a-uuid",
      `ftp://c360.example.com/accounts/${ACCOUNT}`,
      "https://c360.example.com/accounts",
      "not a url",
    ];
    expect(profileLinks(urls, base, share)).toEqual([
      { url: urls[0], accountId: ACCOUNT },
      { url: urls[1], accountId: ACCOUNT },
      { url: urls[2], accountId: ACCOUNT },
      { url: urls[3], accountId: ACCOUNT },
    ]);
  });

  it("respect a base path in PUBLIC_URL", () => {
    const under = new URL("https://example.com/c360/");
    expect(profileLinks([`https://example.com/c360/accounts/${ACCOUNT}`, `https://example.com/accounts/${ACCOUNT}`], under, share)).toEqual([
      { url: `https://example.com/c360/accounts/${ACCOUNT}`, accountId: ACCOUNT },
    ]);
  });

  it("escape Slack's control characters in names", () => {
    expect(escapeMrkdwn("A&B <Ltd> *x*")).toBe("A&amp;B &lt;Ltd&gt; *x*");
  });
});

describe.each(drivers)("cards and unfurls on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let slack: FakeSlack;
  const BOT = "xoxb-unit-test";
  const BASE = "https://c360.example.com";
  let americasProduct: { id: string; name: string };

  const userId = async (email: string) => (await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email)))[0].id;
  const ctxFor = async (email: string): Promise<Ctx> => ({ db: seeded.db, viewer: (await loadViewer(seeded.db, await userId(email)))! });
  const config = (unfurlAs: string | null): SlackConfig => ({
    signingSecret: SIGNING,
    botToken: BOT,
    apiUrl: slack.apiUrl,
    unfurlAs,
    publicUrl: new URL(BASE),
    shareSecret: SECRET,
  });
  const event = (...urls: string[]): LinkSharedEvent => ({
    type: "link_shared",
    channel: "C0123",
    message_ts: "1763283600.000100",
    links: urls.map((url) => ({ url })),
  });
  const unfurl = (e: LinkSharedEvent, unfurlAs: string | null) =>
    unfurlLinks(seeded.db, e, config(unfurlAs), { requestUrl: new URL(`${BASE}/api/slack/events`), now: demoNow() });

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    slack = await startFakeSlack(BOT);
    const rows = await seeded.db.execute<{ id: string; name: string }>(sql`
      select a.id, a.name from accounts a join account_types t on t.id = a.type_id
      where t.key = 'product' and ${seeded.demo.americasRegionId}::uuid = any(a.path)
        and exists (select 1 from assignments s where s.account_id = a.id and s.role = 'CSM')
        and exists (select 1 from contracts c where c.account_id = a.id and c.active and not c.excluded)
      order by a.name limit 1`);
    americasProduct = rows.rows[0];
  });
  afterAll(async () => {
    await slack?.stop();
    await seeded?.close();
  });

  it("builds a card from the data layer: name, type and level, 8 weeks of health, ARR, stage and CSM", async () => {
    const ctx = await ctxFor("viewer@demo.test");
    const card = await accountCard(ctx, americasProduct.id, demoNow());
    const [facts] = (
      await seeded.db.execute<{ band: string; mrr: string; csm: string; stage: string }>(sql`
        select (select band from health_snapshots where account_id = ${americasProduct.id} order by week_start desc limit 1) as band,
          (select sum(mrr) from contracts where account_id = ${americasProduct.id} and active and not excluded) as mrr,
          (select u.name from assignments s join users u on u.id = s.user_id where s.account_id = ${americasProduct.id} and s.role = 'CSM' limit 1) as csm,
          (select st.name from account_stages x join lifecycle_stages st on st.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id
            where x.account_id = ${americasProduct.id} and l.key = 'journey') as stage`)
    ).rows;
    expect(card).toMatchObject({ name: americasProduct.name, typeName: "Product", level: 4, rolledUp: false });
    expect(card!.path.slice(1, 2)).toEqual(["Americas"]);
    expect(card!.path[0]).toBeNull(); // Northwind Holdings is outside the viewer's scope
    expect(card!.weeks).toHaveLength(8);
    expect(card!.weeks.at(-1)!.band).toBe(facts.band);
    expect(card!.mrr).toBeCloseTo(Number(facts.mrr), 2);
    expect(card!.arr).toBeCloseTo(Number(facts.mrr) * 12, 2);
    expect(card!.csms).toContain(facts.csm);
    expect(card!.stage?.name ?? null).toBe(facts.stage);

    const region = await accountCard(ctx, seeded.demo.americasRegionId, demoNow());
    expect(region).toMatchObject({ name: "Americas", typeName: "Region", level: 2, rolledUp: true });
    const [rollup] = (await seeded.db.execute<{ mrr: string }>(sql`select mrr from account_rollups where account_id = ${seeded.demo.americasRegionId}`)).rows;
    expect(region!.mrr).toBeCloseTo(Number(rollup.mrr), 2);
  });

  it("gives no card outside the viewer's scope, for opportunities they may not see, or for unknown ids", async () => {
    const ctx = await ctxFor("viewer@demo.test");
    expect(await accountCard(ctx, seeded.demo.emeaRegionId)).toBeNull();
    expect(await accountCard(ctx, seeded.demo.opportunityId)).toBeNull();
    expect(await accountCard(ctx, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await accountCard(ctx, "x' or 1=1 --")).toBeNull();
  });

  it("never uses a privileged value, even for an admin: a privileged MRR override is left out", async () => {
    const admin = await ctxFor("admin@demo.test");
    const product = (await findAccount(admin, seeded.demo.mrrOverrideProductId))!;
    await seeded.db.execute(sql`update attribute_definitions set privileged = true where key = 'mrr_override'`);
    try {
      const revenue = await revenueSummary(admin, product);
      expect(revenue.override).not.toBeNull(); // the admin's own profile shows the override…
      const card = await accountCard(admin, product.id, demoNow());
      expect(card!.mrr).toBeCloseTo(revenue.computedMrr, 2); // …the card does not
      expect(card!.mrr).not.toBeCloseTo(revenue.override!, 2);
    } finally {
      await seeded.db.execute(sql`update attribute_definitions set privileged = false where key = 'mrr_override'`);
    }
  });

  it("unfurls links the SLACK_UNFURL_AS user may see, in one chat.unfurl call, and nothing else", async () => {
    const since = slack.calls.length;
    const mine = `${BASE}/accounts/${americasProduct.id}?tab=health`;
    const emea = `${BASE}/accounts/${seeded.demo.emeaRegionId}`;
    const outcome = await unfurl(event(mine, emea, `https://elsewhere.example.com/accounts/${americasProduct.id}`), "viewer@demo.test");
    expect(outcome).toEqual({ unfurled: [mine], slack: { ok: true } });
    const call = await slack.nextCall(since);
    expect(call.method).toBe("chat.unfurl");
    expect(call.headers.authorization).toBe(`Bearer ${BOT}`);
    expect(call.body).toMatchObject({ channel: "C0123", ts: "1763283600.000100" });
    const unfurls = call.body.unfurls as Record<string, { blocks: unknown[] }>;
    expect(Object.keys(unfurls)).toEqual([mine]);
    const text = JSON.stringify(unfurls[mine]);
    expect(text).toContain(escapeMrkdwn(americasProduct.name));
    expect(text).toContain("Product · … › Americas");
    expect(text).toMatch(/ARR\*\\n\$[\d,]+ \(MRR \$[\d,]+\)/);
    expect(text).not.toContain("EMEA");

    // Privileged attribute values of the account appear nowhere.
    const secrets = await seeded.db.execute<{ value: unknown }>(sql`
      select v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id
      where v.account_id = ${americasProduct.id} and d.privileged`);
    for (const { value } of secrets.rows) if (typeof value === "string" && value.length > 3) expect(text).not.toContain(value);
    expect(text).not.toMatch(/discount|CSM notes/i);
  });

  it("uses unfurl_id and source when Slack gives them (links in the composer)", async () => {
    const since = slack.calls.length;
    const link = `${BASE}/accounts/${americasProduct.id}`;
    await unfurl({ ...event(link), channel: "COMPOSER", unfurl_id: "U-123", source: "composer" }, "viewer@demo.test");
    const call = await slack.nextCall(since);
    expect(call.body).toMatchObject({ unfurl_id: "U-123", source: "composer" });
    expect(call.body.channel).toBeUndefined();
  });

  it("makes no call when no link is ours or none is visible", async () => {
    const since = slack.calls.length;
    expect(await unfurl(event(`${BASE}/accounts/${seeded.demo.emeaRegionId}`, `${BASE}/accounts/${seeded.demo.opportunityId}`), "viewer@demo.test")).toEqual({
      unfurled: [],
      slack: null,
    });
    expect(await unfurl(event("https://example.org/"), "viewer@demo.test")).toEqual({ unfurled: [], slack: null });
    expect(slack.calls.length).toBe(since);
  });

  it("without SLACK_UNFURL_AS (or with an unknown user) shows only the app's name", async () => {
    for (const unfurlAs of [null, "nobody@demo.test"]) {
      const since = slack.calls.length;
      const link = `${BASE}/accounts/${americasProduct.id}`;
      await unfurl(event(link), unfurlAs);
      const call = await slack.nextCall(since);
      const text = JSON.stringify(call.body);
      expect(text).toContain("Customer 360");
      expect(text).not.toContain(americasProduct.name);
      expect(text).not.toMatch(/ARR|MRR|Health|CSM/);
    }
  });

  it("reports Slack's refusal (a wrong bot token) instead of throwing", async () => {
    const outcome = await unfurlLinks(seeded.db, event(`${BASE}/accounts/${americasProduct.id}`), { ...config("viewer@demo.test"), botToken: "xoxb-wrong" }, {
      requestUrl: new URL(BASE),
      now: demoNow(),
    });
    expect(outcome.slack).toEqual({ ok: false, error: "invalid_auth" });
  });

  it("share links: made for visible accounts only, read back within the sharer's scope until they expire", async () => {
    const viewer = await ctxFor("viewer@demo.test");
    const refused = await runAction(createShareLink, { accountId: seeded.demo.emeaRegionId }, viewer);
    expect(refused).toMatchObject({ ok: false });
    expect(await runAction(createShareLink, { accountId: "not-a-uuid" }, viewer)).toMatchObject({ ok: false, fieldErrors: { accountId: expect.any(Array) } });
    // Ids need not be RFC 4122 versions (large data sets' are not): such an id is looked up like any
    // other, and answers like a missing account, not like a malformed one.
    const unversioned = await runAction(createShareLink, { accountId: "12345678-1234-1234-1234-123456789abc" }, viewer);
    expect(unversioned).toEqual({ ok: false, error: "This account does not exist or you may not act on it." });
    const made = await runAction(createShareLink, { accountId: americasProduct.id }, viewer);
    if (!made.ok) throw new Error(made.error);
    const token = made.data.path.replace("/share/", "");
    expect(readShareToken(token, shareSecret())).toMatchObject({ accountId: americasProduct.id, userId: viewer.viewer.userId, expired: false });

    const now = demoNow();
    const viewerId = viewer.viewer.userId;
    const sign = (accountId: string, expiresAt: Date, userId = viewerId) => signShareToken({ accountId, userId, expiresAt }, SECRET);
    const ok = await sharedCard(seeded.db, sign(americasProduct.id, shareExpiry(now)), SECRET, now);
    expect(ok).toMatchObject({ status: "ok", card: { name: americasProduct.name } });
    expect(await sharedCard(seeded.db, sign(americasProduct.id, new Date(now.getTime() - 1000)), SECRET, now)).toEqual({
      status: "unavailable",
      accountId: americasProduct.id,
    });
    // A forged link to an account outside the sharer's scope shows nothing.
    expect((await sharedCard(seeded.db, sign(seeded.demo.emeaRegionId, shareExpiry(now)), SECRET, now)).status).toBe("unavailable");
    expect(await sharedCard(seeded.db, sign(americasProduct.id, shareExpiry(now)), "another-secret-0123456789", now)).toEqual({ status: "invalid" });

    // A disabled sharer's links stop working.
    await seeded.db.update(users).set({ disabledAt: now }).where(eq(users.id, viewerId));
    try {
      expect((await sharedCard(seeded.db, sign(americasProduct.id, shareExpiry(now)), SECRET, now)).status).toBe("unavailable");
    } finally {
      await seeded.db.update(users).set({ disabledAt: null }).where(eq(users.id, viewerId));
    }
  });
});
