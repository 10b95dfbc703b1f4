/**
 * More sources of notifications (issue 18), on PGlite and on a real Postgres:
 * - the daily usage-drop sweep: an account whose last 7 days fell below half its weekly average of
 *   the 28 days before emits one `usage.dropped`, and its followers hear of it once per fall;
 * - reassigning a task (in the app and through the API's task PATCH) tells the new assignee, as
 *   their mail setting says, but not someone who takes a task themselves;
 * - @mentions in touchpoints logged through the API are stored, notified, and refused for someone
 *   who cannot see the account, as the app's form does.
 */
// Mail is queued only when an SMTP server is configured (nothing is sent in this file).
process.env.SMTP_URL = "smtp://127.0.0.1:2525";

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAction } from "@/lib/actions/define";
import { reassignTask } from "@/lib/activity/task-reassign";
import { createTask } from "@/lib/activity/tasks";
import { ENDPOINTS } from "@/lib/api/endpoints";
import { MUTATIONS } from "@/lib/api/mutations";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { ingestUsage } from "@/lib/ingest/usage";
import { followAccount } from "@/lib/notifications/follows";
import { saveNotificationPreferences } from "@/lib/notifications/settings";
import { runUsageDropSweep, usageVerdict } from "@/lib/notifications/usage-drops";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;
const DAY = 86_400_000;

describe("the usage-drop rule", () => {
  it("needs a real habit to fall from, and a clear recovery to end", () => {
    expect(usageVerdict(300, 2800, false)).toEqual({ dropped: true, baselineWeekly: 700 });
    expect(usageVerdict(350, 2800, false).dropped).toBe(false); // exactly half is not below half
    expect(usageVerdict(0, 56, false).dropped).toBe(false); // 14 a week is noise
    expect(usageVerdict(500, 2800, true).dropped).toBe(true); // in a drop until 75 %
    expect(usageVerdict(525, 2800, true).dropped).toBe(false);
  });
});

describe.each(drivers)("usage drops, task reassignment and API mentions on %s", (driver) => {
  let seeded: Seeded;
  const ctx: Record<string, Ctx> = {};
  let products: { id: string; name: string; external_id: string }[];
  const q = async <T,>(query: ReturnType<typeof sql>) => (await seeded.db.execute(query)).rows as T[];
  const notices = (userId: string, kind: string) =>
    q<{ title: string; body: string; href: string; account_id: string }>(sql`select title, body, href, account_id from notifications where user_id = ${userId} and kind = ${kind} order by id`);
  const outbox = (userId: string) => q<{ n: number }>(sql`select count(*)::int as n from mail_outbox where user_id = ${userId}`).then((r) => r[0].n);

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    for (const [key, email] of Object.entries({ admin: "admin@demo.test", csm: "csm@demo.test", leader: "leader@demo.test", viewer: "viewer@demo.test" })) {
      ctx[key] = { db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds[email]))! };
    }
    // EMEA products Casey (csm) is assigned to; the viewer (Americas only) cannot see them.
    products = await q(sql`select a.id, a.name, a.external_id from accounts a join account_types t on t.id = a.type_id
      join assignments s on s.account_id = a.id and s.user_id = ${ctx.csm.viewer.userId} and s.role = 'CSM'
      join account_closure c on c.descendant_id = a.id and c.ancestor_id = ${seeded.demo.emeaRegionId}
      where t.key = 'product' and a.archived_at is null and a.external_id is not null order by a.name limit 3`);
    expect(products.length).toBe(3);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("sweeps once a day, announces a fall in usage once to the followers who can see it, and re-arms after recovery", async () => {
    // Far past the demo data's year, so only the events sent here are in the windows.
    const now = new Date(demoNow().getTime() + 400 * DAY);
    const at = (daysAgo: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY + 12 * 3_600_000).toISOString();
    const [falling, steady, quiet] = products;
    const events = [
      // 100 a day for the 28 days before the last week, then 10 a day: a fall to 10 %.
      ...Array.from({ length: 28 }, (_, i) => ({ account: falling, daysAgo: 8 + i, count: 100 })),
      ...Array.from({ length: 7 }, (_, i) => ({ account: falling, daysAgo: 1 + i, count: 10 })),
      // Steady at 100 a day throughout.
      ...Array.from({ length: 35 }, (_, i) => ({ account: steady, daysAgo: 1 + i, count: 100 })),
      // Two a day, then nothing: too little to call a habit.
      ...Array.from({ length: 28 }, (_, i) => ({ account: quiet, daysAgo: 8 + i, count: 2 })),
      // Today's events are not in the week yet (it is still filling); counted, 370 would not be a fall.
      { account: falling, daysAgo: 0, count: 300 },
    ].map((e) => ({ accountExternalId: e.account.external_id, module: "drops", activity: "report", occurredAt: at(e.daysAgo), count: e.count }));
    await seeded.db.transaction((tx) => ingestUsage({ db: tx, viewer: ctx.admin.viewer }, events));

    // The leader follows the company and everything below; the viewer follows EMEA but cannot see it.
    expect((await runAction(followAccount, { accountId: seeded.demo.companyId, includeBelow: "on" }, ctx.leader)).ok).toBe(true);
    await seeded.db.execute(sql`insert into account_follows (user_id, account_id, include_below) values (${ctx.viewer.viewer.userId}, ${seeded.demo.emeaRegionId}, true)`);

    const sweep = async (when: Date) => {
      let steps = 0;
      while (await runUsageDropSweep(seeded.db, when, 100)) steps++;
      return steps + 1;
    };
    const accounts = (await q<{ n: number }>(sql`select count(*)::int as n from accounts where archived_at is null`))[0].n;
    expect(await sweep(now)).toBe(Math.floor(accounts / 100) + 1); // the walk goes 100 accounts a step
    const dropped = await q<{ account_id: string; type: string; data: { from: number; to: number; windowDays: number } }>(
      sql`select account_id, type, data from domain_events where type = 'usage.dropped' order by id`,
    );
    expect(dropped).toEqual([{ account_id: falling.id, type: "usage.dropped", data: { from: 700, to: 70, windowDays: 7 } }]);
    const heard = await notices(ctx.leader.viewer.userId, "usage.dropped");
    expect(heard).toEqual([
      { title: `${falling.name}: usage dropped 90%`, body: "70 events in the last 7 days, against 700 a week on average before.", href: `/accounts/${falling.id}?tab=usage`, account_id: falling.id },
    ]);
    expect(await notices(ctx.viewer.viewer.userId, "usage.dropped")).toEqual([]);

    // Again the same day: the walk is done, nothing is evaluated twice.
    expect(await runUsageDropSweep(seeded.db, new Date(now.getTime() + 3_600_000), 100)).toBe(false);
    // The next day it is still down: no second notice for the same fall.
    await sweep(new Date(now.getTime() + DAY));
    expect((await notices(ctx.leader.viewer.userId, "usage.dropped")).length).toBe(1);
    expect(await q(sql`select account_id, recent_events::int as recent, baseline_weekly::int as baseline from usage_drops`)).toEqual([{ account_id: falling.id, recent: 70, baseline: 700 }]);

    // Usage comes back: 1,350 in the week against 655 a week before; the drop ends, a later fall is news again.
    await seeded.db.transaction((tx) =>
      ingestUsage({ db: tx, viewer: ctx.admin.viewer }, [{ accountExternalId: falling.external_id, module: "drops", activity: "report", occurredAt: at(-1), count: 1000 }]),
    );
    await sweep(new Date(now.getTime() + 2 * DAY));
    expect(await q(sql`select account_id from usage_drops`)).toEqual([]);
  });

  it("tells the new assignee of a reassigned task, in the app and through the API, per their mail setting, not when one takes it oneself", async () => {
    const [product] = products;
    const leaderId = ctx.leader.viewer.userId;
    const created = await runAction(createTask, { accountId: product.id, title: "Prepare the renewal deck", priority: "high", dueDate: "2031-01-15" }, ctx.csm);
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const taskId = (created as { data: { id: string } }).data.id;

    // To the leader (mail at once, the default): inbox line and a queued mail.
    const mailBefore = await outbox(leaderId);
    const given = await runAction(reassignTask, { taskId, assigneeId: leaderId }, ctx.csm);
    expect(given).toMatchObject({ ok: true, data: { changed: true, assignee: ctx.leader.viewer.name } });
    expect((await notices(leaderId, "task_assigned")).at(-1)).toMatchObject({
      title: `${ctx.csm.viewer.name} assigned you a task on ${product.name}`,
      body: "Prepare the renewal deck (due 2031-01-15)",
      href: `/accounts/${product.id}/tasks/${taskId}`,
    });
    expect(await outbox(leaderId)).toBe(mailBefore + 1);
    const [entry] = await q<{ title: string; assignee: string; previous: string | null }>(
      sql`select title, snapshot->>'assignee' as assignee, snapshot->>'previousAssignee' as previous from timeline_entries where ref_id = ${taskId} order by occurred_at desc, id desc limit 1`,
    );
    expect(entry).toEqual({ title: "Task reassigned: Prepare the renewal deck", assignee: ctx.leader.viewer.name, previous: null });

    // Taking it back oneself: no notice to oneself.
    const csmNotices = (await notices(ctx.csm.viewer.userId, "task_assigned")).length;
    expect((await runAction(reassignTask, { taskId, assigneeId: ctx.csm.viewer.userId }, ctx.csm)).ok).toBe(true);
    expect((await notices(ctx.csm.viewer.userId, "task_assigned")).length).toBe(csmNotices);
    // The same assignee again changes nothing; someone who cannot see the account is refused beside the field.
    expect(await runAction(reassignTask, { taskId, assigneeId: ctx.csm.viewer.userId }, ctx.csm)).toMatchObject({ ok: true, data: { changed: false } });
    expect(await runAction(reassignTask, { taskId, assigneeId: ctx.viewer.viewer.userId }, ctx.csm)).toMatchObject({
      ok: false,
      fieldErrors: { assigneeId: [`${ctx.viewer.viewer.name} cannot see this account, so they cannot be picked here.`] },
    });
    // The viewer may not reassign at all (and cannot see the task).
    expect((await runAction(reassignTask, { taskId, assigneeId: "" }, ctx.viewer)).ok).toBe(false);

    // Through the API's task PATCH, to the leader who now wants a daily digest: inbox yes, instant mail no.
    expect((await runAction(saveNotificationPreferences, { emailMode: "digest", digestHour: "7" }, ctx.leader)).ok).toBe(true);
    const apiMail = await outbox(leaderId);
    const before = (await notices(leaderId, "task_assigned")).length;
    const patched = await seeded.db.transaction((tx) => MUTATIONS.patchTask.run({ db: tx, viewer: ctx.admin.viewer }, taskId, { assigneeId: leaderId, status: "done" }));
    expect(patched).toMatchObject({ status: "done", changed: true });
    const leaderNotices = await notices(leaderId, "task_assigned");
    expect(leaderNotices.length).toBe(before + 1);
    expect(leaderNotices.at(-1)!.title).toBe(`${ctx.admin.viewer.name} assigned you a task on ${product.name}`);
    expect(await outbox(leaderId)).toBe(apiMail);
    const [task] = await q<{ assignee_id: string; status: string }>(sql`select assignee_id, status from tasks where id = ${taskId}`);
    expect(task).toEqual({ assignee_id: leaderId, status: "done" });
    // A blind assignee through the API: 422 naming the field, nothing changed.
    await expect(seeded.db.transaction((tx) => MUTATIONS.patchTask.run({ db: tx, viewer: ctx.admin.viewer }, taskId, { assigneeId: ctx.viewer.viewer.userId }))).rejects.toMatchObject({
      status: 422,
      issues: [{ path: ["assigneeId"], message: expect.stringContaining("cannot see this account") }],
    });
    // Unassigning through the API.
    await seeded.db.transaction((tx) => MUTATIONS.patchTask.run({ db: tx, viewer: ctx.admin.viewer }, taskId, { assigneeId: null }));
    expect((await q<{ assignee_id: string | null }>(sql`select assignee_id from tasks where id = ${taskId}`))[0].assignee_id).toBeNull();
    expect(MUTATIONS.patchTask.body!.safeParse({}).success).toBe(false);
  });

  it("parses @mentions in touchpoints logged through the API, as the app's form does", async () => {
    const [, product] = products;
    const leaderId = ctx.leader.viewer.userId;
    const api = { db: seeded.db, viewer: ctx.admin.viewer };
    const body = `Renewal risk. <@${leaderId}> please call their CFO.`;
    const result = (await seeded.db.transaction((tx) =>
      ENDPOINTS.touchpoints.run({ ...api, db: tx }, { touchpoints: [{ accountExternalId: product.external_id, type: "call", subject: "CFO call", body, occurredAt: new Date().toISOString() }] }),
    )) as { ids: string[] };
    const [touchpointId] = result.ids;
    expect(await q(sql`select user_id, author_id from mentions where source_kind = 'touchpoint' and source_id = ${touchpointId}`)).toEqual([{ user_id: leaderId, author_id: ctx.admin.viewer.userId }]);
    expect((await q<{ body: string }>(sql`select body from touchpoints where id = ${touchpointId}`))[0].body).toBe(body);
    const [snapshot] = await q<{ body: string }>(sql`select snapshot->>'body' as body from timeline_entries where ref_id = ${touchpointId}`);
    expect(snapshot.body).toBe(`Renewal risk. @${ctx.leader.viewer.name} please call their CFO.`);
    const [mention] = (await notices(leaderId, "mention")).slice(-1);
    expect(mention).toEqual({ title: `${ctx.admin.viewer.name} mentioned you in a call on ${product.name}`, body: `Renewal risk. @${ctx.leader.viewer.name} please call their CFO.`, href: `/accounts/${product.id}`, account_id: product.id });

    // Someone who cannot see the account: 422 on that item's body, nothing written (all or nothing).
    const count = async () => (await q<{ n: number }>(sql`select (select count(*) from touchpoints)::int + (select count(*) from mentions)::int + (select count(*) from notifications)::int as n`))[0].n;
    const before = await count();
    const blind = seeded.db.transaction((tx) =>
      ENDPOINTS.touchpoints.run(
        { ...api, db: tx },
        {
          touchpoints: [
            { accountExternalId: product.external_id, type: "note", subject: "Fine", body: `<@${leaderId}> ok`, occurredAt: new Date().toISOString() },
            { accountExternalId: product.external_id, type: "note", subject: "Not fine", body: `FYI <@${ctx.viewer.viewer.userId}>`, occurredAt: new Date().toISOString() },
          ],
        },
      ),
    );
    await expect(blind).rejects.toMatchObject({ status: 422, issues: [{ path: ["touchpoints", 1, "body"], message: `${ctx.viewer.viewer.name} cannot see this account, so they cannot be mentioned here.` }] });
    expect(await count()).toBe(before);
  });
});
