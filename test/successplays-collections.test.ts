/**
 * SuccessPlays, collections and account groups as admins define them (lib/data-model/playbooks.ts,
 * lib/data-model/collections.ts), on PGlite and on a real Postgres: a SuccessPlay built through the
 * actions and applied to an account gives tasks due at the steps' offsets; a collection is listed
 * for its account type only; deletes are refused while records or members exist; members are refused.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { runAction } from "@/lib/actions/define";
import { applyPlaybook } from "@/lib/activity/playbooks";
import { addDays, todayIso } from "@/lib/days";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import {
  collectionsForAccountType,
  createAccountGroup,
  createCollection,
  deleteAccountGroup,
  deleteCollection,
  listCollections,
  renameAccountGroup,
  updateCollection,
} from "@/lib/data-model/collections";
import { addPlaybookStep, createPlaybook, deletePlaybook, listPlaybooks, movePlaybookStep, removePlaybookStep, updatePlaybookStep } from "@/lib/data-model/playbooks";
import { drivers, openSeededDatabase } from "./support/databases";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

function ok<T>(result: { ok: boolean } & ({ ok: true; data: T } | { ok: false; error: string; fieldErrors?: Record<string, string[] | undefined> })): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.data;
}

describe.each(drivers)("SuccessPlays, collections and account groups on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let admin: Ctx;
  let csm: Ctx;
  let types: { id: string; key: string }[];

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    const ctxOf = async (email: string) => {
      const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
      return { db: seeded.db, viewer: (await loadViewer(seeded.db, user.id))! };
    };
    admin = await ctxOf("admin@demo.test");
    csm = await ctxOf("csm@demo.test");
    types = await q(seeded.db, sql`select id, key from account_types order by level`);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("builds a SuccessPlay of two steps, reorders and edits them, and applying it creates tasks due at the offsets", async () => {
    const play = ok(await runAction(createPlaybook, { name: "Renewal prep", description: "Ninety days out" }, admin));
    ok(await runAction(addPlaybookStep, { playbookId: play.id, title: "Review usage", offsetDays: "14", priority: "high" }, admin));
    const kickoff = ok(await runAction(addPlaybookStep, { playbookId: play.id, title: "Kickoff call", offsetDays: "2", priority: "low" }, admin));
    ok(await runAction(movePlaybookStep, { stepId: kickoff.id, direction: "up" }, admin));
    ok(await runAction(updatePlaybookStep, { stepId: kickoff.id, title: "Kickoff call with sponsor", offsetDays: "3", priority: "urgent" }, admin));

    const listed = (await listPlaybooks(admin)).find((p) => p.id === play.id)!;
    expect(listed.steps.map((s) => [s.title, s.offsetDays, s.priority])).toEqual([
      ["Kickoff call with sponsor", 3, "urgent"],
      ["Review usage", 14, "high"],
    ]);

    const [account] = await q<{ id: string }>(seeded.db, sql`select id from accounts where archived_at is null order by name limit 1`);
    const applied = ok(await runAction(applyPlaybook, { accountId: account.id, playbookId: play.id }, admin));
    expect(applied.taskIds).toHaveLength(2);
    const created = await q<{ title: string; due_date: string; priority: string; playbook_id: string }>(
      seeded.db,
      sql`select title, due_date::text as due_date, priority::text as priority, playbook_id from tasks where playbook_id = ${play.id} order by due_date`,
    );
    const today = todayIso();
    expect(created).toEqual([
      { title: "Kickoff call with sponsor", due_date: addDays(today, 3), priority: "urgent", playbook_id: play.id },
      { title: "Review usage", due_date: addDays(today, 14), priority: "high", playbook_id: play.id },
    ]);

    // Deleting the SuccessPlay keeps the tasks (playbook_id is "on delete set null") and drops its steps.
    const deleted = ok(await runAction(deletePlaybook, { playbookId: play.id }, admin));
    expect(deleted.tasks).toBe(2);
    const kept = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from tasks where id = any(${`{${applied.taskIds.join(",")}}`}::uuid[]) and playbook_id is null`);
    expect(Number(kept[0].n)).toBe(2);
    expect(await q(seeded.db, sql`select id from playbook_steps where playbook_id = ${play.id}`)).toEqual([]);
    const audit = await q<{ action: string }>(seeded.db, sql`select action from audit_log where target_id = ${play.id} order by id`);
    expect(audit.map((a) => a.action)).toContain("playbook.delete");
  });

  it("refuses bad step input with field errors and writes nothing", async () => {
    const play = ok(await runAction(createPlaybook, { name: "Checks" }, admin));
    const bad = await runAction(addPlaybookStep, { playbookId: play.id, title: " ", offsetDays: "-1", priority: "whenever" }, admin);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["offsetDays", "priority", "title"]);
    expect(await q(seeded.db, sql`select id from playbook_steps where playbook_id = ${play.id}`)).toEqual([]);
    const step = ok(await runAction(addPlaybookStep, { playbookId: play.id, title: "Only step", offsetDays: "0", priority: "medium" }, admin));
    ok(await runAction(removePlaybookStep, { stepId: step.id }, admin));
    const applied = await runAction(applyPlaybook, { accountId: (await q<{ id: string }>(seeded.db, sql`select id from accounts limit 1`))[0].id, playbookId: play.id }, admin);
    expect(applied.ok).toBe(false);
    const dup = await runAction(createPlaybook, { name: "checks" }, admin);
    expect(dup.ok === false && dup.fieldErrors?.name).toBeTruthy();
  });

  it("creates a collection listed for its account type only, edits its columns, and refuses deleting it while it holds records", async () => {
    const [top, other] = types;
    const made = ok(
      await runAction(createCollection, { key: "contracts", name: "Contracts", accountTypeId: top.id, columns: "name | Contract | text\nvalue | Value | currency\nends | Ends | date" }, admin),
    );
    expect((await collectionsForAccountType(admin, top.id)).map((c) => c.key)).toContain("contracts");
    expect((await collectionsForAccountType(admin, other.id)).map((c) => c.key)).not.toContain("contracts");
    expect((await listCollections(admin)).find((c) => c.id === made.id)?.columns).toEqual([
      { key: "name", label: "Contract", type: "text" },
      { key: "value", label: "Value", type: "currency" },
      { key: "ends", label: "Ends", type: "date" },
    ]);

    const bad = await runAction(updateCollection, { collectionId: made.id, name: "Contracts", accountTypeId: "", columns: "name | Contract | text\nname | Again | money" }, admin);
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.fieldErrors?.columns?.join(" ")).toMatch(/Line 2/);

    ok(await runAction(updateCollection, { collectionId: made.id, name: "Contracts", accountTypeId: "", columns: "name | Contract | text\nends | Ends on | date" }, admin));
    expect((await collectionsForAccountType(admin, other.id)).map((c) => c.key)).toContain("contracts");

    const [account] = await q<{ id: string }>(seeded.db, sql`select id from accounts limit 1`);
    await seeded.db.execute(sql`insert into collection_records (collection_id, account_id, values) values (${made.id}, ${account.id}, '{"name":"MSA"}'::jsonb), (${made.id}, ${account.id}, '{"name":"DPA"}'::jsonb)`);
    const refused = await runAction(deleteCollection, { collectionId: made.id }, admin);
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok === false && refused.error).toMatch(/2 records/);
    await seeded.db.execute(sql`delete from collection_records where collection_id = ${made.id}`);
    ok(await runAction(deleteCollection, { collectionId: made.id }, admin));
    expect((await listCollections(admin)).some((c) => c.id === made.id)).toBe(false);
  });

  it("creates, renames and deletes an account group, refusing while accounts are in it", async () => {
    const group = ok(await runAction(createAccountGroup, { name: "Pilot cohort" }, admin));
    ok(await runAction(renameAccountGroup, { groupId: group.id, name: "Pilot cohort 2027" }, admin));
    const [account] = await q<{ id: string }>(seeded.db, sql`select id from accounts limit 1`);
    await seeded.db.execute(sql`insert into account_group_members (group_id, account_id) values (${group.id}, ${account.id})`);
    const refused = await runAction(deleteAccountGroup, { groupId: group.id }, admin);
    expect(refused.ok === false && refused.error).toMatch(/1 account in it/);
    await seeded.db.execute(sql`delete from account_group_members where group_id = ${group.id}`);
    ok(await runAction(deleteAccountGroup, { groupId: group.id }, admin));
    expect(await q(seeded.db, sql`select id from account_groups where id = ${group.id}`)).toEqual([]);
  });

  it("refuses every one of these writes to a member and writes nothing", async () => {
    const before = await q<{ p: number; c: number; g: number }>(
      seeded.db,
      sql`select (select count(*)::int from playbooks) as p, (select count(*)::int from collections) as c, (select count(*)::int from account_groups) as g`,
    );
    const [play] = await q<{ id: string }>(seeded.db, sql`select id from playbooks limit 1`);
    const attempts = [
      await runAction(createPlaybook, { name: "Member play" }, csm),
      await runAction(deletePlaybook, { playbookId: play.id }, csm),
      await runAction(addPlaybookStep, { playbookId: play.id, title: "Sneaky", offsetDays: "1", priority: "low" }, csm),
      await runAction(createCollection, { key: "member_c", name: "Member", accountTypeId: "", columns: "a | A | text" }, csm),
      await runAction(createAccountGroup, { name: "Member group" }, csm),
    ];
    for (const attempt of attempts) expect(attempt.ok).toBe(false);
    const after = await q(seeded.db, sql`select (select count(*)::int from playbooks) as p, (select count(*)::int from collections) as c, (select count(*)::int from account_groups) as g`);
    expect(after).toEqual(before);
  });
});
