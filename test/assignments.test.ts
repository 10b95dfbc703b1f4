/**
 * Assignments and assignment roles, on PGlite and on a real Postgres: the migration's roles, assign
 * and unassign from the app (history, timeline, audit), bulk assignment from the accounts list,
 * /api/v1/assignments and CSV import, the privilege rule following the role's flag, and working
 * levels, My portfolio and visibility following at once (loadViewer reads assignments).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runAction } from "@/lib/actions/define";
import { assignmentsAt } from "@/lib/assignments/assign";
import { assignUser, bulkAssign, unassignUser } from "@/lib/assignments/actions";
import { createAssignmentRole, deleteAssignmentRole, listAssignmentRoles, updateAssignmentRole } from "@/lib/assignments/roles";
import { canSeePrivileged, findAccount } from "@/lib/dal/accounts";
import { assignedMembers, viewerWorkingLevels } from "@/lib/dal/people";
import { myAccounts } from "@/lib/dal/portfolio";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { importRows } from "@/lib/import/run";
import { ingestAssignments } from "@/lib/ingest/assignments";
import { IngestError } from "@/lib/ingest/errors";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("assignments on %s", (driver) => {
  let seeded: Seeded;
  const ctxFor = async (email: string): Promise<Ctx> => {
    const viewer = await loadViewer(seeded.db, seeded.demo.userIds[email]);
    if (!viewer) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer };
  };
  const q = async <T,>(query: ReturnType<typeof sql>) => (await seeded.db.execute(query)).rows as T[];
  /** EMEA products nobody named `email` is assigned to, by name. */
  const unassignedProducts = async (email: string, region: string, n: number) =>
    (
      await q<{ id: string; external_id: string | null; name: string }>(sql`
        select a.id, a.external_id, a.name from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
        where c.ancestor_id = ${region} and t.key = 'product' and a.archived_at is null
          and not exists (select 1 from assignments s where s.account_id = a.id and s.user_id = ${seeded.demo.userIds[email]})
        order by a.name limit ${n}`)
    );

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("has the usual roles with their privilege flags, and a history row for every current assignment", async () => {
    const admin = await ctxFor("admin@demo.test");
    const roles = await listAssignmentRoles(admin);
    const flags = Object.fromEntries(roles.map((r) => [r.name, r.grantsPrivileged]));
    expect(flags).toMatchObject({ CSM: true, AE: true, SE: false, "Support manager": false, "Executive sponsor": true });
    expect(roles.find((r) => r.name === "CSM")!.inUse).toBeGreaterThan(10);
    const [counts] = await q<{ current: number; open: number }>(sql`select
      (select count(*)::int from assignments) as current,
      (select count(*)::int from assignment_history where unassigned_at is null) as open`);
    expect(counts.open).toBe(counts.current);
  });

  it("assigns from the widget: history, timeline, audit; visibility, working levels, portfolio and privilege follow at once", async () => {
    const admin = await ctxFor("admin@demo.test");
    // Grace (Americas) is assigned to an EMEA product she cannot see yet.
    const grace = "grace.kim@demo.test";
    const [product] = await unassignedProducts(grace, seeded.demo.emeaRegionId, 1);
    const before = await ctxFor(grace);
    expect(await findAccount(before, product.id)).toBeNull();

    const result = await runAction(assignUser, { accountId: product.id, userId: seeded.demo.userIds[grace], role: "se" }, admin);
    expect(result).toMatchObject({ ok: true, data: { role: "SE" } });

    const after = await ctxFor(grace);
    const account = (await findAccount(after, product.id))!;
    expect(account).not.toBeNull();
    expect((await myAccounts(after)).map((a) => a.id)).toContain(product.id);
    // SE does not grant privileged attributes; CSM does.
    expect(await canSeePrivileged(after, product.id)).toBe(false);
    expect((await runAction(assignUser, { accountId: product.id, userId: seeded.demo.userIds[grace], role: "CSM" }, admin)).ok).toBe(true);
    expect(await canSeePrivileged(await ctxFor(grace), product.id)).toBe(true);
    expect((await assignedMembers(admin, account)).find((m) => m.email === grace)?.roles).toEqual(["CSM", "SE"]);
    // The parent line of business (which Grace cannot open) lists the product as one of her working levels below.
    const parent = (await findAccount(admin, account.parentId))!;
    expect((await viewerWorkingLevels(after, parent)).map((l) => l.accountId)).toContain(product.id);

    const timeline = await q<{ title: string; kind: string }>(sql`select title, kind::text from timeline_entries where account_id = ${product.id} and kind = 'assignment' order by id`);
    expect(timeline.map((t) => t.title)).toEqual(["Grace Kim assigned as SE", "Grace Kim assigned as CSM"]);
    const audit = await q<{ action: string }>(sql`select action from audit_log where target_id = ${product.id} and action like 'assignment.%'`);
    expect(audit).toHaveLength(2);
    const history = await q<{ role: string; assigned_by: string }>(sql`select role, assigned_by from assignment_history where account_id = ${product.id} and user_id = ${seeded.demo.userIds[grace]} order by role`);
    expect(history).toEqual([
      { role: "CSM", assigned_by: admin.viewer.userId },
      { role: "SE", assigned_by: admin.viewer.userId },
    ]);

    // Twice the same: refused beside the field, nothing written.
    const again = await runAction(assignUser, { accountId: product.id, userId: seeded.demo.userIds[grace], role: "CSM" }, admin);
    expect(again).toMatchObject({ ok: false, fieldErrors: { userId: ["Already CSM here."] } });

    // Unassigning closes the history row; the past still shows her.
    const assignedAt = new Date();
    await new Promise((r) => setTimeout(r, 20));
    expect((await runAction(unassignUser, { accountId: product.id, userId: seeded.demo.userIds[grace], role: "CSM" }, admin)).ok).toBe(true);
    expect((await runAction(unassignUser, { accountId: product.id, userId: seeded.demo.userIds[grace], role: "SE" }, admin)).ok).toBe(true);
    expect(await findAccount(await ctxFor(grace), product.id)).toBeNull();
    expect((await assignmentsAt(admin, product.id, assignedAt)).filter((a) => a.userName === "Grace Kim").map((a) => a.role)).toEqual(["CSM", "SE"]);
    expect((await assignmentsAt(admin, product.id, new Date())).some((a) => a.userName === "Grace Kim")).toBe(false);
    const [closed] = await q<{ n: number }>(sql`select count(*)::int as n from assignment_history where account_id = ${product.id}
      and user_id = ${seeded.demo.userIds[grace]} and unassigned_at is not null and unassigned_by = ${admin.viewer.userId}`);
    expect(closed.n).toBe(2);
    const unassigned = await runAction(unassignUser, { accountId: product.id, userId: seeded.demo.userIds[grace], role: "CSM" }, admin);
    expect(unassigned.ok).toBe(false);
  });

  it("refuses unknown roles, disabled users, viewers, and accounts out of scope (like missing ones)", async () => {
    const admin = await ctxFor("admin@demo.test");
    const csm = await ctxFor("csm@demo.test");
    const viewer = await ctxFor("viewer@demo.test");
    const [emea] = await unassignedProducts("jonas.becker@demo.test", seeded.demo.emeaRegionId, 1);
    const [americas] = await unassignedProducts("noah.williams@demo.test", seeded.demo.americasRegionId, 1);
    const jonas = seeded.demo.userIds["jonas.becker@demo.test"];
    expect(await runAction(assignUser, { accountId: emea.id, userId: jonas, role: "Janitor" }, admin)).toMatchObject({ ok: false, fieldErrors: { role: [expect.stringContaining("Janitor")] } });
    const { rows } = await seeded.db.execute<{ id: string }>(sql`insert into users (email, name, role, disabled_at) values ('gone@demo.test', 'Gone', 'member', now()) returning id`);
    expect(await runAction(assignUser, { accountId: emea.id, userId: rows[0].id, role: "CSM" }, admin)).toMatchObject({ ok: false, fieldErrors: { userId: ["Choose an active user."] } });
    expect(await runAction(assignUser, { accountId: americas.id, userId: jonas, role: "CSM" }, viewer)).toMatchObject({ ok: false, error: expect.stringContaining("not change assignments") });
    // Casey (EMEA member) may assign in EMEA, not in the Americas: that answer equals a missing account's.
    expect((await runAction(assignUser, { accountId: emea.id, userId: jonas, role: "AE" }, csm)).ok).toBe(true);
    const out = await runAction(assignUser, { accountId: americas.id, userId: jonas, role: "AE" }, csm);
    const missing = await runAction(assignUser, { accountId: "00000000-0000-4000-8000-00000000beef", userId: jonas, role: "AE" }, csm);
    expect(out).toEqual(missing);
    expect(out.ok).toBe(false);
  });

  it("bulk-assigns the selected accounts in one go, or nothing when one is out of scope", async () => {
    const csm = await ctxFor("csm@demo.test");
    const amara = "amara.okafor@demo.test";
    const picked = await unassignedProducts(amara, seeded.demo.emeaRegionId, 3);
    const [outside] = await unassignedProducts(amara, seeded.demo.americasRegionId, 1);
    const count = async () => (await q<{ n: number }>(sql`select count(*)::int as n from assignments where user_id = ${seeded.demo.userIds[amara]}`))[0].n;
    const before = await count();
    const refused = await runAction(bulkAssign, { accountIds: [...picked.map((p) => p.id), outside.id], userId: seeded.demo.userIds[amara], role: "SE" }, csm);
    expect(refused.ok).toBe(false);
    expect(await count()).toBe(before);
    expect(await runAction(bulkAssign, { accountIds: [], userId: seeded.demo.userIds[amara], role: "SE" }, csm)).toMatchObject({ ok: false, fieldErrors: { accountIds: ["Select at least one account."] } });
    const done = await runAction(bulkAssign, { accountIds: picked.map((p) => p.id), userId: seeded.demo.userIds[amara], role: "SE" }, csm);
    expect(done).toMatchObject({ ok: true, data: { assigned: 3, selected: 3 } });
    expect(await count()).toBe(before + 3);
    const portfolio = (await myAccounts(await ctxFor(amara))).map((a) => a.id);
    for (const p of picked) expect(portfolio).toContain(p.id);
    // Again with one more: only the new one is written.
    const [fourth] = await unassignedProducts(amara, seeded.demo.emeaRegionId, 1);
    expect(await runAction(bulkAssign, { accountIds: [...picked.map((p) => p.id), fourth.id], userId: seeded.demo.userIds[amara], role: "SE" }, csm)).toMatchObject({
      ok: true,
      data: { assigned: 1, selected: 4 },
    });
  });

  it("assigns and unassigns through the API's writer and CSV import, refusing unknown references all at once", async () => {
    const admin = await ctxFor("admin@demo.test");
    const [a, b] = await q<{ id: string; external_id: string }>(sql`select id, external_id from accounts where external_id is not null and archived_at is null order by external_id limit 2`);
    const email = "noah.williams@demo.test";
    const error = await ingestAssignments(admin, [
      { accountExternalId: a.external_id, userEmail: email, role: "CSM" },
      { accountExternalId: "nope", userEmail: "nobody@demo.test", role: "Janitor" },
    ]).catch((e) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).issues.map((i) => i.path.join("."))).toEqual(["assignments.1.accountExternalId", "assignments.1.userEmail", "assignments.1.role"]);
    const written = await seeded.db.transaction((tx) =>
      ingestAssignments({ db: tx, viewer: admin.viewer }, [
        { accountExternalId: a.external_id, userEmail: email.toUpperCase(), role: "support manager" },
        { accountExternalId: a.external_id, userEmail: email, role: "Support manager" },
      ]),
    );
    expect(written).toEqual({ assigned: 1, unassigned: 0, unchanged: 1 });
    expect(
      await seeded.db.transaction((tx) => ingestAssignments({ db: tx, viewer: admin.viewer }, [{ accountExternalId: a.external_id, userEmail: email, role: "Support manager", action: "unassign" }])),
    ).toEqual({ assigned: 0, unassigned: 1, unchanged: 0 });

    const imported = await importRows(admin, "assignments", [
      { line: 2, values: { accountExternalId: b.external_id, userEmail: email, role: "AE" } },
      { line: 3, values: { accountExternalId: b.external_id, userEmail: "not an email", role: "AE" } },
      { line: 4, values: { accountExternalId: "missing-account", userEmail: email, role: "AE" } },
    ]);
    expect(imported.imported).toBe(1);
    expect(imported.errors.map((e) => e.line)).toEqual([3, 4]);
    const [row] = await q<{ source: string }>(sql`select snapshot->>'source' as source from timeline_entries where account_id = ${b.id} and kind = 'assignment' order by id desc limit 1`);
    expect(row.source).toBe("import");
  });

  it("lets admins add, rename (assignments follow) and delete unused roles; the flag drives privilege", async () => {
    const admin = await ctxFor("admin@demo.test");
    const csm = await ctxFor("csm@demo.test");
    expect((await runAction(createAssignmentRole, { name: "Renewals lead" }, csm)).ok).toBe(false);
    const created = await runAction(createAssignmentRole, { name: "Renewals lead" }, admin);
    expect(created.ok).toBe(true);
    expect(await runAction(createAssignmentRole, { name: "renewals LEAD" }, admin)).toMatchObject({ ok: false, fieldErrors: { name: [expect.stringContaining("already exists")] } });
    const role = (await listAssignmentRoles(admin)).find((r) => r.name === "Renewals lead")!;
    expect(role.grantsPrivileged).toBe(false);

    const lucas = "lucas.moreau@demo.test";
    const [product] = await unassignedProducts(lucas, seeded.demo.emeaRegionId, 1);
    expect((await runAction(assignUser, { accountId: product.id, userId: seeded.demo.userIds[lucas], role: "Renewals lead" }, admin)).ok).toBe(true);
    expect(await canSeePrivileged(await ctxFor(lucas), product.id)).toBe(false);
    expect((await runAction(updateAssignmentRole, { id: role.id, name: "Renewal lead", grantsPrivileged: "on" }, admin)).ok).toBe(true);
    expect(await canSeePrivileged(await ctxFor(lucas), product.id)).toBe(true);
    const [held] = await q<{ role: string }>(sql`select role from assignments where account_id = ${product.id} and user_id = ${seeded.demo.userIds[lucas]}`);
    expect(held.role).toBe("Renewal lead");

    const refused = await runAction(deleteAssignmentRole, { id: role.id }, admin);
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining("held in 1 assignment") });
    await runAction(unassignUser, { accountId: product.id, userId: seeded.demo.userIds[lucas], role: "Renewal lead" }, admin);
    expect((await runAction(deleteAssignmentRole, { id: role.id }, admin)).ok).toBe(true);
    expect((await listAssignmentRoles(admin)).some((r) => r.id === role.id)).toBe(false);
  });
});
