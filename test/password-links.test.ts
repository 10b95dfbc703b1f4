/**
 * One-time set-password links on both drivers: a link works once and only until it expires, a new
 * link ends the older ones, only a hash is stored; the admin actions that make them (invite, reset),
 * the own-password change, single sign-on domain rules, and what a clean install holds (the
 * migrated Opportunity type, which the demo seed reuses).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import bcrypt from "bcryptjs";
import { sql } from "drizzle-orm";
import { isEmpty, type DatabaseHandle } from "@/db/client";
import { changeOwnPassword } from "@/lib/account/password";
import { runAction } from "@/lib/actions/define";
import { deleteSsoDomainRule, listSsoDomainRules, saveSsoDomainRule } from "@/lib/admin/sso-domains";
import { createUser, resetPassword, updateUser } from "@/lib/admin/users";
import { authenticateToken, createApiToken } from "@/lib/api/tokens";
import { checkPasswordToken, hashToken, issuePasswordToken, PASSWORD_LINK_HOURS, redeemPasswordToken } from "@/lib/auth/password-tokens";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase, openTestDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;
const HOUR = 3600_000;

async function one<T>(db: DatabaseHandle["db"], query: ReturnType<typeof sql>): Promise<T> {
  const result = await db.execute(query);
  return result.rows[0] as T;
}

describe.each(drivers)("a clean install on %s", (driver) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
  });
  afterAll(() => handle?.close());

  it("has the reserved Opportunity type from the migrations, no users, and still counts as empty", async () => {
    const types = (await handle.db.execute<{ key: string; is_opportunity: boolean }>(sql`select key, is_opportunity from account_types`)).rows;
    expect(types).toEqual([{ key: "opportunity", is_opportunity: true }]);
    expect(await one<{ n: number }>(handle.db, sql`select count(*)::int as n from users`)).toEqual({ n: 0 });
    expect(await isEmpty(handle.db)).toBe(true);
  });

  it("token lifecycle: valid once, then used; a new link ends the old; expiry; only a hash stored", async () => {
    const [user] = (await handle.db.execute<{ id: string }>(sql`insert into users (email, name, role) values ('lin@example.com', 'Lin', 'member') returning id`)).rows;
    const now = new Date("2026-12-01T10:00:00Z");
    const first = await issuePasswordToken(handle.db, { userId: user.id, purpose: "invite", createdById: null, now });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.expiresAt.getTime() - now.getTime()).toBe(PASSWORD_LINK_HOURS * HOUR);
    const stored = (await handle.db.execute<{ token_hash: string }>(sql`select token_hash from password_tokens where user_id = ${user.id}`)).rows;
    expect(stored).toEqual([{ token_hash: hashToken(first.token) }]);
    expect(stored[0].token_hash).not.toContain(first.token);

    expect(await checkPasswordToken(handle.db, first.token, now)).toMatchObject({ status: "valid", email: "lin@example.com", purpose: "invite" });
    expect(await checkPasswordToken(handle.db, "x".repeat(43), now)).toEqual({ status: "unknown" });
    expect(await checkPasswordToken(handle.db, "not a token", now)).toEqual({ status: "unknown" });
    // Expired at exactly 72 hours.
    expect(await checkPasswordToken(handle.db, first.token, new Date(now.getTime() + PASSWORD_LINK_HOURS * HOUR))).toEqual({ status: "expired" });
    expect(await redeemPasswordToken(handle.db, first.token, "long enough password", new Date(now.getTime() + 73 * HOUR))).toEqual({ status: "expired" });

    // A reset issued later ends the first link.
    const second = await issuePasswordToken(handle.db, { userId: user.id, purpose: "reset", createdById: null, now: new Date(now.getTime() + HOUR) });
    expect(await checkPasswordToken(handle.db, first.token, now)).toEqual({ status: "used" });
    expect(await redeemPasswordToken(handle.db, first.token, "long enough password", now)).toEqual({ status: "used" });

    const done = await redeemPasswordToken(handle.db, second.token, "long enough password", new Date(now.getTime() + 2 * HOUR));
    expect(done).toEqual({ status: "done", userId: user.id, email: "lin@example.com" });
    const { password_hash } = await one<{ password_hash: string }>(handle.db, sql`select password_hash from users where id = ${user.id}`);
    expect(await bcrypt.compare("long enough password", password_hash)).toBe(true);
    // Used once: the second try changes nothing.
    expect(await redeemPasswordToken(handle.db, second.token, "another password!!", new Date(now.getTime() + 2 * HOUR))).toEqual({ status: "used" });
    const after = await one<{ password_hash: string }>(handle.db, sql`select password_hash from users where id = ${user.id}`);
    expect(after.password_hash).toBe(password_hash);
    expect(await one(handle.db, sql`select count(*)::int as n from audit_log where action = 'user.set_password' and target_id = ${user.id}`)).toEqual({ n: 1 });
  });

  it("two submits of one link at once: exactly one sets the password", async () => {
    const [user] = (await handle.db.execute<{ id: string }>(sql`insert into users (email, name, role) values ('race@example.com', 'Race', 'member') returning id`)).rows;
    const { token } = await issuePasswordToken(handle.db, { userId: user.id, purpose: "invite", createdById: null });
    const outcomes = await Promise.all([redeemPasswordToken(handle.db, token, "first password 1"), redeemPasswordToken(handle.db, token, "second password 2")]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["done", "used"]);
  });

  it("a disabled user's link does not work (and does not say who it was for)", async () => {
    const [user] = (await handle.db.execute<{ id: string }>(sql`insert into users (email, name, role, disabled_at) values ('gone@example.com', 'Gone', 'member', now()) returning id`)).rows;
    const { token } = await issuePasswordToken(handle.db, { userId: user.id, purpose: "invite", createdById: null });
    expect(await checkPasswordToken(handle.db, token)).toEqual({ status: "unknown" });
    expect(await redeemPasswordToken(handle.db, token, "long enough password")).toEqual({ status: "unknown" });
  });
});

describe.each(drivers)("invitations, resets and own passwords on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  const ctxFor = async (email: string): Promise<Ctx> => {
    const viewer = await loadViewer(seeded.db, seeded.demo.userIds[email]);
    if (!viewer) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer };
  };
  const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    admin = await ctxFor("admin@demo.test");
  });
  afterAll(() => seeded?.close());

  it("the demo seed reused the migrated Opportunity type: exactly one", async () => {
    expect(await one(seeded.db, sql`select count(*)::int as n from account_types where is_opportunity`)).toEqual({ n: 1 });
    expect(await isEmpty(seeded.db)).toBe(false);
  });

  it("an invitation creates the user without a password and answers a one-time link; a reset ends it", async () => {
    const invited = await runAction(createUser, { email: "New.Member@Example.com", name: "New Member", role: "member" }, admin);
    if (!invited.ok) throw new Error(invited.error);
    expect(invited.data.link.url).toMatch(/^http:\/\/localhost:3000\/set-password\/[A-Za-z0-9_-]{43}$/);
    expect(invited.message).toMatch(/works once, for 72 hours/);
    const row = await one<{ email: string; password_hash: string | null }>(seeded.db, sql`select email, password_hash from users where id = ${invited.data.id}`);
    expect(row).toEqual({ email: "new.member@example.com", password_hash: null });
    const first = tokenOf(invited.data.link.url);
    expect(await checkPasswordToken(seeded.db, first)).toMatchObject({ status: "valid", purpose: "invite" });

    const reset = await runAction(resetPassword, { userId: invited.data.id }, admin);
    if (!reset.ok) throw new Error(reset.error);
    expect(await checkPasswordToken(seeded.db, first)).toEqual({ status: "used" });
    expect(await checkPasswordToken(seeded.db, tokenOf(reset.data.link.url))).toMatchObject({ status: "valid", purpose: "reset" });

    // Disabling the user kills the open link too; a disabled user gets no new one.
    const off = await runAction(updateUser, { userId: invited.data.id, name: "New Member", role: "member", disabled: "on" }, admin);
    expect(off.ok).toBe(true);
    expect(await checkPasswordToken(seeded.db, tokenOf(reset.data.link.url))).toEqual({ status: "unknown" });
    expect(await runAction(resetPassword, { userId: invited.data.id }, admin)).toMatchObject({ ok: false, error: expect.stringMatching(/disabled/) });
  });

  it("only admins invite or reset; nothing is written otherwise", async () => {
    const count = async () => one<{ n: number }>(seeded.db, sql`select (select count(*) from users) + (select count(*) from password_tokens) as n`);
    const before = await count();
    for (const email of ["csm@demo.test", "leader@demo.test", "viewer@demo.test"]) {
      const ctx = await ctxFor(email);
      expect(await runAction(createUser, { email: `sneaky.${email}`, name: "Sneaky", role: "admin" }, ctx)).toMatchObject({ ok: false });
      expect(await runAction(resetPassword, { userId: admin.viewer.userId }, ctx)).toMatchObject({ ok: false });
    }
    expect(await count()).toEqual(before);
  });

  it("changes one's own password only with the current one, with errors beside the fields", async () => {
    const csm = await ctxFor("csm@demo.test");
    const wrong = await runAction(changeOwnPassword, { current: "not it", password: "a new password 1", confirm: "a new password 1" }, csm);
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { current: ["That is not your current password."] } });
    const short = await runAction(changeOwnPassword, { current: seeded.demo.password, password: "short", confirm: "short" }, csm);
    expect(short).toMatchObject({ ok: false, fieldErrors: { password: [expect.stringMatching(/at least 10/)] } });
    const differ = await runAction(changeOwnPassword, { current: seeded.demo.password, password: "a new password 1", confirm: "a new password 2" }, csm);
    expect(differ).toMatchObject({ ok: false, fieldErrors: { confirm: [expect.stringMatching(/differ/)] } });
    const { password_hash: unchanged } = await one<{ password_hash: string }>(seeded.db, sql`select password_hash from users where id = ${csm.viewer.userId}`);
    expect(await bcrypt.compare(seeded.demo.password, unchanged)).toBe(true);

    const ok = await runAction(changeOwnPassword, { current: seeded.demo.password, password: "a new password 1", confirm: "a new password 1" }, csm);
    expect(ok).toMatchObject({ ok: true });
    const { password_hash } = await one<{ password_hash: string }>(seeded.db, sql`select password_hash from users where id = ${csm.viewer.userId}`);
    expect(await bcrypt.compare("a new password 1", password_hash)).toBe(true);
  });

  it("disabling a user ends their access at once: no viewer for their session, their API tokens refused", async () => {
    const [second] = (await seeded.db.execute<{ id: string }>(sql`insert into users (email, name, role) values ('second.admin@example.com', 'Second Admin', 'admin') returning id`)).rows;
    const secondCtx: Ctx = { db: seeded.db, viewer: (await loadViewer(seeded.db, second.id))! };
    const created = await createApiToken(secondCtx, { name: "Feed of a soon disabled admin", scopes: ["usage:write"] });
    expect(await authenticateToken(seeded.db, `Bearer ${created.token}`)).toMatchObject({ ok: true });
    expect(await runAction(updateUser, { userId: second.id, name: "Second Admin", role: "admin", disabled: "on" }, admin)).toMatchObject({ ok: true });
    // The session names the user; loadViewer (every request) answers null, so the JWT stops working.
    expect(await loadViewer(seeded.db, second.id)).toBeNull();
    expect(await authenticateToken(seeded.db, `Bearer ${created.token}`)).toMatchObject({ ok: false, status: 401 });
  });

  it("single sign-on domain rules: saved, replaced, listed for admins only, removed", async () => {
    const [team] = (await seeded.db.execute<{ id: string }>(sql`select id from teams where key = 'emea'`)).rows;
    const bad = await runAction(saveSsoDomainRule, { domain: "https://example.com", role: "member", teamId: "" }, admin);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { domain: [expect.stringMatching(/example\.com/)] } });
    expect(await runAction(saveSsoDomainRule, { domain: "@Acme.Example", role: "viewer", teamId: "" }, admin)).toMatchObject({ ok: true });
    expect(await runAction(saveSsoDomainRule, { domain: "acme.example", role: "member", teamId: team.id }, admin)).toMatchObject({ ok: true });
    const rules = await listSsoDomainRules(admin);
    expect(rules).toMatchObject([{ domain: "acme.example", role: "member", teamId: team.id }]);
    expect(await listSsoDomainRules(await ctxFor("csm@demo.test"))).toEqual([]);
    expect(await runAction(saveSsoDomainRule, { domain: "evil.example", role: "admin", teamId: "" }, await ctxFor("csm@demo.test"))).toMatchObject({ ok: false });
    expect(await runAction(deleteSsoDomainRule, { ruleId: rules[0].id }, admin)).toMatchObject({ ok: true });
    expect(await listSsoDomainRules(admin)).toEqual([]);
  });
});
