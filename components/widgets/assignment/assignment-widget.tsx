import Link from "next/link";
import { listAssignmentRoles } from "@/lib/assignments/roles";
import { may } from "@/lib/auth/permissions";
import { assignableUsers, assignedMembers, viewerWorkingLevels } from "@/lib/dal/people";
import { AssignForm, UnassignButton } from "./assignment-form";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

/**
 * Team members assigned to the account with their roles (the viewer's own assignment marked "You"),
 * and the viewer's other working levels above or below this account. Those who may change
 * assignments assign people with a role here and unassign them.
 */
export async function AssignmentWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const manage = may(ctx.viewer, "assignments.manage");
  const [members, levels, people, roles] = await Promise.all([
    assignedMembers(ctx, account),
    viewerWorkingLevels(ctx, account),
    manage ? assignableUsers(ctx) : [],
    manage ? listAssignmentRoles(ctx) : [],
  ]);
  return (
    <WidgetCard title={settings.title ?? "Account assignment"} id="assignment">
      {members.length === 0 ? (
        <EmptyState>Nobody is assigned to this account.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {members.map((m) => (
            <li key={m.userId} className="flex items-start justify-between gap-2 py-1.5 text-sm" data-testid="assigned-member">
              <div className="min-w-0">
                <p className="font-medium text-slate-900">
                  {m.name}
                  {m.isViewer ? <span className="ml-1.5 rounded bg-brand-700 px-1.5 py-0.5 text-[11px] font-medium text-white">You</span> : null}
                </p>
                {m.title ? <p className="text-xs text-slate-600">{m.title}</p> : null}
              </div>
              {manage ? (
                <span className="flex shrink-0 flex-wrap justify-end gap-1">
                  {m.roles.map((role) => (
                    <UnassignButton key={role} accountId={account.id} userId={m.userId} userName={m.name} role={role} />
                  ))}
                </span>
              ) : (
                <span className="shrink-0 text-xs text-slate-700">{m.roles.join(", ")}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {levels.length ? (
        <div className="mt-3 border-t border-slate-100 pt-2">
          <h3 className="text-xs font-medium text-slate-600">Your other working levels</h3>
          <ul className="mt-1 space-y-1">
            {levels.map((l) => (
              <li key={l.accountId} className="text-sm" data-testid="working-level">
                <Link prefetch={false} href={`/accounts/${l.accountId}`} className="text-brand-700 underline">
                  {l.accountName}
                </Link>{" "}
                <span className="text-xs text-slate-600">
                  {l.typeName} · {l.relation === "above" ? "above" : "below"} · {l.roles.join(", ")} ·{" "}
                  <span className="font-medium text-slate-700">working level</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {manage ? (
        <AssignForm
          accountId={account.id}
          people={people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name }))}
          roles={roles.map((r) => ({ value: r.name, label: r.name }))}
        />
      ) : null}
    </WidgetCard>
  );
}
