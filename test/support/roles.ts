/**
 * The demo's users by the role keys the authorization matrices use, and what the permissions table
 * (lib/auth/permissions.ts) grants each: the matrices compute their expectations from the table, so
 * a capability taken from a role is expected to be refused everywhere at once.
 */
import { ROLE_CAPABILITIES, type Capability, type Role } from "@/lib/auth/permissions";

export const ROLES = ["admin", "csm", "leader", "viewer", "signedOut"] as const;
export type RoleKey = (typeof ROLES)[number];
export type SignedInRole = Exclude<RoleKey, "signedOut">;

export const EMAIL: Record<SignedInRole, string> = { admin: "admin@demo.test", csm: "csm@demo.test", leader: "leader@demo.test", viewer: "viewer@demo.test" };

/** The table's role of each demo user. */
export const TABLE_ROLE: Record<SignedInRole, Role> = { admin: "admin", csm: "member", leader: "leadership", viewer: "viewer" };

/** Whether the table grants `capability` to the demo user `role` (signed out: nothing). */
export function roleHas(role: RoleKey, capability: Capability): boolean {
  return role !== "signedOut" && ROLE_CAPABILITIES[TABLE_ROLE[role]].has(capability);
}
