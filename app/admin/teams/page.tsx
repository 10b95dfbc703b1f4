import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listTeams, scopeAttributeKeys, scopeRootOptions, type ScopeRule } from "@/lib/admin/teams";
import { CreateTeamForm, EditTeamForm } from "./team-forms";
import { SectionCard } from "@/components/section-card";

export const metadata: Metadata = { title: "Teams and scopes" };

function describeRule(rule: ScopeRule): string {
  if (rule.kind === "all") return "Everything";
  if (rule.kind === "subtree") return `${rule.rootName} and below`;
  return `${rule.key} = ${String(rule.value)}`;
}

export default async function TeamsPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "teams.manage")) notFound();
  const [teams, roots, keys] = await Promise.all([listTeams(ctx), scopeRootOptions(ctx), scopeAttributeKeys(ctx)]);
  const attributeHint = keys.map((k) => (k.options.length ? `${k.key} (${k.options.join(", ")})` : k.key)).join("; ");

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Teams and scopes</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          A team&apos;s scope decides which accounts its members see: everything, parts of the hierarchy (with everything below), accounts
          matching an attribute filter, or a mix. A user sees the union of their teams&apos; scopes plus the accounts they are assigned to.
          Opportunities show only to teams allowed to see them. Admins and leadership see every account whatever their teams.
        </p>
      </div>

      <SectionCard id="teams-heading" title={<>{teams.length} teams</>} size="regular" flush>
        <ul className="divide-y divide-slate-100">
          {teams.map((team) => (
            <li key={team.id} className="px-4 py-2.5" data-testid="team-row">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
                  <span className="font-medium text-slate-900">{team.name}</span>
                  <span className="font-mono text-xs text-slate-600">{team.key}</span>
                  <span className="text-slate-700" data-testid="team-scope">
                    {team.scope.map(describeRule).join(" · ") || "no scope"}
                  </span>
                  <span className="text-xs text-slate-700">
                    {team.members} member{team.members === 1 ? "" : "s"}
                  </span>
                  {team.seesOpportunities ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">Opportunities</span> : null}
                </summary>
                <div className="mt-3 rounded-md border border-slate-100 bg-slate-50 p-3">
                  <EditTeamForm
                    roots={roots}
                    attributeHint={attributeHint}
                    team={{
                      id: team.id,
                      name: team.name,
                      seesOpportunities: team.seesOpportunities,
                      everything: team.scope.some((r) => r.kind === "all"),
                      rootIds: team.scope.flatMap((r) => (r.kind === "subtree" ? [r.rootAccountId] : [])),
                      filters: team.scope.flatMap((r) => (r.kind === "attribute" ? [`${r.key} = ${String(r.value)}`] : [])).join("\n"),
                    }}
                  />
                </div>
              </details>
            </li>
          ))}
        </ul>
      </SectionCard>

      <SectionCard id="new-team-heading" title="New team" size="regular">
        <CreateTeamForm roots={roots} attributeHint={attributeHint} />
      </SectionCard>
    </div>
  );
}
