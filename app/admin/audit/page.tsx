import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listAudit, type AuditFilter } from "@/lib/admin/audit";
import { listUsers } from "@/lib/admin/users";
import { inputClass, labelClass } from "@/components/forms";
import { ScrollRegion } from "@/components/scroll-region";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.slice(0, 200) || undefined;

function ChangeDetails({ details }: { details: unknown }) {
  if (!details || typeof details !== "object") return null;
  const { before, after, ...rest } = details as Record<string, unknown>;
  const show = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v, null, 1));
  return (
    <div className="space-y-1 text-xs">
      {Object.keys(rest).length ? <pre className="whitespace-pre-wrap break-all text-slate-700">{JSON.stringify(rest)}</pre> : null}
      {before !== undefined || after !== undefined ? (
        <dl className="grid grid-cols-[auto_1fr] gap-x-2">
          <dt className="font-medium text-slate-700">Before</dt>
          <dd>
            <pre className="whitespace-pre-wrap break-all text-slate-800">{show(before)}</pre>
          </dd>
          <dt className="font-medium text-slate-700">After</dt>
          <dd>
            <pre className="whitespace-pre-wrap break-all text-slate-800">{show(after)}</pre>
          </dd>
        </dl>
      ) : null}
    </div>
  );
}

/** Admin and permission changes, newest first: who, when, what, before and after. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "audit.read")) notFound();
  const params = await searchParams;
  const filter: AuditFilter = {
    action: first(params.action),
    actorId: first(params.actor),
    q: first(params.q),
    from: first(params.from),
    to: first(params.to),
    page: Number(first(params.page) ?? 1) || 1,
  };
  const [{ entries, total, page, pages, actions }, people] = await Promise.all([listAudit(ctx, filter), listUsers(ctx)]);
  const pageHref = (n: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ action: filter.action, actor: filter.actorId, q: filter.q, from: filter.from, to: filter.to })) if (v) q.set(k, v);
    if (n > 1) q.set("page", String(n));
    const s = q.toString();
    return `/admin/audit${s ? `?${s}` : ""}`;
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Audit log</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Every change to users, teams, scopes, account types and account tags, written in the same transaction as the change.
        </p>
      </div>

      <form method="get" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3" aria-label="Filter the audit log">
        <div>
          <label htmlFor="audit-action" className={labelClass}>
            Change
          </label>
          <select id="audit-action" name="action" defaultValue={filter.action ?? ""} className={inputClass}>
            <option value="">All changes</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-actor" className={labelClass}>
            By
          </label>
          <select id="audit-actor" name="actor" defaultValue={filter.actorId ?? ""} className={inputClass}>
            <option value="">Anyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-from" className={labelClass}>
            From
          </label>
          <input id="audit-from" name="from" type="date" defaultValue={filter.from} className={inputClass} />
        </div>
        <div>
          <label htmlFor="audit-to" className={labelClass}>
            To
          </label>
          <input id="audit-to" name="to" type="date" defaultValue={filter.to} className={inputClass} />
        </div>
        <div className="min-w-48 flex-1">
          <label htmlFor="audit-q" className={labelClass}>
            Contains
          </label>
          <input id="audit-q" name="q" type="search" defaultValue={filter.q} placeholder="a name, key or id" className={inputClass} />
        </div>
        <button type="submit" className="rounded-md bg-brand-700 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-600">
          Filter
        </button>
      </form>

      <section aria-labelledby="audit-heading" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="audit-heading" className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800" data-testid="audit-total">
          {total} change{total === 1 ? "" : "s"}
          {pages > 1 ? ` · page ${page} of ${pages}` : ""}
        </h2>
        {entries.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">No changes match.</p>
        ) : (
          <ScrollRegion label="Audit entries">
            <table className="w-full min-w-[44rem] table-fixed text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-700">
                <tr>
                  <th scope="col" className="w-44 px-4 py-2 font-medium">When (UTC)</th>
                  <th scope="col" className="w-36 px-4 py-2 font-medium">Who</th>
                  <th scope="col" className="w-48 px-4 py-2 font-medium">Change</th>
                  <th scope="col" className="px-4 py-2 font-medium">Details</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 align-top">
                {entries.map((e) => (
                  <tr key={e.id} data-testid="audit-entry">
                    <td className="px-4 py-2 tabular-nums text-slate-800">{e.at.toISOString().slice(0, 19).replace("T", " ")}</td>
                    <td className="px-4 py-2 text-slate-800">{e.actorName ?? "system"}</td>
                    <td className="px-4 py-2">
                      <span className="font-mono text-xs text-slate-900">{e.action}</span>
                      <div className="break-all text-xs text-slate-600">
                        {e.targetType} {e.targetId ?? ""}
                      </div>
                    </td>
                    <td className="px-4 py-2">
                      <ChangeDetails details={e.details} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
        {pages > 1 ? (
          <nav aria-label="Audit log pages" className="flex justify-between border-t border-slate-100 px-4 py-2 text-sm">
            {page > 1 ? <Link href={pageHref(page - 1)} className="text-brand-700 underline underline-offset-2">Newer</Link> : <span />}
            {page < pages ? <Link href={pageHref(page + 1)} className="text-brand-700 underline underline-offset-2">Older</Link> : <span />}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
