import { OPEN_STATUSES, supportSummary, TICKET_PRIORITIES } from "@/lib/dal/support";
import { formatNumber, relativeTime } from "@/lib/format";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { Figure, RolledUpNote } from "../parts/shared";

const PRIORITY_STYLE: Record<string, string> = {
  urgent: "bg-red-100 text-red-800",
  high: "bg-amber-100 text-amber-900",
  normal: "bg-slate-100 text-slate-800",
  low: "bg-slate-100 text-slate-700",
};

/** Open tickets by priority and status, the latest few; parents show rolled-up totals. */
export async function SupportWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const support = await supportSummary(ctx, account);
  return (
    <WidgetCard title={settings.title ?? "Support"} id="support">
      <div className="space-y-3">
        {support.rollup ? (
          <>
            <RolledUpNote descendants={support.rollup.descendants} explain={{ accountId: account.id, metric: "open_tickets" }} />
            <dl className="grid grid-cols-2 gap-3">
              <Figure label="Open tickets (rolled up)" value={formatNumber(support.rollup.openTickets)} testId="support-open" />
              <Figure label="Urgent (rolled up)" value={formatNumber(support.rollup.urgentTickets)} testId="support-urgent" />
            </dl>
          </>
        ) : (
          <dl className="grid grid-cols-2 gap-3">
            <Figure label="Open tickets" value={formatNumber(support.open)} testId="support-open" />
            <Figure label="Urgent" value={formatNumber(support.byPriority.urgent ?? 0)} testId="support-urgent" />
          </dl>
        )}
        {support.open > 0 ? (
          <div className="grid grid-cols-2 gap-3 text-sm">
            <CountList title={support.rollup ? "This account by priority" : "By priority"} keys={TICKET_PRIORITIES} counts={support.byPriority} />
            <CountList title={support.rollup ? "This account by status" : "By status"} keys={OPEN_STATUSES} counts={support.byStatus} />
          </div>
        ) : null}
        <div>
          <h3 className="text-xs font-medium text-slate-600">Latest open tickets{support.rollup ? " on this account" : ""}</h3>
          {support.latest.length === 0 ? (
            <EmptyState>No open tickets{support.rollup ? " on this account itself" : ""}.</EmptyState>
          ) : (
            <ul className="mt-1 divide-y divide-slate-100">
              {support.latest.map((t) => (
                <li key={t.id} className="flex items-start justify-between gap-2 py-1.5 text-sm">
                  <div className="min-w-0">
                    <p className="truncate text-slate-900" title={t.subject}>
                      {t.subject}
                    </p>
                    <p className="text-xs text-slate-600">
                      <span className="capitalize">{t.status}</span> · opened {relativeTime(t.openedAt)}
                      {t.contactName ? ` · ${t.contactName}` : ""}
                    </p>
                  </div>
                  <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-medium capitalize ${PRIORITY_STYLE[t.priority] ?? ""}`}>{t.priority}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </WidgetCard>
  );
}

function CountList({ title, keys, counts }: { title: string; keys: readonly string[]; counts: Record<string, number> }) {
  return (
    <div>
      <h3 className="text-xs font-medium text-slate-600">{title}</h3>
      <ul className="mt-1 space-y-0.5">
        {keys.map((k) => (
          <li key={k} className="flex justify-between">
            <span className="capitalize text-slate-700">{k}</span>
            <span className="font-medium tabular-nums">{formatNumber(counts[k] ?? 0)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
