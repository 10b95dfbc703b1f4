/**
 * Admin pages' actions (users, teams and scopes) on both drivers: a change applies to the next
 * viewer loaded, lands in the audit log with before/after in the same transaction, and bad input
 * (a scope that matches nothing, removing the last admin) is refused with a clear message and
 * writes nothing (row counts and contents compared before/after).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runAction, type ActionResult } from "@/lib/actions/define";
import { listAudit } from "@/lib/admin/audit";
import { createTeam, deleteTeam, updateTeam } from "@/lib/admin/teams";
import { createUser, updateUser } from "@/lib/admin/users";
import { findAccount } from "@/lib/dal/accounts";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("admin users and teams on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  let csm: Ctx;
  const userId = (email: string) => seeded.demo.userIds[email];
  const ctxFor = async (email: string): Promise<Ctx> => {
    const v = await loadViewer(seeded.db, userId(email));
    if (!v) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer: v };
  };
  /** Everything the admin actions may touch, as text: equal before and after means nothing changed. */
  const state = async () => {
    const { rows } = await seeded.db.execute(sql`select
      (select json_agg(u order by u.id)::text from (select id, name, role, disabled_at from users) u) as users,
      (select json_agg(t order by t.id)::text from teams t) as teams,
      (select json_agg(m order by m.team_id, m.user_id)::text from team_members m) as members,
      (select json_agg(s order by s.id)::text from team_scopes s) as scopes,
      (select count(*)::int from audit_log) as audit`);
    return rows[0];
  };
  const refusedWithoutChange = async (result: Promise<ActionResult<unknown>>, before: unknown) => {
    const r = await result;
    expect(r.ok, JSON.stringify(r)).toBe(false);
    expect(await state()).toEqual(before);
    return r as Extract<ActionResult, { ok: false }>;
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [admin, csm] = await Promise.all(["admin@demo.test", "csm@demo.test"].map(ctxFor));
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("refuses a scope that matches no account, with a message per problem, and saves nothing", async () => {
    const before = await state();
    const typo = await refusedWithoutChange(runAction(createTeam, { key: "typo", name: "Typo", filters: "segment = Entreprise" }, admin), before);
    expect(typo.error).toMatch(/matches no account/);
    expect(typo.fieldErrors?.filters?.[0]).toMatch(/No account has segment = Entreprise/);
    const empty = await refusedWithoutChange(runAction(createTeam, { key: "empty", name: "Empty" }, admin), before);
    expect(empty.fieldErrors?.scope?.[0]).toMatch(/Pick Everything/);
    const privileged = await refusedWithoutChange(runAction(createTeam, { key: "priv", name: "Priv", filters: "discount_pct = 10" }, admin), before);
    expect(privileged.fieldErrors?.filters?.[0]).toMatch(/no attribute .discount_pct. a scope can filter on/);
    const garbage = await refusedWithoutChange(runAction(createTeam, { key: "garbage", name: "Garbage", filters: "just words" }, admin), before);
    expect(garbage.fieldErrors?.filters?.[0]).toMatch(/not a filter/);
    // An existing team keeps its scope when the edit would match nothing.
    const emea = seeded.demo.emeaRegionId;
    const [team] = (await seeded.db.execute<{ id: string }>(sql`select id from teams where key = 'emea'`)).rows;
    await refusedWithoutChange(runAction(updateTeam, { teamId: team.id, name: "EMEA", rootIds: [], filters: "industry = Knitting" }, admin), before);
    expect(await findAccount(await ctxFor("csm@demo.test"), emea)).toBeTruthy();
  });

  it("creates a team scoped by an attribute filter and a subtree; its members see exactly that", async () => {
    const { rows } = await seeded.db.execute<{ id: string }>(sql`select a.id from accounts a
      join attribute_values v on v.account_id = a.id join attribute_definitions d on d.id = v.attribute_id
      where d.key = 'segment' and v.value = '"SMB"'::jsonb and a.archived_at is null
        and not exists (select 1 from account_closure c where c.descendant_id = a.id and c.ancestor_id = ${seeded.demo.emeaRegionId})
      limit 1`);
    const smbOutsideEmea = rows[0].id;
    expect(await findAccount(csm, smbOutsideEmea)).toBeNull();
    const created = await runAction(createTeam, { key: "smb-desk", name: "SMB desk", filters: "segment = SMB", rootIds: seeded.demo.apacRegionId, seesOpportunities: "on" }, admin);
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    const teamId = (created as { data: { id: string } }).data.id;
    const member = await runAction(updateUser, { userId: userId("csm@demo.test"), name: "Casey CSM", role: "member", teamIds: [teamId] }, admin);
    expect(member, JSON.stringify(member)).toMatchObject({ ok: true });
    const casey = await ctxFor("csm@demo.test");
    expect(await findAccount(casey, smbOutsideEmea)).toBeTruthy();
    expect(await findAccount(casey, seeded.demo.apacRegionId)).toBeTruthy();
    const audit = await listAudit(admin, { action: "user.update" });
    expect(audit.entries[0]).toMatchObject({ actorName: "Ada Admin", targetId: userId("csm@demo.test") });
    expect(audit.entries[0].details).toMatchObject({ before: { teams: ["emea"] }, after: { teams: ["smb-desk"] } });
    const teamAudit = await listAudit(admin, { action: "team.create", q: "smb-desk" });
    expect(teamAudit.entries[0].details).toMatchObject({ after: { key: "smb-desk", seesOpportunities: true } });
    // Deleting the team takes the access away at the next load; put Casey back.
    expect(await runAction(deleteTeam, { teamId }, admin)).toMatchObject({ ok: true });
    expect(await findAccount(await ctxFor("csm@demo.test"), smbOutsideEmea)).toBeNull();
    const [emeaTeam] = (await seeded.db.execute<{ id: string }>(sql`select id from teams where key = 'emea'`)).rows;
    expect(await runAction(updateUser, { userId: userId("csm@demo.test"), name: "Casey CSM", role: "member", teamIds: emeaTeam.id }, admin)).toMatchObject({ ok: true });
  });

  it("refuses to remove the last admin's role, or to disable yourself, and changes nothing", async () => {
    const before = await state();
    const self = await refusedWithoutChange(runAction(updateUser, { userId: admin.viewer.userId, name: "Ada Admin", role: "member", teamIds: [] }, admin), before);
    expect(self.error).toMatch(/You are the last admin/);
    expect(self.fieldErrors?.role).toBeTruthy();
    const disable = await refusedWithoutChange(runAction(updateUser, { userId: admin.viewer.userId, name: "Ada Admin", role: "admin", disabled: "on" }, admin), before);
    expect(disable.error).toMatch(/cannot disable your own account/);
    // With a second admin, stepping down works and is audited with before/after.
    const second = await runAction(createUser, { email: "second.admin@demo.test", name: "Second Admin", role: "admin" }, admin);
    expect(second, JSON.stringify(second)).toMatchObject({ ok: true });
    const secondViewer = await loadViewer(seeded.db, (second as { data: { id: string } }).data.id);
    const secondCtx: Ctx = { db: seeded.db, viewer: secondViewer! };
    const stepDown = await runAction(updateUser, { userId: secondCtx.viewer.userId, name: "Second Admin", role: "viewer", teamIds: [] }, secondCtx);
    expect(stepDown, JSON.stringify(stepDown)).toMatchObject({ ok: true });
    const [entry] = (await listAudit(admin, { action: "user.update", actorId: secondCtx.viewer.userId })).entries;
    expect(entry.details).toMatchObject({ before: { role: "admin" }, after: { role: "viewer" } });
  });

  it("refuses every admin action to non-admins, and a duplicate email or team key", async () => {
    const before = await state();
    for (const email of ["csm@demo.test", "leader@demo.test", "viewer@demo.test"]) {
      const ctx = await ctxFor(email);
      const r = await refusedWithoutChange(runAction(createTeam, { key: "sneaky", name: "Sneaky", everything: "on" }, ctx), before);
      expect(r.error).toMatch(/Only admins/);
      await refusedWithoutChange(runAction(updateUser, { userId: ctx.viewer.userId, name: "Me", role: "admin" }, ctx), before);
      await refusedWithoutChange(runAction(createUser, { email: "x@demo.test", name: "X", role: "admin" }, ctx), before);
    }
    const dup = await refusedWithoutChange(runAction(createUser, { email: "CSM@demo.test", name: "Dup", role: "member" }, admin), before);
    expect(dup.fieldErrors?.email?.[0]).toMatch(/exists already/);
    const dupTeam = await refusedWithoutChange(runAction(createTeam, { key: "emea", name: "Again", everything: "on" }, admin), before);
    expect(dupTeam.fieldErrors?.key?.[0]).toMatch(/exists already/);
    expect((await listAudit(csm, {})).entries).toEqual([]);
  });
});
