/**
 * The profile's server actions, run through the one wrapper (`runAction`) with a real database and
 * a real viewer on both drivers: each writes its record and its timeline entry; bad input, a
 * crafted account, a person who cannot see the account or a role that may not act gets an error
 * and writes NOTHING (row counts compared before/after); stale versions conflict.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { TIMELINE_LIMIT } from "@/db/schema";
import { runAction, type ActionResult } from "@/lib/actions/define";
import type { ActionDefinition } from "@/lib/actions/definition";
import { addDays, todayIso } from "@/lib/days";
import { addLinkAsset } from "@/lib/activity/links";
import { addObjective, NEW_PLAN } from "@/lib/activity/objectives";
import { applyPlaybook } from "@/lib/activity/playbooks";
import { answerRequest, requestInformation } from "@/lib/activity/requests";
import { createTask, setTaskStatus } from "@/lib/activity/tasks";
import { logTouchpoint } from "@/lib/activity/touchpoints";
import { addTag, removeTag, saveCompanyProfile } from "@/lib/attributes/company-profile";
import { editAttribute } from "@/lib/attributes/edit";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { openTasks, recentlyDoneTasks } from "@/lib/dal/activity";
import { colleaguesWhoCanSee } from "@/lib/dal/quick-actions";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";


type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;
// Any action definition, whatever its schema and result (for tables of cases).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = ActionDefinition<any, any>;

/** Tables an action may write; a refused action must leave every count (and version sum) as it was. */
const WRITTEN_TABLES = [
  "touchpoints",
  "touchpoint_participants",
  "tasks",
  "success_plans",
  "objectives",
  "information_requests",
  "assets",
  "attribute_changes",
  "timeline_entries",
  "account_tags",
  "tags",
  "account_group_members",
  "audit_log",
] as const;

describe.each(drivers)("profile actions on %s", (driver) => {
  let seeded: Seeded;
  let csm: Ctx;
  let admin: Ctx;
  let leader: Ctx;
  let viewer: Ctx;
  /** A product Casey (csm@demo.test) is assigned to, in EMEA. */
  let product: AccountSummary;
  /** An Americas product: outside Casey's scope, inside the viewer's. */
  let americas: AccountSummary;
  let today: string;

  const rows = async <T extends Record<string, unknown>>(query: SQL): Promise<T[]> => (await seeded.db.execute(query)).rows as T[];
  const one = async <T extends Record<string, unknown>>(query: SQL): Promise<T> => (await rows<T>(query))[0];
  const userId = (email: string) => seeded.demo.userIds[email];
  const ctxFor = async (email: string): Promise<Ctx> => {
    const v = await loadViewer(seeded.db, userId(email));
    if (!v) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer: v };
  };
  const snapshot = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const table of WRITTEN_TABLES) {
      counts[table] = Number((await one<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`)).n);
    }
    counts.attribute_versions = Number((await one<{ n: number }>(sql`select coalesce(sum(version), 0)::int as n from attribute_values`)).n);
    counts.open_tasks = Number((await one<{ n: number }>(sql`select count(*)::int as n from tasks where status = 'open'`)).n);
    counts.open_requests = Number((await one<{ n: number }>(sql`select count(*)::int as n from information_requests where status = 'open'`)).n);
    return counts;
  };
  /** Runs the action and asserts it failed without writing anything. */
  const refused = async (definition: AnyDefinition, raw: Record<string, unknown>, ctx: Ctx): Promise<Extract<ActionResult, { ok: false }>> => {
    const before = await snapshot();
    const result = await runAction(definition, raw, ctx);
    expect(result.ok, JSON.stringify(result)).toBe(false);
    expect(await snapshot()).toEqual(before);
    return result as Extract<ActionResult, { ok: false }>;
  };
  const succeeded = <T,>(result: ActionResult<T>): T => {
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    return (result as Extract<ActionResult<T>, { ok: true }>).data;
  };
  const contactOf = async (account: AccountSummary) =>
    one<{ id: string; name: string }>(sql`select c.id, c.name from account_contacts ac join contacts c on c.id = ac.contact_id
      where ac.account_id = ${account.id} order by c.name limit 1`);
  const entryFor = (refId: string) =>
    rows<{ kind: string; title: string; snapshot: Record<string, unknown>; actor_id: string; account_id: string }>(
      sql`select kind, title, snapshot, actor_id, account_id from timeline_entries where ref_id = ${refId} order by id`,
    );

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [csm, admin, leader, viewer] = await Promise.all(["csm@demo.test", "admin@demo.test", "leader@demo.test", "viewer@demo.test"].map(ctxFor));
    const assigned = await one<{ id: string }>(sql`
      select a.id from assignments s join accounts a on a.id = s.account_id join account_types t on t.id = a.type_id
      where s.user_id = ${userId("csm@demo.test")} and t.key = 'product' and a.id <> ${seeded.demo.busiestProductId}
      order by a.name limit 1`);
    product = (await findAccount(csm, assigned.id))!;
    const outside = await one<{ id: string }>(sql`
      select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
      where c.ancestor_id = ${seeded.demo.americasRegionId} and t.key = 'product' order by a.name limit 1`);
    americas = (await findAccount(admin, outside.id))!;
    expect(product).toBeTruthy();
    expect(await findAccount(csm, americas.id)).toBeNull();
    expect(await findAccount(viewer, americas.id)).toBeTruthy();
    today = todayIso();
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("logs a touchpoint with contacts and colleagues as participants, and its timeline entry", async () => {
    const contact = await contactOf(product);
    const data = succeeded(
      await runAction(
        logTouchpoint,
        {
          accountId: product.id,
          type: "meeting",
          subject: "  Quarterly check-in  ",
          body: "Agreed the rollout plan for Q1.",
          date: today,
          contactIds: contact.id,
          userIds: [userId("csm@demo.test"), userId("jonas.becker@demo.test")],
        },
        csm,
      ),
    );
    const touchpoint = await one<{ subject: string; type: string; author_id: string; participants: number }>(sql`
      select t.subject, t.type, t.author_id, (select count(*)::int from touchpoint_participants p where p.touchpoint_id = t.id) as participants
      from touchpoints t where t.id = ${data.id}`);
    expect(touchpoint).toMatchObject({ subject: "Quarterly check-in", type: "meeting", author_id: userId("csm@demo.test"), participants: 3 });
    const [entry] = await entryFor(data.id);
    expect(entry).toMatchObject({ kind: "touchpoint", title: "Meeting: Quarterly check-in", actor_id: userId("csm@demo.test"), account_id: product.id });
    expect(entry.snapshot).toMatchObject({ type: "meeting", subject: "Quarterly check-in", body: "Agreed the rollout plan for Q1.", date: today });
    expect(entry.snapshot.participants).toEqual([contact.name, "Casey CSM", "Jonas Becker"]);
  });

  it("lets leadership log a touchpoint and a task, but not the other actions", async () => {
    succeeded(await runAction(logTouchpoint, { accountId: americas.id, type: "note", subject: "Exec sync", date: today }, leader));
    const own = succeeded(await runAction(createTask, { accountId: americas.id, title: "Exec follow-up", priority: "high" }, leader));
    // Its own tasks it may complete; someone else's it may not (leadership changes nothing else).
    succeeded(await runAction(setTaskStatus, { taskId: own.id, status: "done" }, leader));
    const others = succeeded(await runAction(createTask, { accountId: americas.id, title: "CSM follow-up", priority: "low" }, admin));
    const refusedTask = await refused(setTaskStatus, { taskId: others.id, status: "done" }, leader);
    expect(refusedTask.error).toMatch(/only its own tasks/);
    const objective = await refused(addObjective, { accountId: americas.id, planId: NEW_PLAN, title: "Grow usage" }, leader);
    expect(objective.error).toMatch(/Leadership can log touchpoints and tasks/);
    await refused(addLinkAsset, { accountId: americas.id, name: "Deck", url: "https://example.com/deck" }, leader);
    await refused(editAttribute, { accountId: americas.id, attributeId: "00000000-0000-4000-8000-000000000000", version: "1", value: "1" }, leader);
  });

  it("creates a task for a colleague who can see the account, and completes and reopens it", async () => {
    const due = addDays(today, 7);
    const data = succeeded(
      await runAction(createTask, { accountId: product.id, title: "Send the QBR deck", dueDate: due, assigneeId: userId("jonas.becker@demo.test"), priority: "high", description: "" }, csm),
    );
    const task = await one<{ title: string; due_date: string; assignee_id: string; priority: string; status: string; created_by: string }>(
      sql`select title, due_date::text, assignee_id, priority, status, created_by from tasks where id = ${data.id}`,
    );
    expect(task).toEqual({ title: "Send the QBR deck", due_date: due, assignee_id: userId("jonas.becker@demo.test"), priority: "high", status: "open", created_by: userId("csm@demo.test") });
    const [created] = await entryFor(data.id);
    expect(created).toMatchObject({ kind: "task", title: "Task created: Send the QBR deck" });
    expect(created.snapshot).toMatchObject({ title: "Send the QBR deck", dueDate: due, priority: "high", assignee: "Jonas Becker", status: "open" });

    // The viewer role may not complete it; the assignee's colleague (in scope) may; reopening works too.
    await refused(setTaskStatus, { taskId: data.id, status: "done" }, viewer);
    succeeded(await runAction(setTaskStatus, { taskId: data.id, status: "done" }, csm));
    expect(await one(sql`select status, completed_at is not null as completed from tasks where id = ${data.id}`)).toEqual({ status: "done", completed: true });
    expect((await openTasks(csm, product, 500)).tasks.map((t) => t.id)).not.toContain(data.id);
    expect((await recentlyDoneTasks(csm, product)).map((t) => t.id)).toContain(data.id);
    succeeded(await runAction(setTaskStatus, { taskId: data.id, status: "open" }, await ctxFor("jonas.becker@demo.test")));
    expect(await one(sql`select status, completed_at from tasks where id = ${data.id}`)).toEqual({ status: "open", completed_at: null });
    const titles = (await entryFor(data.id)).map((e) => e.title);
    expect(titles).toEqual(["Task created: Send the QBR deck", "Task completed: Send the QBR deck", "Task reopened: Send the QBR deck"]);
    // A crafted task id of an account outside the scope is "not found".
    const foreign = await one<{ id: string }>(sql`select id from tasks where account_id = ${americas.id} limit 1`);
    const result = await refused(setTaskStatus, { taskId: foreign.id, status: "done" }, csm);
    expect(result.error).toMatch(/does not exist or you may not/);
  });

  it("adds an objective, creating the success plan when the account has none", async () => {
    const planless = await one<{ id: string }>(sql`
      select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
      where c.ancestor_id = ${seeded.demo.emeaRegionId} and t.key = 'product'
        and not exists (select 1 from success_plans p where p.account_id = a.id) order by a.name limit 1`);
    const data = succeeded(await runAction(addObjective, { accountId: planless.id, planId: "", title: "Reach 80% weekly active users", dueDate: addDays(today, 60) }, admin));
    expect(data.plan.created).toBe(true);
    const plan = await one<{ name: string; account_id: string; objectives: number }>(sql`
      select p.name, p.account_id, (select count(*)::int from objectives o where o.plan_id = p.id) as objectives from success_plans p where p.id = ${data.plan.id}`);
    expect(plan.account_id).toBe(planless.id);
    expect(plan.objectives).toBe(1);
    const [entry] = await entryFor(data.id);
    expect(entry).toMatchObject({ kind: "objective", title: "Objective added: Reach 80% weekly active users", account_id: planless.id });
    expect(entry.snapshot).toMatchObject({ plan: plan.name, planCreated: true, progress: 0 });

    // Now it has a plan: the objective goes to the chosen one; a plan of another account is refused.
    const second = succeeded(await runAction(addObjective, { accountId: planless.id, planId: data.plan.id, title: "Train 40 power users" }, admin));
    expect(second.plan).toMatchObject({ id: data.plan.id, created: false });
    const otherPlan = await one<{ id: string }>(sql`select id from success_plans where account_id <> ${planless.id} limit 1`);
    const wrong = await refused(addObjective, { accountId: planless.id, planId: otherPlan.id, title: "Sneaky" }, admin);
    expect(wrong.fieldErrors?.planId).toBeTruthy();
    const unchosen = await refused(addObjective, { accountId: planless.id, planId: "", title: "Which plan?" }, admin);
    expect(unchosen.fieldErrors?.planId?.[0]).toMatch(/Pick the success plan/);
  });

  it("applies a SuccessPlay: its steps become tasks due relative to today, assigned to the viewer", async () => {
    const playbook = await one<{ id: string; name: string }>(sql`select id, name from playbooks where name = 'At-risk recovery'`);
    const steps = await rows<{ title: string; offset_days: number; priority: string }>(
      sql`select title, offset_days, priority from playbook_steps where playbook_id = ${playbook.id} order by position`,
    );
    const data = succeeded(await runAction(applyPlaybook, { accountId: product.id, playbookId: playbook.id }, csm));
    expect(data.taskIds).toHaveLength(steps.length);
    const created = await rows<{ title: string; due_date: string; priority: string; assignee_id: string; playbook_id: string }>(sql`
      select title, due_date::text, priority, assignee_id, playbook_id from tasks where id in (${sql.join(data.taskIds.map((id) => sql`${id}::uuid`), sql`, `)})
      order by due_date, title`);
    expect(created.map((t) => [t.title, t.due_date, t.priority])).toEqual(
      steps.map((s) => [s.title, addDays(today, Number(s.offset_days)), s.priority]).sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[0]).localeCompare(String(b[0]))),
    );
    expect(new Set(created.map((t) => t.assignee_id))).toEqual(new Set([userId("csm@demo.test")]));
    const entries = await rows<{ n: number }>(sql`select count(*)::int as n from timeline_entries where kind = 'task'
      and ref_id in (${sql.join(data.taskIds.map((id) => sql`${id}`), sql`, `)})`);
    expect(Number(entries[0].n)).toBe(steps.length);
    await refused(applyPlaybook, { accountId: product.id, playbookId: "00000000-0000-4000-8000-000000000000" }, csm);
  });

  it("requests information from a contact and records the answer", async () => {
    const contact = await contactOf(product);
    const data = succeeded(await runAction(requestInformation, { accountId: product.id, to: `contact:${contact.id}`, question: "How many branches go live in January?", dueDate: addDays(today, 10) }, csm));
    expect(await one(sql`select status, to_contact_id, question from information_requests where id = ${data.id}`)).toEqual({
      status: "open",
      to_contact_id: contact.id,
      question: "How many branches go live in January?",
    });
    succeeded(await runAction(answerRequest, { requestId: data.id, answer: "Twelve branches." }, csm));
    expect(await one(sql`select status, answer, answered_at is not null as answered from information_requests where id = ${data.id}`)).toEqual({
      status: "answered",
      answer: "Twelve branches.",
      answered: true,
    });
    const entries = await entryFor(data.id);
    expect(entries.map((e) => e.title)).toEqual(["Information requested: How many branches go live in January?", "Information request answered: How many branches go live in January?"]);
    expect(entries[1].snapshot).toMatchObject({ answer: "Twelve branches.", to: contact.name, status: "answered" });
    // Answering twice is refused without writing.
    const again = await refused(answerRequest, { requestId: data.id, answer: "Thirteen." }, csm);
    expect(again.error).toMatch(/no longer open/);
    // A colleague who cannot see the account is not a valid recipient.
    const blind = await refused(requestInformation, { accountId: product.id, to: `user:${userId("noah.williams@demo.test")}`, question: "Any news?" }, csm);
    expect(blind.fieldErrors?.to?.[0]).toMatch(/Noah Williams cannot see this account/);
  });

  it("adds a link asset with its timeline entry, and refuses anything but http(s)", async () => {
    const data = succeeded(await runAction(addLinkAsset, { accountId: product.id, name: "Architecture diagram", url: "https://wiki.example.com/arch" }, csm));
    expect(await one(sql`select kind, name, url, uploaded_by from assets where id = ${data.id}`)).toEqual({
      kind: "link",
      name: "Architecture diagram",
      url: "https://wiki.example.com/arch",
      uploaded_by: userId("csm@demo.test"),
    });
    const [entry] = await entryFor(data.id);
    expect(entry).toMatchObject({ kind: "asset", title: "Asset added: Architecture diagram" });
    for (const url of ["ftp://example.com/file", "javascript:alert(1)", "not a link"]) {
      const result = await refused(addLinkAsset, { accountId: product.id, name: "Bad", url }, csm);
      expect(result.fieldErrors?.url?.[0]).toMatch(/http:\/\/ or https:\/\//);
    }
  });

  it("refuses bad input with a field error and writes nothing", async () => {
    const base = { accountId: product.id, type: "call", subject: "Call", date: today };
    const cases: [AnyDefinition, Record<string, unknown>, string, RegExp][] = [
      [logTouchpoint, { ...base, subject: "   " }, "subject", /Enter a subject/],
      [logTouchpoint, { ...base, subject: "x".repeat(201) }, "subject", /at most 200/],
      [logTouchpoint, { ...base, body: "b".repeat(12_001) }, "body", /at most 12,000/],
      [logTouchpoint, { ...base, date: "16/11/2026" }, "date", /YYYY-MM-DD/],
      [logTouchpoint, { ...base, date: "2026-02-30" }, "date", /does not exist/],
      [logTouchpoint, { ...base, date: addDays(today, 30) }, "date", /once it happened/],
      [logTouchpoint, { ...base, type: "telegram" }, "type", /Pick a type/],
      [logTouchpoint, { ...base, userIds: userId("noah.williams@demo.test") }, "userIds", /cannot see this account/],
      [logTouchpoint, { ...base, contactIds: "00000000-0000-4000-8000-000000000000" }, "contactIds", /contacts of this account/],
      [createTask, { accountId: product.id, title: "" }, "title", /Enter a title/],
      [createTask, { accountId: product.id, title: "Due", dueDate: "next week" }, "dueDate", /YYYY-MM-DD/],
      [createTask, { accountId: product.id, title: "Due", dueDate: "2026-13-01" }, "dueDate", /does not exist/],
      [createTask, { accountId: product.id, title: "Who", assigneeId: "00000000-0000-4000-8000-000000000000" }, "assigneeId", /not an active user/],
      [createTask, { accountId: product.id, title: "Who", assigneeId: "nobody" }, "assigneeId", /Pick an assignee/],
      [createTask, { accountId: product.id, title: "Who", assigneeId: userId("noah.williams@demo.test") }, "assigneeId", /Noah Williams cannot see/],
      [createTask, { accountId: product.id, title: "Hmm", priority: "whenever" }, "priority", /Pick a priority/],
      [addObjective, { accountId: product.id, planId: NEW_PLAN, title: "t".repeat(201) }, "title", /at most 200/],
      [requestInformation, { accountId: product.id, to: "", question: "Q?" }, "to", /Pick who should answer/],
      [requestInformation, { accountId: product.id, to: `contact:${userId("csm@demo.test")}`, question: "Q?" }, "to", /contacts of this account/],
      [requestInformation, { accountId: product.id, to: `user:${userId("jonas.becker@demo.test")}`, question: "" }, "question", /Enter the question/],
      [addLinkAsset, { accountId: product.id, name: "", url: "https://example.com" }, "name", /Enter a name/],
    ];
    for (const [definition, raw, field, message] of cases) {
      const result = await refused(definition, raw, csm);
      expect(result.fieldErrors?.[field]?.join(" "), `${field} of ${JSON.stringify(raw).slice(0, 80)}`).toMatch(message);
    }
  });

  it("answers a crafted account id outside the scope, or the viewer role, with an error and no write", async () => {
    const crafted = await refused(logTouchpoint, { accountId: americas.id, type: "call", subject: "Hi", date: today }, csm);
    expect(crafted.error).toBe("This account does not exist or you may not act on it.");
    const missing = await refused(createTask, { accountId: "00000000-0000-4000-8000-000000000000", title: "Hi" }, csm);
    expect(missing.error).toBe(crafted.error);
    const role = await refused(logTouchpoint, { accountId: americas.id, type: "call", subject: "Hi", date: today }, viewer);
    expect(role.error).toMatch(/Your role can read profiles/);
    await refused(createTask, { accountId: americas.id, title: "Hi" }, viewer);
    await refused(addLinkAsset, { accountId: americas.id, name: "Deck", url: "https://example.com" }, viewer);
    const signedOut = await runAction(createTask, { accountId: product.id, title: "Hi" }, null);
    expect(signedOut).toMatchObject({ ok: false, error: expect.stringMatching(/Sign in again/) });
  });

  it("keeps the 2,000-entry product at 2,000 after a touchpoint, pruning the oldest", async () => {
    const busiest = seeded.demo.busiestProductId;
    const countOf = async () => Number((await one<{ n: number }>(sql`select count(*)::int as n from timeline_entries where account_id = ${busiest}`)).n);
    expect(await countOf()).toBe(TIMELINE_LIMIT);
    const oldest = await one<{ id: number }>(sql`select id from timeline_entries where account_id = ${busiest} order by occurred_at asc, id asc limit 1`);
    const data = succeeded(await runAction(logTouchpoint, { accountId: busiest, type: "call", subject: "Capacity planning", date: today }, admin));
    expect(await countOf()).toBe(TIMELINE_LIMIT);
    expect(data.timeline.pruned).toBe(1);
    expect(await rows(sql`select id from timeline_entries where id = ${oldest.id}`)).toHaveLength(0);
    expect(await entryFor(data.id)).toHaveLength(1);
    // A SuccessPlay adds several entries at once: still 2,000.
    const playbook = await one<{ id: string }>(sql`select id from playbooks where name = 'Onboarding kickoff'`);
    succeeded(await runAction(applyPlaybook, { accountId: busiest, playbookId: playbook.id }, admin));
    expect(await countOf()).toBe(TIMELINE_LIMIT);
    // A touchpoint dated before everything kept is recorded, but falls off the full timeline at once.
    const old = succeeded(await runAction(logTouchpoint, { accountId: busiest, type: "note", subject: "Backfilled note", date: "2020-01-06" }, admin));
    expect(old.timeline.allKept).toBe(false);
    expect(await countOf()).toBe(TIMELINE_LIMIT);
    expect(await rows(sql`select id from touchpoints where id = ${old.id}`)).toHaveLength(1);
  });

  describe("attribute edits", () => {
    const definitionOf = (account: AccountSummary, key: string) =>
      one<{ id: string }>(sql`select id from attribute_definitions where account_type_id = ${account.typeId} and key = ${key}`);
    /** The value row, or undefined when the attribute never had a value on the account. */
    const valueOf = async (account: AccountSummary, attributeId: string): Promise<{ value: unknown; version: number } | undefined> =>
      one<{ value: unknown; version: number }>(sql`select value, version from attribute_values where account_id = ${account.id} and attribute_id = ${attributeId}`);

    it("saves a value with its version: history, timeline entry and a new version", async () => {
      const { id } = await definitionOf(product, "employees");
      const before = await valueOf(product, id);
      const version = before?.version ?? 0;
      const data = succeeded(await runAction(editAttribute, { accountId: product.id, attributeId: id, version: String(version), value: "1,250" }, csm));
      expect(data).toMatchObject({ changed: true, value: 1250, version: version + 1 });
      expect(await valueOf(product, id)).toEqual({ value: 1250, version: version + 1 });
      const change = await one(sql`select old_value, new_value, changed_by, source from attribute_changes where account_id = ${product.id} and attribute_id = ${id} order by id desc limit 1`);
      expect(change).toEqual({ old_value: before?.value ?? null, new_value: 1250, changed_by: userId("csm@demo.test"), source: "app" });
      const [entry] = await rows<{ title: string; snapshot: Record<string, unknown> }>(
        sql`select title, snapshot from timeline_entries where account_id = ${product.id} and kind = 'attribute_change' order by id desc limit 1`,
      );
      expect(entry.title).toMatch(/^Number of employees (changed|set)$/);
      expect(entry.snapshot).toMatchObject({ attributeKey: "employees", old: before?.value ?? null, new: 1250 });
      // Saving the same value again is no change at all.
      const same = succeeded(await runAction(editAttribute, { accountId: product.id, attributeId: id, version: String(version + 1), value: "1250" }, csm));
      expect(same.changed).toBe(false);
    });

    it("answers a stale version with a conflict naming the other person's value, and keeps it", async () => {
      const { id } = await definitionOf(product, "segment");
      const loaded = (await valueOf(product, id))!;
      const theirs = loaded.value === "Enterprise" ? "SMB" : "Enterprise";
      const mine = theirs === "Enterprise" ? "Mid-Market" : "Enterprise";
      succeeded(await runAction(editAttribute, { accountId: product.id, attributeId: id, version: String(loaded.version), value: theirs }, admin));
      const conflict = await refused(editAttribute, { accountId: product.id, attributeId: id, version: String(loaded.version), value: mine }, csm);
      expect(conflict.fieldErrors?.value?.[0]).toMatch(new RegExp(`^Ada Admin changed Segment to “${theirs}” on .* UTC, after you opened it`));
      expect(conflict.fieldErrors?.["value:version"]).toEqual([String(loaded.version + 1)]);
      expect(await valueOf(product, id)).toEqual({ value: theirs, version: loaded.version + 1 });
      // Overwriting on purpose, with the version the conflict reported, works.
      succeeded(await runAction(editAttribute, { accountId: product.id, attributeId: id, version: String(loaded.version + 1), value: mine }, csm));
      expect(await valueOf(product, id)).toEqual({ value: mine, version: loaded.version + 2 });
    });

    it("validates by data type and refuses what the viewer may not edit", async () => {
      const attr = async (key: string) => (await definitionOf(product, key)).id;
      const version = async (key: string) => String((await valueOf(product, await attr(key)))?.version ?? 0);
      const cases: [string, string, RegExp][] = [
        ["segment", "Galactic", /Pick one of: Enterprise, Mid-Market, SMB/],
        ["renewal_date", "31/12/2026", /YYYY-MM-DD/],
        ["website", "ftp://northwind.example", /http:\/\/ or https:\/\//],
        ["employees", "twelve", /whole number of employees/],
        ["year_established", "2999", /not in the future/],
        ["mrr_override", "-5", /0 or more/],
        ["is_strategic", "maybe", /Yes or No/],
      ];
      for (const [key, value, message] of cases) {
        const result = await refused(editAttribute, { accountId: product.id, attributeId: await attr(key), version: await version(key), value }, csm);
        expect(result.fieldErrors?.value?.[0], key).toMatch(message);
      }
      // A privileged attribute on an EMEA product Casey is not assigned to: refused, but admins may.
      const unassigned = await one<{ id: string }>(sql`
        select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
        where c.ancestor_id = ${seeded.demo.emeaRegionId} and t.key = 'product'
          and not exists (select 1 from assignments s where s.account_id = a.id and s.user_id = ${userId("csm@demo.test")}) limit 1`);
      const other = (await findAccount(csm, unassigned.id))!;
      const discount = (await definitionOf(other, "discount_pct")).id;
      const v = String((await valueOf(other, discount))?.version ?? 0);
      const privileged = await refused(editAttribute, { accountId: other.id, attributeId: discount, version: v, value: "12" }, csm);
      expect(privileged.error).toMatch(/does not exist or you may not edit it/);
      succeeded(await runAction(editAttribute, { accountId: other.id, attributeId: discount, version: v, value: "12" }, admin));
      // Privileged values stay out of the timeline.
      expect(await rows(sql`select 1 from timeline_entries where account_id = ${other.id} and ref_id = ${discount}`)).toHaveLength(0);
      // A rolled-up value (ARR on the region) is not edited by hand.
      const emea = (await findAccount(admin, seeded.demo.emeaRegionId))!;
      const arr = (await definitionOf(emea, "arr")).id;
      const rolled = await refused(editAttribute, { accountId: emea.id, attributeId: arr, version: "1", value: "5" }, admin);
      expect(rolled.error).toMatch(/rolled up from the accounts below/);
      // The viewer role and a crafted account outside the scope.
      await refused(editAttribute, { accountId: americas.id, attributeId: (await definitionOf(americas, "employees")).id, version: "1", value: "5" }, viewer);
      await refused(editAttribute, { accountId: americas.id, attributeId: (await definitionOf(americas, "employees")).id, version: "1", value: "5" }, csm);
    });

    it("keeps the MRR rollup up to date when the MRR override changes", async () => {
      const { id } = await definitionOf(product, "mrr_override");
      const current = await valueOf(product, id);
      const emeaBefore = Number((await one<{ mrr: string }>(sql`select mrr from account_rollups where account_id = ${seeded.demo.emeaRegionId}`)).mrr);
      const ownBefore = Number((await one<{ own_mrr: string }>(sql`select own_mrr from account_rollups where account_id = ${product.id}`)).own_mrr);
      succeeded(await runAction(editAttribute, { accountId: product.id, attributeId: id, version: String(current?.version ?? 0), value: "4321.5" }, csm));
      const ownAfter = Number((await one<{ own_mrr: string }>(sql`select own_mrr from account_rollups where account_id = ${product.id}`)).own_mrr);
      const emeaAfter = Number((await one<{ mrr: string }>(sql`select mrr from account_rollups where account_id = ${seeded.demo.emeaRegionId}`)).mrr);
      expect(ownAfter).toBe(4321.5);
      expect(emeaAfter - emeaBefore).toBeCloseTo(ownAfter - ownBefore, 2);
    });

    it("saves the company profile: changed fields through the attribute path, untouched ones left alone, groups set", async () => {
      const ids = Object.fromEntries(
        await Promise.all(["executive_summary", "employees", "year_established", "date_acquired"].map(async (k) => [k, (await definitionOf(product, k)).id] as const)),
      );
      const stored = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, id]) => [k, await valueOf(product, id)] as const)));
      const group = await one<{ id: string; name: string }>(sql`select id, name from account_groups order by name limit 1`);
      const form = {
        accountId: product.id,
        "value.executive_summary": "Rolling out to all branches in 2027.",
        "initial.executive_summary": String(stored.executive_summary?.value ?? ""),
        "version.executive_summary": String(stored.executive_summary?.version ?? 0),
        "value.year_established": "1987",
        "initial.year_established": String(stored.year_established?.value ?? ""),
        "version.year_established": String(stored.year_established?.version ?? 0),
        // As loaded: untouched, even with a stale version.
        "value.employees": String(stored.employees?.value ?? ""),
        "initial.employees": String(stored.employees?.value ?? ""),
        "version.employees": "0",
        groupIds: group.id,
        groupsShown: "1",
      };
      const data = succeeded(await runAction(saveCompanyProfile, form, csm));
      expect(data.saved).toEqual(expect.arrayContaining(["Executive summary", "Year company established"]));
      expect((await valueOf(product, ids.executive_summary))?.value).toBe("Rolling out to all branches in 2027.");
      expect((await valueOf(product, ids.year_established))?.value).toBe(1987);
      expect(await valueOf(product, ids.employees)).toEqual(stored.employees);
      expect(await rows(sql`select 1 from account_group_members where account_id = ${product.id} and group_id = ${group.id}`)).toHaveLength(1);

      // A stale version on a changed field: nothing at all is saved (bad date on another field too).
      const stale = await refused(
        saveCompanyProfile,
        { ...form, "value.year_established": "1990", "initial.year_established": "1987", "version.year_established": String(stored.year_established?.version ?? 0) },
        csm,
      );
      expect(stale.fieldErrors?.["value.year_established"]?.[0]).toMatch(/Casey CSM changed Year company established to “1987”/);
      const badDate = await refused(saveCompanyProfile, { ...form, "value.date_acquired": "yesterday", "initial.date_acquired": "", "version.date_acquired": "0" }, csm);
      expect(badDate.fieldErrors?.["value.date_acquired"]?.[0]).toMatch(/YYYY-MM-DD/);
    });

    it("adds and removes free tags", async () => {
      const added = succeeded(await runAction(addTag, { accountId: product.id, name: "Reference customer" }, csm));
      expect(added).toMatchObject({ tag: "Reference customer", added: true });
      const tag = await one<{ id: string }>(sql`select id from tags where name = 'Reference customer'`);
      expect(await rows(sql`select 1 from account_tags where account_id = ${product.id} and tag_id = ${tag.id}`)).toHaveLength(1);
      // Case-insensitive: the existing tag is reused, not duplicated.
      const again = succeeded(await runAction(addTag, { accountId: product.id, name: "reference CUSTOMER" }, csm));
      expect(again).toMatchObject({ tag: "Reference customer", added: false });
      expect(Number((await one<{ n: number }>(sql`select count(*)::int as n from tags where lower(name) = 'reference customer'`)).n)).toBe(1);
      await refused(addTag, { accountId: product.id, name: "" }, csm);
      await refused(addTag, { accountId: product.id, name: "x".repeat(41) }, csm);
      await refused(addTag, { accountId: americas.id, name: "Sneaky" }, csm);
      succeeded(await runAction(removeTag, { accountId: product.id, tagId: tag.id }, csm));
      expect(await rows(sql`select 1 from account_tags where account_id = ${product.id} and tag_id = ${tag.id}`)).toHaveLength(0);
    });
  });

  it("offers exactly the colleagues the visibility rule lets see the account", async () => {
    const users = await rows<{ id: string }>(sql`select id from users where disabled_at is null`);
    for (const account of [product, americas, (await findAccount(admin, seeded.demo.opportunityId))!, (await findAccount(admin, seeded.demo.apacRegionId))!]) {
      const offered = (await colleaguesWhoCanSee(admin, account)).map((c) => c.id).sort();
      const expected: string[] = [];
      for (const u of users) {
        const v = await loadViewer(seeded.db, u.id);
        if (v && (await findAccount({ db: seeded.db, viewer: v }, account.id))) expected.push(u.id);
      }
      expect(offered, account.name).toEqual(expected.sort());
    }
  });
});
