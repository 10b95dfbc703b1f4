import type { CollectionColumn } from "@/db/schema";
import { collectionOf } from "@/lib/dal/attributes";
import { may } from "@/lib/auth/permissions";
import { formatCurrency, formatDate, formatNumber } from "@/lib/format";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { ScrollRegion } from "@/components/scroll-region";

export type CollectionSettings = { collection: string; title?: string };

function cell(column: CollectionColumn, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  switch (column.type) {
    case "currency":
      return formatCurrency(value as number | string);
    case "number":
      return formatNumber(value as number | string);
    case "date":
      return formatDate(String(value));
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

/**
 * An admin-defined collection (e.g. CRM opportunities) as a table of its records on this account.
 * A collection that does not exist (the built-in layouts name the demo's CRM opportunities, which
 * a new installation does not have) is skipped; those who configure layouts see why, like a widget
 * the registry no longer has (components/profile/widget-slot.tsx).
 */
export async function CollectionWidget({ ctx, account, settings }: WidgetProps<CollectionSettings>) {
  const table = await collectionOf(ctx, account, settings.collection);
  const title = settings.title ?? table?.name ?? "Collection";
  const id = `collection-${settings.collection}`;
  if (!table) {
    if (!may(ctx.viewer, "profile.diagnose")) return null;
    return (
      <WidgetCard title={title} id={id}>
        <EmptyState>There is no collection “{settings.collection}”. An admin can pick another in the layout editor.</EmptyState>
      </WidgetCard>
    );
  }
  const numeric = (c: CollectionColumn) => c.type === "number" || c.type === "currency";
  return (
    <WidgetCard title={title} id={id} action={<span className="text-xs text-slate-600">{table.total} {table.total === 1 ? "record" : "records"}</span>}>
      {table.records.length === 0 ? (
        <EmptyState>No {table.name} records on this account.</EmptyState>
      ) : (
        <ScrollRegion label={title}>
          <table className="w-full text-sm" data-testid="collection-table">
            <thead className="text-left text-xs text-slate-600">
              <tr>
                {table.columns.map((c, i) => (
                  // The first column names the record: wide enough to read when the table scrolls.
                  <th key={c.key} scope="col" className={`py-1 pr-3 font-medium ${numeric(c) ? "text-right" : ""} ${i === 0 ? "min-w-36" : ""}`}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {table.records.map((r) => (
                <tr key={r.id}>
                  {table.columns.map((c) => (
                    <td key={c.key} className={`py-1.5 pr-3 ${numeric(c) ? "text-right tabular-nums" : ""} ${c.type === "date" || numeric(c) ? "whitespace-nowrap" : ""}`}>
                      {cell(c, r.values[c.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {table.total > table.records.length ? (
            <p className="mt-1 text-xs text-slate-600">
              Showing the newest {table.records.length} of {table.total}.
            </p>
          ) : null}
        </ScrollRegion>
      )}
    </WidgetCard>
  );
}
