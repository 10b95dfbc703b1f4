import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { listAssignmentRoles } from "@/lib/assignments/roles";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { CreateRoleForm, RoleRow } from "./role-forms";
import { SectionCard } from "@/components/section-card";

export const metadata: Metadata = { title: "Assignment roles" };

/** Admin → Assignment roles: the roles people are assigned to accounts with, and which grant privileged attributes. */
export default async function AssignmentRolesPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "assignmentRoles.manage")) notFound();
  const roles = await listAssignmentRoles(ctx);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Assignment roles</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          People are assigned to accounts with one of these roles (from a profile&apos;s Assignment widget, the accounts list, the API or a CSV
          import). A role that <strong>grants privileged attributes</strong> lets the people assigned with it read and edit the account&apos;s
          privileged attributes. Renaming a role renames it on every assignment; a role in use cannot be deleted.
        </p>
      </div>
      <SectionCard id="roles-heading" title={<>{roles.length} role{roles.length === 1 ? "" : "s"}</>} size="regular" flush>
        <ul className="divide-y divide-slate-100">
          {roles.map((r) => (
            <RoleRow key={`${r.id}-${r.name}-${r.grantsPrivileged}`} role={r} />
          ))}
        </ul>
      </SectionCard>
      <SectionCard id="new-role-heading" title="Add a role" size="regular">
        <CreateRoleForm />
      </SectionCard>
    </div>
  );
}
