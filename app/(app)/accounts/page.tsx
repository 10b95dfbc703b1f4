import type { Metadata } from "next";
import Link from "next/link";
import { HealthBadge } from "@/components/health-badge";
import { PreviewLink } from "@/components/preview-link";
import { listAssignmentRoles } from "@/lib/assignments/roles";
import { may } from "@/lib/auth/permissions";
import { listAccountTypes, searchAccounts, searchFilterOptions } from "@/lib/dal/accounts";
import { assignableUsers } from "@/lib/dal/people";
import { requireContext } from "@/lib/dal/session";
import { ScrollRegion } from "@/components/scroll-region";
import { BulkAssignBar, SelectAllAccounts } from "./bulk-assign-bar";
import { AccountsExportLink } from "./export/export-link";

export const metadata: Metadata = { title: "Accounts" };

const PAGE_SIZE = 50;
/** The bulk bar's form id (bulk-assign-bar.tsx): the rows' checkboxes belong to that form. */
const BULK_FORM_ID = "bulk-assign";
const BANDS = ["good", "average", "poor"] as const;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export default async function AccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireContext();
  const params = await searchParams;
  const bulk = may(ctx.viewer, "assignments.manage");
  const [types, options, people, roles] = await Promise.all([
    listAccountTypes(ctx),
    searchFilterOptions(ctx),
    bulk ? assignableUsers(ctx) : [],
    bulk ? listAssignmentRoles(ctx) : [],
  ]);
  // Unknown filter values are dropped, not errors: a mangled link still shows a useful list.
  const q = (first(params.q) ?? "").trim().slice(0, 200);
  const typeKey = types.find((t) => t.key === first(params.type))?.key;
  const health = BANDS.find((b) => b === first(params.health));
  const stageKey = options.stages.find((s) => s.key === first(params.stage))?.key;
  const csmId = options.csms.find((c) => c.id === first(params.csm))?.id;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(first(params.page) ?? "1", 10) || 1));
  const { accounts, total } = await searchAccounts(ctx, {
    q: q || undefined,
    typeKey,
    health,
    stageKey,
    csmId,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const filters = { q, type: typeKey, health, stage: stageKey, csm: csmId };
  const link = (p: number) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) qs.set(k, v);
    qs.set("page", String(p));
    return `/accounts?${qs}`;
  };
  const select = "mt-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";

  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Accounts</h1>
      <form className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4" role="search" aria-label="Account search">
        <div>
          <label htmlFor="q" className="block text-xs font-medium text-slate-600">
            Name
          </label>
          <input id="q" name="q" type="search" defaultValue={q} className="mt-1 w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm" />
        </div>
        <div>
          <label htmlFor="type" className="block text-xs font-medium text-slate-600">
            Type
          </label>
          <select id="type" name="type" defaultValue={typeKey ?? ""} className={select}>
            <option value="">All types</option>
            {types.map((t) => (
              <option key={t.id} value={t.key}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="health" className="block text-xs font-medium text-slate-600">
            Health
          </label>
          <select id="health" name="health" defaultValue={health ?? ""} className={select}>
            <option value="">Any health</option>
            {BANDS.map((b) => (
              <option key={b} value={b}>
                {b[0].toUpperCase() + b.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="stage" className="block text-xs font-medium text-slate-600">
            Journey stage
          </label>
          <select id="stage" name="stage" defaultValue={stageKey ?? ""} className={select}>
            <option value="">Any stage</option>
            {options.stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="csm" className="block text-xs font-medium text-slate-600">
            CSM
          </label>
          <select id="csm" name="csm" defaultValue={csmId ?? ""} className={select}>
            <option value="">Any CSM</option>
            {options.csms.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
          Search
        </button>
        {Object.values(filters).some(Boolean) ? (
          <Link href="/accounts" className="py-1.5 text-sm text-slate-600 underline">
            Clear
          </Link>
        ) : null}
      </form>
      <AccountsExportLink params={params} />
      <section className="rounded-lg border border-slate-200 bg-white" aria-label="Results">
        <p className="border-b border-slate-200 px-4 py-2 text-sm text-slate-600" data-testid="result-count">
          {total} account{total === 1 ? "" : "s"}
          {q ? ` matching “${q}”` : ""}
        </p>
        {bulk && accounts.length ? (
          <BulkAssignBar
            people={people.map((p) => ({ value: p.id, label: p.title ? `${p.name} (${p.title})` : p.name }))}
            roles={roles.map((r) => ({ value: r.name, label: r.name }))}
          />
        ) : null}
        <ScrollRegion label="Accounts found">
          <table className="w-full min-w-[36rem] text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
              <tr>
                {bulk ? (
                  <th className="w-8 px-4 py-2">
                    <SelectAllAccounts />
                  </th>
                ) : null}
                <th className="px-4 py-2">Account</th>
                <th className="px-4 py-2">Type</th>
                <th className="px-4 py-2">Health</th>
                <th className="px-4 py-2">Journey stage</th>
                <th className="px-4 py-2">CSM</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {accounts.map((a) => (
                <tr key={a.id}>
                  {bulk ? (
                    <td className="px-4 py-2">
                      <input type="checkbox" name="accountIds" value={a.id} form={BULK_FORM_ID} aria-label={`Select ${a.name}`} className="size-4" />
                    </td>
                  ) : null}
                  <td className="px-4 py-2">
                    <PreviewLink id={a.id} className="font-medium text-brand-700 hover:underline">
                      {a.name}
                    </PreviewLink>
                  </td>
                  <td className="px-4 py-2 text-slate-600">{a.typeName}</td>
                  <td className="px-4 py-2">
                    <HealthBadge band={a.healthBand} />
                  </td>
                  <td className="px-4 py-2 text-slate-600">{a.stageName ?? "—"}</td>
                  <td className="px-4 py-2 text-slate-600">{a.csmName ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
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
