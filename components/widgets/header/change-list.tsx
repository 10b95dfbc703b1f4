import type { AttributeChange } from "@/lib/dal/attributes";
import { AttributeValue } from "../parts/attribute-value";
import { ScrollRegion } from "@/components/scroll-region";

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

export function ChangeTime({ at }: { at: Date }) {
  const date = at instanceof Date ? at : new Date(at);
  return (
    <time dateTime={date.toISOString()} className="whitespace-nowrap">
      {timeFormat.format(date)} UTC
    </time>
  );
}

export function changeAuthor(change: Pick<AttributeChange, "changedBy" | "source">): string {
  if (change.changedBy) return change.source === "api" ? `${change.changedBy} (API)` : change.changedBy;
  return change.source === "app" ? "Unknown user" : `${change.source[0].toUpperCase()}${change.source.slice(1)}`;
}

/**
 * Attribute changes as a table: attribute (optional), old value, new value, who, when. Used by the
 * Recent changes view and by one attribute's history.
 */
export function ChangeTable({ changes, showAttribute, caption }: { changes: AttributeChange[]; showAttribute: boolean; caption: string }) {
  return (
    <ScrollRegion label={caption}>
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-left text-xs text-slate-600">
          <tr>
            {showAttribute ? <th scope="col" className="py-1.5 pr-3 font-medium">Attribute</th> : null}
            <th scope="col" className="py-1.5 pr-3 font-medium">Old value</th>
            <th scope="col" className="py-1.5 pr-3 font-medium">New value</th>
            <th scope="col" className="py-1.5 pr-3 font-medium">Who</th>
            <th scope="col" className="py-1.5 font-medium">When</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {changes.map((c) => (
            <tr key={c.id} data-testid="attribute-change">
              {showAttribute ? <td className="py-1.5 pr-3 font-medium text-slate-800">{c.attributeLabel}</td> : null}
              <td className="py-1.5 pr-3 text-slate-600">
                <span className="sr-only">from </span>
                <AttributeValue dataType={c.dataType} value={c.oldValue} />
              </td>
              <td className="py-1.5 pr-3 text-slate-900">
                <span aria-hidden="true" className="mr-1 text-slate-400">→</span>
                <span className="sr-only">to </span>
                <AttributeValue dataType={c.dataType} value={c.newValue} />
              </td>
              <td className="py-1.5 pr-3 text-slate-700">{changeAuthor(c)}</td>
              <td className="py-1.5 text-slate-600">
                <ChangeTime at={c.changedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
