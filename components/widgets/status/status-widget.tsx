import { lifecycleStatus } from "@/lib/dal/lifecycle";
import { formatDate } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

export async function StatusWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"status">>) {
  const lifecycles = await lifecycleStatus(ctx, account);
  return (
    <WidgetCard title={settings.title || "Status"} id="status">
      {lifecycles.length === 0 ? (
        <EmptyState>No lifecycles are defined.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {lifecycles.map((l) => (
            <li key={l.lifecycleKey}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="text-xs font-medium text-slate-600 uppercase">{l.lifecycleName}</span>
                <span className="text-xs text-slate-500">{l.since ? `since ${formatDate(l.since)}` : ""}</span>
              </div>
              <p className="text-sm font-semibold" data-testid={`stage-${l.lifecycleKey}`}>
                {l.stageName ?? "Not started"}
                {l.stageArchived ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">Archived stage</span> : null}
              </p>
              <ol className="mt-1 flex gap-1" aria-label={`${l.lifecycleName} stages`}>
                {l.stages.map((s, i) => (
                  <li
                    key={s.key}
                    title={s.name}
                    aria-current={i === l.position ? "step" : undefined}
                    className={`h-1.5 flex-1 rounded ${l.position === null ? "bg-slate-200" : i < l.position ? "bg-brand-500" : i === l.position ? "bg-brand-700" : "bg-slate-200"}`}
                  >
                    <span className="sr-only">{s.name}</span>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </WidgetCard>
  );
}
