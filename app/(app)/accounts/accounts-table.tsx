import { HealthBadge } from "@/components/health-badge";
import { PreviewLink } from "@/components/preview-link";
import { ScrollRegion } from "@/components/scroll-region";
import { formatCurrency, formatDate } from "@/lib/format";
import type { ViewRow } from "@/lib/views/query";
import { BUILTIN_COLUMNS, type Band, type ColumnKey } from "@/lib/views/state";
import { BulkAssignBar, SelectAllAccounts } from "./bulk-assign-bar";

/** The bulk bar's form id (bulk-assign-bar.tsx): the rows' checkboxes belong to that form. */
const BULK_FORM_ID = "bulk-assign";
type Option = { value: string; label: string };

function Cell({ column, value }: { column: ColumnKey; value: string | null }) {
  if (column === "health") return <HealthBadge band={value as Band | null} />;
  if (value === null || value === "") return <span className="text-slate-400">—</span>;
  if (column === "mrr") return <span className="tabular-nums">{formatCurrency(value)}</span>;
  if (column === "renewal" || column === "touch") return <>{formatDate(value)}</>;
  return <>{value}</>;
}

/** One page of the list with the chosen columns; each account links with the list it came from. */
export function AccountsTable({
  rows,
  columns,
  attributeLabels,
  listParam,
  bulk,
}: {
  rows: ViewRow[];
  columns: ColumnKey[];
  attributeLabels: Record<string, string>;
  listParam: string;
  bulk: { people: Option[]; roles: Option[] } | null;
}) {
  const heading = (c: ColumnKey) => (c in BUILTIN_COLUMNS ? BUILTIN_COLUMNS[c as keyof typeof BUILTIN_COLUMNS] : (attributeLabels[c] ?? c.slice(2)));
  const list = encodeURIComponent(listParam);
  return (
    <>
      {bulk && rows.length ? <BulkAssignBar people={bulk.people} roles={bulk.roles} /> : null}
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
              {columns.map((c) => (
                <th key={c} className="px-4 py-2">
                  {heading(c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((a) => (
              <tr key={a.id}>
                {bulk ? (
                  <td className="px-4 py-2">
                    <input type="checkbox" name="accountIds" value={a.id} form={BULK_FORM_ID} aria-label={`Select ${a.name}`} className="size-4" />
                  </td>
                ) : null}
                <td className="px-4 py-2">
                  <PreviewLink id={a.id} href={`/accounts/${a.id}?list=${list}`} className="font-medium text-brand-700 hover:underline">
                    {a.name}
                  </PreviewLink>
                </td>
                {columns.map((c) => (
                  <td key={c} className="px-4 py-2 text-slate-600">
                    <Cell column={c} value={a.values[c]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
