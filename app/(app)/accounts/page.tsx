import type { Metadata } from "next";
import Link from "next/link";
import { listAssignmentRoles } from "@/lib/assignments/roles";
import { may } from "@/lib/auth/permissions";
import { listAccountTypes, searchFilterOptions } from "@/lib/dal/accounts";
import { assignableUsers } from "@/lib/dal/people";
import { requireContext } from "@/lib/dal/session";
import { listView, viewAttributeOptions } from "@/lib/views/query";
import { findSavedView, listSavedViews, shareableTeams } from "@/lib/views/saved";
import { hasFilters, parseViewState, viewQueryString } from "@/lib/views/state";
import { AccountsTable } from "./accounts-table";
import { SavedViews } from "./saved-views";
import { ViewFilters } from "./view-filters";
import { AccountsExportLink } from "./export/export-link";

export const metadata: Metadata = { title: "Accounts" };

const PAGE_SIZE = 50;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The accounts list: filters, columns and sort live in the URL (lib/views/state.ts), pushed into
 * one SQL query scoped to the viewer (lib/views/query.ts); a saved view is `?view=<id>`.
 */
export default async function AccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireContext();
  const params = await searchParams;
  const viewParam = first(params.view);
  const fromParam = first(params.from);
  const [view, from] = await Promise.all([viewParam ? findSavedView(ctx, viewParam) : null, fromParam ? findSavedView(ctx, fromParam) : null]);
  if (viewParam && !view) {
    // Missing and not shared with this viewer are the same answer.
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">Accounts</h1>
        <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-slate-800" data-testid="view-unavailable">
          This saved view does not exist or is not shared with you. <Link href="/accounts" className="text-brand-700 underline">Show all accounts</Link>.
        </p>
      </div>
    );
  }
  const state = parseViewState(view ? new URLSearchParams(view.query) : params);
  const query = viewQueryString(state);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(first(params.page) ?? "1", 10) || 1));
  const bulk = may(ctx.viewer, "assignments.manage");
  const [types, options, roles, attributes, people, views, teams, result] = await Promise.all([
    listAccountTypes(ctx),
    searchFilterOptions(ctx),
    listAssignmentRoles(ctx),
    viewAttributeOptions(ctx),
    bulk ? assignableUsers(ctx) : [],
    listSavedViews(ctx),
    shareableTeams(ctx),
    listView(ctx, state, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
  ]);
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const base = view ? `view=${view.id}` : query;
  const link = (p: number) => `/accounts?${base ? `${base}&` : ""}page=${p}`;
  // The list travels to each profile, so j / k there walk this very list.
  const listParam = view ? `view:${view.id}` : query || "all";
  const current = view ?? from;
  const mayAssignPeople = bulk ? people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name })) : [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">Accounts</h1>
        {view ? (
          <p className="text-sm text-slate-600" data-testid="current-view">
            View: <strong className="text-slate-900">{view.name}</strong> {view.mine ? null : <span>(shared by {view.ownerName})</span>}
          </p>
        ) : from ? (
          <p className="text-sm text-slate-600">Changed from the view “{from.name}”</p>
        ) : null}
      </div>
      <SavedViews
        views={views}
        current={current ? { id: current.id, name: current.name, teamId: current.teamId, teamName: current.teamName, mine: current.mine, ownerName: current.ownerName } : null}
        query={query}
        teams={may(ctx.viewer, "views.save") ? teams : []}
      />
      <ViewFilters
        state={state}
        fromViewId={current?.id}
        anyFilter={hasFilters(state) || Boolean(view)}
        options={{
          types: types.map((t) => ({ key: t.key, name: t.name })),
          stages: options.stages,
          people: options.csms,
          roles: roles.map((r) => r.name),
          attributes,
        }}
      />
      <section className="rounded-lg border border-slate-200 bg-white" aria-label="Results">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-2">
          <p className="text-sm text-slate-600" data-testid="result-count">
            {result.total.toLocaleString("en-US")} account{result.total === 1 ? "" : "s"}
            {state.q ? ` matching “${state.q}”` : ""}
          </p>
          <div className="flex items-center gap-3 text-sm" data-testid="list-actions">
            <AccountsExportLink query={view ? `view=${view.id}` : query} />
          </div>
        </div>
        <AccountsTable
          rows={result.rows}
          columns={state.columns}
          attributeLabels={Object.fromEntries(attributes.map((a) => [`a.${a.key}`, a.label]))}
          listParam={listParam}
          bulk={bulk ? { people: mayAssignPeople, roles: roles.map((r) => ({ value: r.name, label: r.name })) } : null}
        />
        {pages > 1 ? (
          <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-200 px-4 py-2 text-sm">
            {page > 1 ? <Link className="text-brand-700 underline" href={link(page - 1)}>← Previous</Link> : <span />}
            <span className="text-slate-600">
              Page {page} of {pages}
            </span>
            {page < pages ? <Link className="text-brand-700 underline" href={link(page + 1)}>Next →</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
