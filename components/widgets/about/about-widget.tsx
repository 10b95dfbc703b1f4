import { aboutOf } from "@/lib/dal/attributes";
import { isEmptyValue } from "@/lib/dal/accounts";
import { AttributeValue } from "../parts/attribute-value";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

/** About: executive summary and company facts (the company profile's attributes), tags and account groups. */
export async function AboutWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const about = await aboutOf(ctx, account);
  const summary = about.attributes.find((a) => a.key === "executive_summary");
  const facts = about.attributes.filter((a) => a.key !== "executive_summary");
  const nothing = about.attributes.every((a) => isEmptyValue(a.value)) && !about.tags.length && !about.groups.length;
  return (
    <WidgetCard title={settings.title ?? "About"} id="about">
      {nothing ? (
        <EmptyState>Nothing is recorded about this {account.typeName.toLowerCase()} yet.</EmptyState>
      ) : (
        <div className="space-y-3 text-sm">
          {summary ? (
            <div>
              <h3 className="text-xs text-slate-600">{summary.label}</h3>
              <p className="mt-0.5 whitespace-pre-line text-slate-800" data-testid="executive-summary">
                {isEmptyValue(summary.value) ? "—" : String(summary.value)}
              </p>
            </div>
          ) : null}
          {facts.length ? (
            <dl className="grid grid-cols-2 gap-x-4 gap-y-2">
              {facts.map((a) => (
                <div key={a.key}>
                  <dt className="text-xs text-slate-600">{a.label}</dt>
                  <dd className="font-medium text-slate-900 tabular-nums">
                    {a.key === "year_established" && typeof a.value === "number" ? String(a.value) : <AttributeValue dataType={a.dataType} value={a.value} />}
                  </dd>
                </div>
              ))}
            </dl>
          ) : null}
          <div>
            <h3 className="text-xs text-slate-600">Tags</h3>
            {about.tags.length ? (
              <ul className="mt-1 flex flex-wrap gap-1">
                {about.tags.map((t) => (
                  <li key={t.id} className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-800">
                    {t.name}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-600">No tags</p>
            )}
          </div>
          <div>
            <h3 className="text-xs text-slate-600">Account groups</h3>
            {about.groups.length ? (
              <ul className="mt-1 flex flex-wrap gap-1">
                {about.groups.map((g) => (
                  <li key={g.id} className="rounded border border-slate-200 px-2 py-0.5 text-xs text-slate-800">
                    {g.name}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-slate-600">In no account group</p>
            )}
          </div>
        </div>
      )}
    </WidgetCard>
  );
}
