import bcrypt from "bcryptjs";
import { sql } from "drizzle-orm";
import * as s from "@/db/schema";
import type { Executor } from "@/db/client";
import { createRandom, type Random } from "../random";
import { insertRows, RowStore } from "./rows";
import { DAY } from "./time";

/* Staff: users and teams (shared with the large data set). */

/** Password of every demo user. */
export const DEMO_PASSWORD = "demo";
export const SEED = "customer-360-demo-v1";

export type RegionKey = "emea" | "americas" | "apac";
export type Job = "CSM" | "AE" | "SE" | "Support manager";

export type StaffMember = {
  email: string;
  name: string;
  role: "admin" | "member" | "leadership" | "viewer";
  title: string;
  team?: string;
  region?: RegionKey;
  job?: Job;
};

export const DEMO_STAFF: readonly StaffMember[] = [
  { email: "admin@demo.test", name: "Ada Admin", role: "admin", title: "Customer Success Operations Lead" },
  { email: "csm@demo.test", name: "Casey CSM", role: "member", title: "Customer Success Manager", team: "emea", region: "emea", job: "CSM" },
  { email: "leader@demo.test", name: "Lee Leader", role: "leadership", title: "VP Customer Success", team: "leadership" },
  { email: "viewer@demo.test", name: "Val Viewer", role: "viewer", title: "Revenue Analyst", team: "americas-viewers" },
  { email: "jonas.becker@demo.test", name: "Jonas Becker", role: "member", title: "Senior Customer Success Manager", team: "emea", region: "emea", job: "CSM" },
  { email: "hannah.schmidt@demo.test", name: "Hannah Schmidt", role: "member", title: "Account Executive", team: "emea", region: "emea", job: "AE" },
  { email: "lucas.moreau@demo.test", name: "Lucas Moreau", role: "member", title: "Account Executive", team: "emea", region: "emea", job: "AE" },
  { email: "amara.okafor@demo.test", name: "Amara Okafor", role: "member", title: "Solutions Engineer", team: "emea", region: "emea", job: "SE" },
  { email: "noah.williams@demo.test", name: "Noah Williams", role: "member", title: "Senior Customer Success Manager", team: "americas", region: "americas", job: "CSM" },
  { email: "sofia.marquez@demo.test", name: "Sofia Marquez", role: "member", title: "Customer Success Manager", team: "americas", region: "americas", job: "CSM" },
  { email: "diego.alvarez@demo.test", name: "Diego Alvarez", role: "member", title: "Account Executive", team: "americas", region: "americas", job: "AE" },
  { email: "liam.oconnor@demo.test", name: "Liam O'Connor", role: "member", title: "Solutions Engineer", team: "americas", region: "americas", job: "SE" },
  { email: "grace.kim@demo.test", name: "Grace Kim", role: "member", title: "Support Manager", team: "americas", region: "americas", job: "Support manager" },
  { email: "mei.tanaka@demo.test", name: "Mei Tanaka", role: "member", title: "Senior Customer Success Manager", team: "apac", region: "apac", job: "CSM" },
  { email: "priya.raman@demo.test", name: "Priya Raman", role: "member", title: "Customer Success Manager", team: "apac", region: "apac", job: "CSM" },
  { email: "kenji.sato@demo.test", name: "Kenji Sato", role: "member", title: "Account Executive", team: "apac", region: "apac", job: "AE" },
  { email: "aisha.khan@demo.test", name: "Aisha Khan", role: "member", title: "Support Manager", team: "apac", region: "apac", job: "Support manager" },
];

export type TeamDef = { key: string; name: string; seesOpportunities: boolean; scope: { kind: "all" } | { kind: "subtree"; region: RegionKey } };

export const DEMO_TEAMS: readonly TeamDef[] = [
  { key: "emea", name: "EMEA", seesOpportunities: true, scope: { kind: "subtree", region: "emea" } },
  { key: "americas", name: "Americas", seesOpportunities: true, scope: { kind: "subtree", region: "americas" } },
  { key: "apac", name: "APAC", seesOpportunities: false, scope: { kind: "subtree", region: "apac" } },
  { key: "americas-viewers", name: "Americas viewers", seesOpportunities: false, scope: { kind: "subtree", region: "americas" } },
  { key: "leadership", name: "Leadership", seesOpportunities: true, scope: { kind: "all" } },
];

/**
 * bcrypt hash of the demo password with a fixed salt, so the data set stays byte-for-byte
 * reproducible. Acceptable only because the password is public demo data anyway.
 */
export function demoPasswordHash(): string {
  return bcrypt.hashSync(DEMO_PASSWORD, "$2b$10$Cust0mer360DemoSaltSeed");
}

export type StaffRows = { staff: (StaffMember & { id: string })[]; teamIds: Record<string, string> };

export function buildStaff(store: RowStore, rng: Random, now: number, regionIds: Record<RegionKey, string>): StaffRows {
  const hash = demoPasswordHash();
  const staff = DEMO_STAFF.map((member, i) => {
    const id = rng.uuid();
    store.add(s.users, {
      id,
      email: member.email,
      name: member.name,
      passwordHash: hash,
      role: member.role,
      title: member.title,
      createdAt: new Date(now - (900 - i * 20) * DAY),
    });
    return { ...member, id };
  });
  const admin = staff[0];
  const teamIds: Record<string, string> = {};
  DEMO_TEAMS.forEach((team, i) => {
    const id = rng.uuid();
    teamIds[team.key] = id;
    const createdAt = new Date(now - (880 - i) * DAY);
    store.add(s.teams, { id, key: team.key, name: team.name, seesOpportunities: team.seesOpportunities, createdAt });
    store.add(s.teamScopes, {
      id: rng.uuid(),
      teamId: id,
      kind: team.scope.kind,
      rootAccountId: team.scope.kind === "subtree" ? regionIds[team.scope.region] : null,
    });
    store.add(s.auditLog, {
      actorId: admin.id,
      action: "team.create",
      targetType: "team",
      targetId: id,
      details: { key: team.key, name: team.name, scope: team.scope.kind, seesOpportunities: team.seesOpportunities },
      at: createdAt,
    });
    for (const member of staff) if (member.team === team.key) store.add(s.teamMembers, { teamId: id, userId: member.id });
  });
  return { staff, teamIds };
}

/**
 * Writes the demo users and teams (password "demo") into a database whose region accounts already
 * exist, skipping users and teams that are already there. Used by the large data set so benchmarks
 * can sign in with the same accounts as the demo.
 */
export async function seedDemoStaff(db: Executor, options: { now?: Date; regionIds: Record<RegionKey, string> }): Promise<Record<string, string>> {
  const now = (options.now ?? new Date()).getTime();
  const store = new RowStore();
  const { staff } = buildStaff(store, createRandom(SEED).fork("staff"), now, options.regionIds);
  const existing = await db.execute<{ email: string }>(sql`select email from users`);
  if (existing.rows.length === 0) {
    for (const table of [s.users, s.teams, s.teamMembers, s.teamScopes, s.auditLog]) {
      await insertRows(db, table, store.rows(table) as Record<string, unknown>[]);
    }
  }
  const rows = await db.execute<{ id: string; email: string }>(sql`select id, email from users`);
  const ids: Record<string, string> = {};
  for (const row of rows.rows) ids[row.email] = row.id;
  for (const member of staff) if (!ids[member.email]) throw new Error(`seed: user ${member.email} is missing`);
  return ids;
}
