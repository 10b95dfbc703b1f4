import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listTeams } from "@/lib/admin/teams";
import { listSsoDomainRules } from "@/lib/admin/sso-domains";
import { listUsers, ROLE_DESCRIPTIONS, ROLES } from "@/lib/admin/users";
import { ssoName } from "@/lib/auth-sso";
import { CreateUserForm, DeleteSsoDomainRuleForm, EditUserForm, ResetPasswordForm, SsoDomainRuleForm, type RoleOption } from "./user-forms";
import { SectionCard } from "@/components/section-card";

export const metadata: Metadata = { title: "Users" };

const ROLE_LABELS: Record<string, string> = { admin: "Admin", member: "Member", leadership: "Leadership", viewer: "Viewer" };

export default async function UsersPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "users.manage")) notFound();
  const [users, teams, ssoRules] = await Promise.all([listUsers(ctx), listTeams(ctx), listSsoDomainRules(ctx)]);
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  const teamOptions = teams.map((t) => ({ id: t.id, name: t.name }));
  const roles: RoleOption[] = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r], description: ROLE_DESCRIPTIONS[r] }));
  const admins = users.filter((u) => may(u, "users.manage") && !u.disabled).length;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Users</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Who may sign in, their role and their teams. Roles: <strong>admin</strong> sees and changes everything;{" "}
          <strong>member</strong> works on the accounts their teams and assignments reach; <strong>leadership</strong> reads every account
          and changes only its own tasks and touchpoints; <strong>viewer</strong> reads within its scope. Changes apply at the next page
          load and are written to the <Link href="/admin/audit" className="text-brand-700 underline underline-offset-2">audit log</Link>.
        </p>
        <p className="mt-1 text-sm text-slate-700" data-testid="admin-count">
          {admins} active admin{admins === 1 ? "" : "s"}: at least one must remain.
        </p>
      </div>

      <SectionCard id="users-heading" title={<>{users.length} users</>} size="regular" flush>
        <ul className="divide-y divide-slate-100">
          {users.map((user) => (
            <li key={user.id} className="px-4 py-2.5" data-testid="user-row">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
                  <span className="font-medium text-slate-900">{user.name}</span>
                  <span className="text-slate-700">{user.email}</span>
                  <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-800">{ROLE_LABELS[user.role]}</span>
                  <span className="text-xs text-slate-700">{user.teamIds.map((id) => teamName.get(id)).join(", ") || "no team"}</span>
                  {user.disabled ? <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-900">Disabled</span> : null}
                  {!user.hasPassword ? <span className="text-xs text-slate-600">no password yet (link or single sign-on)</span> : null}
                </summary>
                <div className="mt-3 space-y-4 rounded-md border border-slate-100 bg-slate-50 p-3">
                  <EditUserForm user={user} teams={teamOptions} roles={roles} />
                  {user.disabled ? null : (
                    <div className="border-t border-slate-200 pt-3">
                      <p className="mb-2 text-sm text-slate-700">
                        Forgotten password or lost invitation: make a new one-time link. Older links stop working; the current password works until a new one is set.
                      </p>
                      <ResetPasswordForm user={user} />
                    </div>
                  )}
                </div>
              </details>
            </li>
          ))}
        </ul>
      </SectionCard>

      <SectionCard id="new-user-heading" title="Invite a user" size="regular">
        <p className="mt-1 mb-3 max-w-3xl text-sm text-slate-700">
          You get a one-time link to send them (by chat or email: this app does not send mail yet). They open it, choose a password and sign in.
          Someone who signs in with single sign-on can ignore the link.
        </p>
        <CreateUserForm teams={teamOptions} roles={roles} />
      </SectionCard>

      <SectionCard id="sso-heading" title={<>Single sign-on: new users by email domain</>} size="regular">
        <p className="mt-1 mb-3 max-w-3xl text-sm text-slate-700">
          {ssoName() ? `Someone who signs in with ${ssoName()} for the first time` : "When single sign-on is configured, someone who signs in with it for the first time"} gets
          the role and team of the rule for their email&apos;s domain. Without a rule: member of the default team.
        </p>
        {ssoRules.length ? (
          <ul className="mb-4 divide-y divide-slate-100 rounded-md border border-slate-100" data-testid="sso-rules">
            {ssoRules.map((rule) => (
              <li key={rule.id} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2 text-sm">
                <span className="font-medium text-slate-900">@{rule.domain}</span>
                <span className="text-slate-700">{ROLE_LABELS[rule.role]}</span>
                <span className="text-slate-700">{rule.teamName ?? "default team"}</span>
                <span className="ml-auto">
                  <DeleteSsoDomainRuleForm rule={{ id: rule.id, domain: rule.domain, roleLabel: ROLE_LABELS[rule.role], teamName: rule.teamName }} />
                </span>
              </li>
            ))}
          </ul>
        ) : null}
        <SsoDomainRuleForm teams={teamOptions} roles={roles} />
      </SectionCard>
    </div>
  );
}
