import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { asc } from "drizzle-orm";
import { accountTypes, teams } from "@/db/schema";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { formatDate } from "@/lib/format";
import { describeCriterion } from "@/lib/layouts/describe";
import { listLayouts, type LayoutListRow } from "@/lib/layouts/manage";
import { CreateLayoutForm, LayoutRowActions } from "./layout-list-actions";
import { ScrollRegion } from "@/components/scroll-region";

export const metadata: Metadata = { title: "Layouts" };

function StatusCell({ row }: { row: LayoutListRow }) {
  if (row.status === "draft") return <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">Draft, never published</span>;
  return (
    <span className="text-sm">
      Published v{row.version}
      {row.hasDraft ? <span className="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">unpublished changes</span> : null}
    </span>
  );
}

export default async function LayoutsPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "layouts.manage")) notFound();
  const [rows, typeRows, teamRows] = await Promise.all([
    listLayouts(ctx),
    ctx.db.select({ id: accountTypes.id, name: accountTypes.name }).from(accountTypes).orderBy(asc(accountTypes.level), asc(accountTypes.name)),
    ctx.db.select({ id: teams.id, name: teams.name }).from(teams).orderBy(asc(teams.name)),
  ]);
  const teamNames = new Map(teamRows.map((t) => [t.id, t.name]));
  const byType = typeRows.map((t) => ({ ...t, layouts: rows.filter((r) => r.accountTypeId === t.id) }));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Layouts</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Each profile is shaped by one layout. For an account, the published layouts of its type are tried from the top: a layout
          for a team applies only to that team&apos;s members, every condition must match, and the first match wins. Keep a
          layout without conditions last as the default.
        </p>
      </div>

      {byType.map((type) => (
        <section key={type.id} aria-labelledby={`type-${type.id}`} className="rounded-lg border border-slate-200 bg-white">
          <h2 id={`type-${type.id}`} className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">
            {type.name} <span className="font-normal text-slate-600">· {type.layouts.length} layout{type.layouts.length === 1 ? "" : "s"}</span>
          </h2>
          {type.layouts.length === 0 ? (
            <p className="px-4 py-3 text-sm text-slate-600">No layout: {type.name} profiles use the built-in default.</p>
          ) : (
            <ScrollRegion label={`Layouts of ${type.name}`}>
              <table className="w-full text-sm">
                <thead className="bg-slate-50 text-left text-xs text-slate-700">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">Order</th>
                    <th scope="col" className="px-4 py-2 font-medium">Layout</th>
                    <th scope="col" className="px-4 py-2 font-medium">Applies to</th>
                    <th scope="col" className="px-4 py-2 font-medium">Priority</th>
                    <th scope="col" className="px-4 py-2 font-medium">Status</th>
                    <th scope="col" className="px-4 py-2 font-medium">Actions</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {type.layouts.map((row, i) => {
                    const conditions = [
                      row.teamId ? `team ${row.teamName ?? "(deleted)"}` : null,
                      ...row.criteria.map((c) => describeCriterion(c, teamNames)),
                    ].filter(Boolean);
                    return (
                      <tr key={row.id} data-testid="layout-row">
                        <td className="px-4 py-2 tabular-nums">{i + 1}</td>
                        <th scope="row" className="px-4 py-2 text-left font-medium">
                          <Link href={`/admin/layouts/${row.id}`} className="text-brand-700 hover:underline">
                            {row.name}
                          </Link>
                          <p className="text-xs font-normal text-slate-600">
                            updated {formatDate(row.updatedAt)}
                            {row.updatedByName ? ` by ${row.updatedByName}` : ""}
                          </p>
                        </th>
                        <td className="px-4 py-2">
                          {conditions.length ? conditions.join("; ") : <span className="text-slate-600">every {type.name} (default)</span>}
                        </td>
                        <td className="px-4 py-2 tabular-nums">{row.priority}</td>
                        <td className="px-4 py-2">
                          <StatusCell row={row} />
                        </td>
                        <td className="px-4 py-2">
                          <LayoutRowActions id={row.id} name={row.name} first={i === 0} last={i === type.layouts.length - 1} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </section>
      ))}

      <section aria-labelledby="create-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="create-heading" className="mb-3 text-lg font-semibold text-slate-900">
          New layout
        </h2>
        <p className="mb-3 text-sm text-slate-700">It starts as a draft copy of the type&apos;s current layout and applies to nobody until you publish it.</p>
        <CreateLayoutForm types={typeRows} teams={teamRows} />
      </section>
    </div>
  );
}
