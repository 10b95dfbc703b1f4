import * as s from "@/db/schema";
import { REGIONS } from "./catalogue";
import type { Account, DemoContext, Hierarchy, Roster, Staff } from "./model";
import { buildStaff, type Job, type RegionKey } from "./staff";
import { DAY } from "./time";

/**
 * The demo users and teams, and who works on which account: a CSM and an AE on every account,
 * solutions engineers and support managers on some products, and Casey's own portfolio.
 */
export function buildStaffAndAssignments({ now, root, store }: DemoContext, { company, regions, lobs, products, busiest, opportunities }: Hierarchy): Roster {
  const regionIds = { emea: regions.emea.id, americas: regions.americas.id, apac: regions.apac.id };
  const { staff } = buildStaff(store, root.fork("staff"), now, regionIds);
  const byEmail = new Map(staff.map((m) => [m.email, m]));
  const admin = byEmail.get("admin@demo.test")!;
  const casey = byEmail.get("csm@demo.test")!;
  const leader = byEmail.get("leader@demo.test")!;
  const regionStaff = (region: RegionKey, job: Job) => staff.filter((m) => m.region === region && m.job === job);

  // ----- assignments ------------------------------------------------------------------------
  const arng = root.fork("assignments");
  const assign = (account: Account, user: Staff, role: string, at: number) => {
    if (account.staff.some((a) => a.user.id === user.id && a.role === role)) return;
    account.staff.push({ user, role });
    const assignedAt = new Date(Math.max(account.createdAt, at));
    store.add(s.assignments, { accountId: account.id, userId: user.id, role, assignedAt });
    store.add(s.assignmentHistory, { accountId: account.id, userId: user.id, role, assignedAt, assignedBy: admin.id });
  };
  assign(company, leader, "Executive sponsor", company.createdAt + 30 * DAY);
  assign(company, admin, "Account owner", company.createdAt + 30 * DAY);
  for (const region of REGIONS) {
    const account = regions[region.key];
    const csms = regionStaff(region.key, "CSM").filter((m) => m.id !== casey.id);
    assign(account, csms[0], "CSM", account.createdAt + 20 * DAY);
    assign(account, regionStaff(region.key, "AE")[0], "AE", account.createdAt + 20 * DAY);
  }
  const caseyProducts = products.filter((p) => p.region.key === "emea").slice(0, 23);
  for (const region of REGIONS) {
    const regionLobs = lobs.filter((l) => l.region.key === region.key);
    const csms = regionStaff(region.key, "CSM").filter((m) => m.id !== casey.id);
    const aes = regionStaff(region.key, "AE");
    const ses = regionStaff(region.key, "SE");
    const support = regionStaff(region.key, "Support manager");
    regionLobs.forEach((lob, i) => {
      const lobCsm = region.key === "emea" && i < 2 ? casey : csms[i % csms.length];
      assign(lob, lobCsm, "CSM", lob.createdAt + arng.int(5, 40) * DAY);
      assign(lob, aes[i % aes.length], "AE", lob.createdAt + arng.int(1, 20) * DAY);
      lob.children.forEach((product, j) => {
        const csm = caseyProducts.includes(product) ? casey : csms[(i + j) % csms.length];
        assign(product, csm, "CSM", product.createdAt + arng.int(0, 25) * DAY);
        assign(product, aes[(i + j) % aes.length], "AE", product.createdAt + arng.int(0, 10) * DAY);
        if (ses.length && (arng.chance(0.25) || product === busiest)) assign(product, ses[0], "SE", product.createdAt + arng.int(10, 90) * DAY);
        if (support.length && arng.chance(0.2)) assign(product, support[0], "Support manager", product.createdAt + arng.int(10, 200) * DAY);
      });
    });
    // EMEA has no dedicated support manager: the solutions engineer covers the busiest accounts.
    if (region.key === "emea") assign(busiest, ses[0], "Support manager", busiest.createdAt + 100 * DAY);
  }
  for (const opp of opportunities) {
    const ae = opp.parent!.staff.find((a) => a.role === "AE")?.user ?? regionStaff(opp.region.key, "AE")[0];
    assign(opp, ae, "AE", opp.createdAt);
    const csm = opp.parent!.staff.find((a) => a.role === "CSM")?.user;
    if (csm && arng.chance(0.5)) assign(opp, csm, "CSM", opp.createdAt + DAY);
  }
  const csmOf = (account: Account): Staff =>
    account.staff.find((a) => a.role === "CSM")?.user ?? account.staff[0]?.user ?? regionStaff(account.region.key, "CSM")[0];
  const aeOf = (account: Account): Staff => account.staff.find((a) => a.role === "AE")?.user ?? csmOf(account);
  const teamOf = (account: Account): Staff[] => [...new Set(account.staff.map((a) => a.user))];
  return { staff, admin, casey, caseyProducts, csmOf, aeOf, teamOf };
}
