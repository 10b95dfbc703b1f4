/**
 * Mentions, follows and notifications (issue 18), on PGlite and on a real Postgres: who hears of a
 * domain event (followers who can see the account, "everything below it" through the closure
 * table), privileged values only for those who may read them, @mentions refused for people who
 * cannot see the account, requests and assignments, and mail through a real SMTP server on
 * loopback (smtp-server + mailparser): instant, digest, SMTP down then up, and the visibility
 * re-check at sending time.
 */
// Mail is queued only when an SMTP server is configured; the worker is pointed at the test server.
process.env.SMTP_URL = "smtp://127.0.0.1:2525";

import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "@/lib/actions/define";
import { answerRequest, requestInformation } from "@/lib/activity/requests";
import { addTaskComment } from "@/lib/activity/task-comments";
import { createTask } from "@/lib/activity/tasks";
import { logTouchpoint } from "@/lib/activity/touchpoints";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { emitEvent } from "@/lib/events/emit";
import type { NewDomainEvent } from "@/lib/events/types";
import { deliverQueuedMail } from "@/lib/mail/deliver";
import { queueDigests } from "@/lib/mail/outbox";
import { followAccount, followedAccountIds, unfollowAccount } from "@/lib/notifications/follows";
import { inbox, markAllNotificationsRead, markNotificationRead, unreadCount } from "@/lib/notifications/inbox";
import { saveNotificationPreferences } from "@/lib/notifications/settings";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

/** A real SMTP server on loopback that parses every mail it accepts. */
async function startSmtp(port = 0) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const address = server.server.address() as AddressInfo;
  return { received, port: address.port, url: `smtp://127.0.0.1:${address.port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(drivers)("mentions, follows and notifications on %s", (driver) => {
  let seeded: Seeded;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const ctx: Record<string, Ctx> = {};
  let emeaProduct: { id: string; name: string };
  let americasProduct: { id: string; name: string };
  const q = async <T,>(query: ReturnType<typeof sql>) => (await seeded.db.execute(query)).rows as T[];
  const emit = (event: NewDomainEvent) => seeded.db.transaction((tx) => emitEvent(tx, event));
  const noticesOf = (eventId: number) => q<{ user_id: string; title: string; body: string }>(sql`select user_id, title, body from notifications where event_id = ${eventId} order by user_id`);
  const deliver = (now = new Date()) => deliverQueuedMail(seeded.db, { smtpUrl: smtp.url, from: "Customer 360 <c360@test.invalid>", baseUrl: "https://c360.test", now });
  const band = (accountId: string) =>
    emit({ type: "health.band_changed", accountId, actorId: ctx.admin.viewer.userId, data: { from: "good", to: "poor", score: 31, dimensions: ["usage"] } });

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    smtp = await startSmtp();
    for (const [key, email] of Object.entries({ admin: "admin@demo.test", csm: "csm@demo.test", leader: "leader@demo.test", viewer: "viewer@demo.test" })) {
      ctx[key] = { db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds[email]))! };
    }
    // An EMEA product Casey (csm) is assigned to as CSM, and an Americas product (the viewer's region).
    [emeaProduct] = await q(sql`select a.id, a.name from accounts a join account_types t on t.id = a.type_id
      join assignments s on s.account_id = a.id and s.user_id = ${ctx.csm.viewer.userId} and s.role = 'CSM'
      join account_closure c on c.descendant_id = a.id and c.ancestor_id = ${seeded.demo.emeaRegionId}
      where t.key = 'product' and a.archived_at is null order by a.name limit 1`);
    [americasProduct] = await q(sql`select a.id, a.name from accounts a join account_types t on t.id = a.type_id
      join account_closure c on c.descendant_id = a.id and c.ancestor_id = ${seeded.demo.americasRegionId}
      where t.key = 'product' and a.archived_at is null order by a.name limit 1`);
  });
  afterAll(async () => {
    await smtp?.close();
    await seeded?.close();
  });

  it("follows an account (and everything below it) and tells only followers who can see the account", async () => {
    // The leader follows the whole company; Casey the EMEA region; the viewer (Americas only) follows EMEA too.
    expect((await runAction(followAccount, { accountId: seeded.demo.companyId, includeBelow: "on" }, ctx.leader)).ok).toBe(true);
    expect((await runAction(followAccount, { accountId: seeded.demo.emeaRegionId, includeBelow: "on" }, ctx.csm)).ok).toBe(true);
    expect((await runAction(followAccount, { accountId: seeded.demo.americasRegionId }, ctx.viewer)).ok).toBe(true);
    // The viewer cannot follow what they cannot see: answered like a missing account.
    const refused = await runAction(followAccount, { accountId: seeded.demo.emeaRegionId, includeBelow: "on" }, ctx.viewer);
    expect(refused).toMatchObject({ ok: false, error: "This account does not exist or you may not act on it." });
    // A follow left from a scope they lost: written directly, it must still tell them nothing.
    await seeded.db.execute(sql`insert into account_follows (user_id, account_id, include_below) values (${ctx.viewer.viewer.userId}, ${seeded.demo.emeaRegionId}, true)`);
    expect(await followedAccountIds(seeded.db, ctx.leader.viewer.userId)).toEqual([{ accountId: seeded.demo.companyId, includeBelow: true }]);

    const onEmea = await band(emeaProduct.id);
    const emeaNotices = await noticesOf(onEmea.id);
    expect(emeaNotices.map((n) => n.user_id).sort()).toEqual([ctx.csm.viewer.userId, ctx.leader.viewer.userId].sort());
    expect(emeaNotices[0].title).toBe(`${emeaProduct.name}: health fell from Good to Poor`);

    // The viewer followed the Americas region without "everything below it": a product there is not news to them.
    const onAmericas = await band(americasProduct.id);
    expect((await noticesOf(onAmericas.id)).map((n) => n.user_id)).toEqual([ctx.leader.viewer.userId]);
    const onRegion = await emit({ type: "stage.changed", accountId: seeded.demo.americasRegionId, actorId: null, data: { lifecycleId: "x", fromStageId: null, toStageId: "00000000-0000-4000-8000-000000000000" } });
    expect((await noticesOf(onRegion.id)).map((n) => n.user_id).sort()).toEqual([ctx.leader.viewer.userId, ctx.viewer.viewer.userId].sort());

    // The actor is not told of their own change; unfollowing stops it.
    const own = await emit({ type: "asset.added", accountId: emeaProduct.id, actorId: ctx.csm.viewer.userId, data: { assetId: "a", name: "Deck.pdf" } });
    expect((await noticesOf(own.id)).map((n) => n.user_id)).toEqual([ctx.leader.viewer.userId]);
    expect((await runAction(unfollowAccount, { accountId: seeded.demo.emeaRegionId }, ctx.csm)).ok).toBe(true);
    expect((await noticesOf((await band(emeaProduct.id)).id)).map((n) => n.user_id)).toEqual([ctx.leader.viewer.userId]);
    await seeded.db.execute(sql`delete from account_follows where user_id = ${ctx.viewer.viewer.userId} and account_id = ${seeded.demo.emeaRegionId}`);
  });

  it("names a privileged value only to those who may read it", async () => {
    await runAction(followAccount, { accountId: emeaProduct.id }, ctx.admin);
    await runAction(followAccount, { accountId: emeaProduct.id }, ctx.csm);
    const [plain] = await q<{ key: string; label: string }>(sql`select d.key, d.label from attribute_definitions d join account_types t on t.id = d.account_type_id
      where t.key = 'product' and not d.privileged and d.deleted_at is null and d.data_type = 'text' order by d.position limit 1`);
    const event = await emit({
      type: "account.updated",
      accountId: emeaProduct.id,
      actorId: null,
      data: { changed: ["discount_pct", plain.key], values: { discount_pct: 37.5, [plain.key]: "Renewal owner changed" } } as never,
    });
    const byUser = new Map((await noticesOf(event.id)).map((n) => [n.user_id, n.body]));
    // Admin (reads privileged everywhere) and Casey (assigned as CSM, a role that grants it) see the discount.
    expect(byUser.get(ctx.admin.viewer.userId)).toContain("Discount (%): 37.5");
    expect(byUser.get(ctx.csm.viewer.userId)).toContain("37.5");
    // The leader follows the company but may not read privileged attributes here: neither label nor value.
    const leaderText = byUser.get(ctx.leader.viewer.userId)!;
    expect(leaderText).toContain(`${plain.label}: Renewal owner changed`);
    expect(leaderText).not.toContain("37.5");
    expect(leaderText).not.toContain("Discount");
    // A change of a privileged value alone tells the leader nothing at all.
    const only = await emit({ type: "account.updated", accountId: emeaProduct.id, actorId: null, data: { changed: ["discount_pct"], values: { discount_pct: 40 } } as never });
    expect((await noticesOf(only.id)).map((n) => n.user_id).sort()).toEqual([ctx.admin.viewer.userId, ctx.csm.viewer.userId].sort());
  });

  it("stores @mentions as user ids, notifies the person mentioned, and refuses someone who cannot see the account", async () => {
    const leaderId = ctx.leader.viewer.userId;
    const body = `Spoke with finance. <@${leaderId}> can you join the renewal call?`;
    const logged = await runAction(logTouchpoint, { accountId: emeaProduct.id, type: "note", subject: "Renewal prep", body, date: new Date().toISOString().slice(0, 10) }, ctx.csm);
    expect(logged.ok, JSON.stringify(logged)).toBe(true);
    const touchpointId = (logged as { data: { id: string } }).data.id;
    expect(await q(sql`select user_id from mentions where source_kind = 'touchpoint' and source_id = ${touchpointId}`)).toEqual([{ user_id: leaderId }]);
    const [stored] = await q<{ body: string }>(sql`select body from touchpoints where id = ${touchpointId}`);
    expect(stored.body).toBe(body);
    const [snapshot] = await q<{ body: string }>(sql`select snapshot->>'body' as body from timeline_entries where ref_id = ${touchpointId}`);
    expect(snapshot.body).toBe(`Spoke with finance. @${ctx.leader.viewer.name} can you join the renewal call?`);
    const [mention] = await q<{ title: string; body: string; href: string }>(sql`select title, body, href from notifications where user_id = ${leaderId} and kind = 'mention' order by id desc limit 1`);
    expect(mention.title).toBe(`${ctx.csm.viewer.name} mentioned you in a note on ${emeaProduct.name}`);
    expect(mention.body).toContain(`@${ctx.leader.viewer.name} can you join`);
    // The viewer cannot see EMEA: refused beside the field, nothing written.
    const before = await q<{ n: number }>(sql`select (select count(*) from touchpoints)::int + (select count(*) from mentions)::int + (select count(*) from notifications)::int as n`);
    const refused = await runAction(
      logTouchpoint,
      { accountId: emeaProduct.id, type: "note", subject: "Nope", body: `FYI <@${ctx.viewer.viewer.userId}>`, date: new Date().toISOString().slice(0, 10) },
      ctx.csm,
    );
    expect(refused).toMatchObject({ ok: false, fieldErrors: { body: [`${ctx.viewer.viewer.name} cannot see this account, so they cannot be mentioned here.`] } });
    expect(await q(sql`select (select count(*) from touchpoints)::int + (select count(*) from mentions)::int + (select count(*) from notifications)::int as n`)).toEqual(before);

    // Task comments take mentions too.
    const task = await runAction(createTask, { accountId: emeaProduct.id, title: "Send the renewal quote", priority: "high" }, ctx.csm);
    const taskId = (task as { data: { id: string } }).data.id;
    const comment = await runAction(addTaskComment, { taskId, body: `<@${ctx.admin.viewer.userId}> please approve the discount` }, ctx.csm);
    expect(comment.ok, JSON.stringify(comment)).toBe(true);
    const [onComment] = await q<{ title: string; href: string }>(sql`select title, href from notifications where user_id = ${ctx.admin.viewer.userId} and kind = 'mention' order by id desc limit 1`);
    expect(onComment).toEqual({ title: `${ctx.csm.viewer.name} mentioned you in a comment on “Send the renewal quote” on ${emeaProduct.name}`, href: `/accounts/${emeaProduct.id}/tasks/${taskId}` });
    const blind = await runAction(addTaskComment, { taskId, body: `<@${ctx.viewer.viewer.userId}> hi` }, ctx.csm);
    expect(blind).toMatchObject({ ok: false, fieldErrors: { body: [expect.stringContaining("cannot see this account")] } });
  });

  it("tells the recipient of a request, the requester of its answer, and whoever is given a task", async () => {
    const leaderId = ctx.leader.viewer.userId;
    const asked = await runAction(requestInformation, { accountId: emeaProduct.id, to: `user:${leaderId}`, question: "Who signs the renewal?" }, ctx.csm);
    expect(asked.ok).toBe(true);
    const [toLeader] = await q<{ title: string; body: string }>(sql`select title, body from notifications where user_id = ${leaderId} and kind = 'request' order by id desc limit 1`);
    expect(toLeader).toEqual({ title: `${ctx.csm.viewer.name} asked you about ${emeaProduct.name}`, body: "Who signs the renewal?" });
    const answered = await runAction(answerRequest, { requestId: (asked as { data: { id: string } }).data.id, answer: "The CFO." }, ctx.leader);
    expect(answered.ok).toBe(true);
    const [toCasey] = await q<{ title: string; body: string }>(sql`select title, body from notifications where user_id = ${ctx.csm.viewer.userId} and kind = 'request_answered' order by id desc limit 1`);
    expect(toCasey.body).toBe("Who signs the renewal? — The CFO.");
    const task = await runAction(createTask, { accountId: emeaProduct.id, title: "Book the QBR", priority: "medium", assigneeId: leaderId }, ctx.csm);
    expect(task.ok).toBe(true);
    const [given] = await q<{ title: string }>(sql`select title from notifications where user_id = ${leaderId} and kind = 'task_assigned' order by id desc limit 1`);
    expect(given.title).toBe(`${ctx.csm.viewer.name} assigned you a task on ${emeaProduct.name}`);
  });

  it("keeps an inbox with an unread count, mark read and mark all read, hiding accounts no longer visible", async () => {
    const leader = ctx.leader;
    const unread = await unreadCount(leader);
    expect(unread).toBeGreaterThan(3);
    const { items } = await inbox(leader, { limit: 5 });
    expect(items[0].read).toBe(false);
    expect((await runAction(markNotificationRead, { notificationId: String(items[0].id) }, leader)).ok).toBe(true);
    expect(await unreadCount(leader)).toBe(unread - 1);
    // Someone else's notification: nothing changes.
    const other = await runAction(markNotificationRead, { notificationId: String(items[1].id) }, ctx.csm);
    expect(other).toMatchObject({ ok: true, message: "Already read." });
    expect(await unreadCount(leader)).toBe(unread - 1);
    expect((await runAction(markAllNotificationsRead, {}, leader)).ok).toBe(true);
    expect(await unreadCount(leader)).toBe(0);
    // A line about an account the viewer cannot see is not shown in their inbox.
    await seeded.db.execute(sql`insert into notifications (user_id, kind, account_id, title, href) values (${ctx.viewer.viewer.userId}, 'mention', ${emeaProduct.id}, 'Stale', '/')`);
    expect((await inbox(ctx.viewer)).items.map((i) => i.title)).not.toContain("Stale");
    const bad = await runAction(markNotificationRead, { notificationId: "abc" }, leader);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { notificationId: ["Unknown notification."] } });
  });

  it("mails each notification at once through SMTP, keeps it when the server is down, and re-checks visibility when sending", async () => {
    // Drain what earlier tests queued, so this test counts its own mail.
    while ((await deliver()).claimed) {}
    const before = smtp.received.length;
    const mentioned = await runAction(
      logTouchpoint,
      { accountId: emeaProduct.id, type: "call", subject: "Pricing call", body: `<@${ctx.admin.viewer.userId}> the customer asks for terms`, date: new Date().toISOString().slice(0, 10) },
      ctx.csm,
    );
    expect(mentioned.ok).toBe(true);
    const report = await deliver();
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const mail = smtp.received.slice(before).find((m) => m.subject?.includes("mentioned you"))!;
    expect(mail, "the mention's mail arrived").toBeTruthy();
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe("admin@demo.test");
    expect(mail.subject).toBe(`${ctx.csm.viewer.name} mentioned you in a call on ${emeaProduct.name}`);
    expect(mail.text).toContain("the customer asks for terms");
    expect(mail.text).toContain(`https://c360.test/accounts/${emeaProduct.id}`);

    // SMTP down: the write succeeds, the mail stays queued with a later attempt, and goes once it is back.
    const down = await runAction(requestInformation, { accountId: emeaProduct.id, to: `user:${ctx.admin.viewer.userId}`, question: "Is the PO signed?" }, ctx.csm);
    expect(down.ok).toBe(true);
    const now = new Date();
    const failed = await deliverQueuedMail(seeded.db, { smtpUrl: "smtp://127.0.0.1:1", from: "c360@test.invalid", baseUrl: null, now });
    expect(failed).toMatchObject({ claimed: 1, failed: 1, sent: 0 });
    const [kept] = await q<{ status: string; attempts: number; next_attempt_at: string | Date; last_error: string }>(sql`select status, attempts, next_attempt_at, last_error from mail_outbox order by id desc limit 1`);
    expect(kept.status).toBe("queued");
    expect(kept.attempts).toBe(1);
    expect(new Date(kept.next_attempt_at).getTime()).toBeGreaterThan(now.getTime());
    expect(kept.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect((await deliver(now)).claimed).toBe(0); // not before its backoff
    const count = smtp.received.length;
    expect((await deliver(new Date(now.getTime() + 31_000))).sent).toBe(1);
    expect(smtp.received.length).toBe(count + 1);
    expect(smtp.received.at(-1)!.text).toContain("Is the PO signed?");

    // Sending time re-checks visibility: a queued mail about an account the recipient cannot see is withheld.
    const [stale] = await q<{ id: number }>(sql`insert into notifications (user_id, kind, account_id, title, href) values (${ctx.viewer.viewer.userId}, 'mention', ${emeaProduct.id}, 'Secret EMEA news', '/') returning id`);
    await seeded.db.execute(sql`insert into mail_outbox (user_id, kind, notification_ids) values (${ctx.viewer.viewer.userId}, 'instant', ${`{${stale.id}}`}::bigint[])`);
    const withheld = await deliver(new Date(now.getTime() + 32_000));
    expect(withheld).toMatchObject({ withheld: 1, sent: 0 });
    expect(smtp.received.some((m) => m.subject === "Secret EMEA news")).toBe(false);
  });

  it("sends a daily digest instead, for those who chose it", async () => {
    const leader = ctx.leader;
    expect((await runAction(saveNotificationPreferences, { emailMode: "digest", digestHour: "6" }, leader)).ok).toBe(true);
    expect(await runAction(saveNotificationPreferences, { emailMode: "weekly", digestHour: "25" }, leader)).toMatchObject({ ok: false, fieldErrors: { emailMode: [expect.any(String)], digestHour: ["Pick an hour from 0 to 23."] } });
    const queuedBefore = (await q<{ n: number }>(sql`select count(*)::int as n from mail_outbox where user_id = ${leader.viewer.userId}`))[0].n;
    const one = await band(emeaProduct.id);
    await band(americasProduct.id);
    expect((await noticesOf(one.id)).some((n) => n.user_id === leader.viewer.userId)).toBe(true);
    // Digest users get no mail per notification.
    expect((await q<{ n: number }>(sql`select count(*)::int as n from mail_outbox where user_id = ${leader.viewer.userId}`))[0].n).toBe(queuedBefore);
    const tomorrow = new Date(Date.now() + 86_400_000);
    tomorrow.setUTCHours(7, 0, 0, 0);
    expect(await queueDigests(seeded.db, tomorrow)).toBe(1);
    expect(await queueDigests(seeded.db, tomorrow)).toBe(0); // once a day
    const before = smtp.received.length;
    // The digest, and the instant mail of the others who follow the EMEA product.
    expect((await deliver(tomorrow)).sent).toBeGreaterThanOrEqual(1);
    const digests = smtp.received.slice(before).filter((m) => m.subject?.includes("digest"));
    expect(digests.length).toBe(1);
    const digest = digests[0];
    expect(digest.to && !Array.isArray(digest.to) ? digest.to.text : "").toBe("leader@demo.test");
    expect(digest.subject).toBe("Customer 360 daily digest: 2 updates");
    expect(digest.text).toContain(`${emeaProduct.name}: health fell from Good to Poor`);
    expect(digest.text).toContain(`${americasProduct.name}: health fell from Good to Poor`);
  });
});
