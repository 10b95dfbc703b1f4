import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { ancestorsOf, childrenOf, findAccount, searchAccounts } from "@/lib/dal/accounts";
import { attributesOf } from "@/lib/dal/attributes";
import { myAccounts, myOpenTasks } from "@/lib/dal/portfolio";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("data-access layer on %s", (driver) => {
  let seeded: Seeded;
  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const viewer = await loadViewer(seeded.db, user.id);
    if (!viewer) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer };
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("gives admin and leadership every account, opportunities included", async () => {
    for (const email of ["admin@demo.test", "leader@demo.test"]) {
      const ctx = await ctxFor(email);
      expect(ctx.viewer.seesAll).toBe(true);
      expect(await findAccount(ctx, seeded.demo.emeaRegionId)).not.toBeNull();
      expect(await findAccount(ctx, seeded.demo.opportunityId)).not.toBeNull();
    }
  });

  it("answers a forbidden account exactly like a missing or malformed one", async () => {
    const viewer = await ctxFor("viewer@demo.test");
    expect(await findAccount(viewer, seeded.demo.americasRegionId)).toMatchObject({ name: "Americas" });
    expect(await findAccount(viewer, seeded.demo.emeaRegionId)).toBeNull();
    expect(await findAccount(viewer, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect(await findAccount(viewer, "not-a-uuid")).toBeNull();
    expect(await findAccount(viewer, "'; drop table accounts; --")).toBeNull();
  });

  it("keeps the viewer's searches inside their scope", async () => {
    const viewer = await ctxFor("viewer@demo.test");
    const all = await searchAccounts(viewer, { limit: 1000 });
    expect(all.total).toBeGreaterThan(10);
    const admin = await ctxFor("admin@demo.test");
    for (const account of all.accounts) {
      const crumbs = await ancestorsOf(admin, account);
      const inAmericas = account.id === seeded.demo.americasRegionId || crumbs.some((c) => c.id === seeded.demo.americasRegionId);
      expect(inAmericas, `${account.name} is outside Americas`).toBe(true);
    }
    expect((await searchAccounts(viewer, { q: "EMEA" })).total).toBe(0);
  });

  it("hides opportunities from teams not allowed to see them", async () => {
    const viewer = await ctxFor("viewer@demo.test");
    const found = await searchAccounts(viewer, { typeKey: "opportunity", limit: 100 });
    expect(found.total).toBe(0);
    const admin = await ctxFor("admin@demo.test");
    expect((await searchAccounts(admin, { typeKey: "opportunity" })).total).toBeGreaterThan(0);
  });

  it("shows the breadcrumb to the ultimate parent, hiding names outside the scope", async () => {
    const admin = await ctxFor("admin@demo.test");
    const product = (await findAccount(admin, seeded.demo.busiestProductId))!;
    const crumbs = await ancestorsOf(admin, product);
    expect(crumbs.map((c) => c.typeName)).toEqual(["Company", "Region", "Line of business"]);
    expect(crumbs[0].id).toBe(seeded.demo.companyId);

    const viewer = await ctxFor("viewer@demo.test");
    const americas = (await findAccount(viewer, seeded.demo.americasRegionId))!;
    const hidden = await ancestorsOf(viewer, americas);
    expect(hidden).toEqual([{ id: null, name: null, typeName: "Company" }]);
  });

  it("lists children within scope and searches them", async () => {
    const admin = await ctxFor("admin@demo.test");
    const company = (await findAccount(admin, seeded.demo.companyId))!;
    const regions = await childrenOf(admin, company.id);
    expect(regions.children.map((c) => c.name).sort()).toEqual(["APAC", "Americas", "EMEA"]);
    expect((await childrenOf(admin, company.id, { q: "emea" })).children.map((c) => c.name)).toEqual(["EMEA"]);
    const csm = await ctxFor("csm@demo.test");
    const csmRegions = await childrenOf(csm, company.id);
    expect(csmRegions.children.map((c) => c.name)).toContain("EMEA");
    expect(csmRegions.children.map((c) => c.name)).not.toContain("Americas");
  });

  it("shows privileged attributes only to admins and to users assigned to the account", async () => {
    const admin = await ctxFor("admin@demo.test");
    const csm = await ctxFor("csm@demo.test");
    const assigned = (await myAccounts(csm)).find((a) => a.typeName === "Product");
    expect(assigned).toBeDefined();
    const account = (await findAccount(csm, assigned!.id))!;
    const privilegedKeys = (await attributesOf(admin, account)).filter((a) => a.privileged).map((a) => a.key);
    expect(privilegedKeys.length).toBeGreaterThan(0);
    expect((await attributesOf(csm, account)).map((a) => a.key)).toEqual(expect.arrayContaining(privilegedKeys));

    const emea = (await findAccount(csm, seeded.demo.emeaRegionId))!;
    expect((await attributesOf(csm, emea)).filter((a) => a.privileged)).toEqual([]);
    expect((await attributesOf(admin, emea)).filter((a) => a.privileged).length).toBeGreaterThan(0);
  });

  it("builds the csm's portfolio from assignments and sorts open tasks by due date", async () => {
    const csm = await ctxFor("csm@demo.test");
    const accounts = await myAccounts(csm);
    expect(accounts.length).toBeGreaterThanOrEqual(10);
    expect(accounts.every((a) => a.roles.length > 0)).toBe(true);
    const tasks = await myOpenTasks(csm);
    expect(tasks.length).toBeGreaterThan(0);
    const dated = tasks.filter((t) => t.dueDate).map((t) => t.dueDate!);
    expect(dated).toEqual([...dated].sort());
  });
});
