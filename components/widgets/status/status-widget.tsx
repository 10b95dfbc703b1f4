import { may } from "@/lib/auth/permissions";
import { lifecycleStatus } from "@/lib/dal/lifecycle";
import { formatDate } from "@/lib/format";
import { timeInStage } from "@/lib/lifecycle/duration";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { StageChangeForm } from "./stage-change-form";

/**
 * Each lifecycle: the account's stage, how long it has been there, the stages in order, the earlier
 * moves with their dates (who, and the note), and, for roles that may, a form to move it.
 */
export async function StatusWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"status">>) {
  const lifecycles = await lifecycleStatus(ctx, account);
  const canChange = may(ctx.viewer, "stage.change");
  const now = new Date();
  return (
    <WidgetCard title={settings.title || "Status"} id="status">
      {lifecycles.length === 0 ? (
        <EmptyState>No lifecycles are defined.</EmptyState>
      ) : (
        <ul className="space-y-4">
          {lifecycles.map((l) => {
            const earlier = l.history;
            return (
              <li key={l.lifecycleKey} data-testid={`lifecycle-${l.lifecycleKey}`}>
                <div className="flex items-baseline justify-between gap-2">
                  <span className="text-xs font-medium text-slate-600 uppercase">{l.lifecycleName}</span>
                  <span className="text-xs text-slate-600" data-testid={`stage-since-${l.lifecycleKey}`}>
                    {l.since ? `${timeInStage(l.since, now)} in stage · since ${formatDate(l.since)}` : ""}
                  </span>
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
                {earlier.length ? (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-xs text-slate-700">Stage history ({earlier.length})</summary>
                    <ol className="mt-1 space-y-1 border-l-2 border-slate-100 pl-3 text-xs text-slate-700" data-testid={`stage-history-${l.lifecycleKey}`}>
                      {earlier.map((h) => (
                        <li key={h.id}>
                          <span className="font-medium">{h.fromName ?? "Not started"}</span> → {h.toName}
                          <span className="text-slate-600">
                            {" "}
                            · {formatDate(h.changedAt)}
                            {h.by ? ` · ${h.by}` : ""}
                            {h.source !== "app" ? ` · via ${h.source === "api" ? "API" : "CSV import"}` : ""}
                          </span>
                          {h.note ? <p className="text-slate-600 italic">“{h.note}”</p> : null}
                        </li>
                      ))}
                    </ol>
                  </details>
                ) : null}
                {canChange ? (
                  <StageChangeForm
                    accountId={account.id}
                    lifecycleId={l.lifecycleId}
                    lifecycleKey={l.lifecycleKey}
                    lifecycleName={l.lifecycleName}
                    currentKey={l.stageKey}
                    stages={l.stages.filter((s) => !s.archived)}
                  />
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </WidgetCard>
  );
}
