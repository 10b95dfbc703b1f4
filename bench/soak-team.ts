/**
 * The soak's team: one user per simulated user, made through the app's own writers (the admin's
 * "create user" server action, then the invitation's set-password action, then a real sign-in),
 * with roles mixed like a real team (mostly CSMs, each assigned a few accounts through the
 * assignments API; a few leaders who see everything; a few read-only viewers with assignments of
 * their own), so every request runs the permission checks and per-user queries of its sign-in.
 * Issue #19.
 */
import { callAction, type actionIds } from "./server-actions";
import { signIn } from "./server";

export type SoakRole = "member" | "leadership" | "viewer";
export type SoakAccount = { id: string; external_id: string; type: string };
export type SoakUser = { index: number; email: string; role: SoakRole; userId: string; cookie: string; accounts: SoakAccount[] };

const PASSWORD = "soak-password-1";

/** Roles for `n` users: about 15 % leadership and 10 % viewers (at least one each from 3 users on), CSMs for the rest. */
export function teamRoles(n: number): SoakRole[] {
  const leaders = n >= 3 ? Math.max(1, Math.round(n * 0.15)) : 0;
  const viewers = n >= 3 ? Math.max(1, Math.round(n * 0.1)) : 0;
  return Array.from({ length: n }, (_, i) => (i < leaders ? "leadership" : i < leaders + viewers ? "viewer" : "member"));
}

export async function makeTeam(options: {
  base: string;
  adminCookie: string;
  token: string;
  ids: ReturnType<typeof actionIds>;
  users: number;
  /** Accounts to hand out: CSMs get 3 each, viewers 2, round-robin; leaders see every one. */
  accounts: SoakAccount[];
  assignmentRole: string;
  runTag: string;
}): Promise<SoakUser[]> {
  const { base, adminCookie, ids, accounts } = options;
  const createUser = ids("app/admin/users/actions.ts", "createUserAction");
  const setPassword = ids("app/(auth)/set-password/[token]/actions.ts", "setPasswordAction");
  const roles = teamRoles(options.users);
  const made: Omit<SoakUser, "cookie">[] = [];
  let next = 0;
  for (const [index, role] of roles.entries()) {
    const email = `soak-${options.runTag}-${index}-${role}@soak.test`;
    const created = await callAction(base, "/admin/users", createUser, { email, name: `Soak ${role} ${index}`, role }, adminCookie);
    const token = /\/set-password\/([A-Za-z0-9_-]+)/.exec(created.body)?.[1];
    const userId = /"data":\{"id":"([0-9a-f-]{36})"/.exec(created.body)?.[1];
    if (created.ok !== true || !token || !userId) throw new Error(`creating ${email} through the admin action: ${created.status} ${created.body.slice(0, 300)}`);
    const set = await callAction(base, `/set-password/${token}`, setPassword, { token, password: PASSWORD, confirm: PASSWORD });
    if (!set.redirect?.includes("/login")) throw new Error(`setting ${email}'s password: ${set.status} ${set.body.slice(0, 300)}`);
    const share = role === "member" ? 3 : role === "viewer" ? 2 : 0;
    const mine = Array.from({ length: share }, () => accounts[next++ % accounts.length]);
    made.push({ index, email, role, userId, accounts: role === "leadership" ? accounts : [...new Map(mine.map((a) => [a.id, a])).values()] });
  }
  const assignments = made.flatMap((u) => (u.role === "leadership" ? [] : u.accounts.map((a) => ({ accountExternalId: a.external_id, userEmail: u.email, role: options.assignmentRole }))));
  if (assignments.length) {
    const res = await fetch(`${base}/api/v1/assignments`, {
      method: "POST",
      headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
      body: JSON.stringify({ assignments }),
    });
    if (res.status !== 200) throw new Error(`assigning the soak's users: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  const team: SoakUser[] = [];
  for (const user of made) team.push({ ...user, cookie: await signIn(base, user.email, PASSWORD) });
  return team;
}
