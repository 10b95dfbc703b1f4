import Link from "next/link";
import { EmptyState } from "@/components/widgets/widget-card";
import { KIND_META, TimelineItem } from "@/components/widgets/parts/timeline-entry";
import { TimelineFilterForm } from "@/components/widgets/parts/timeline-filter-form";
import { TIMELINE_KINDS, timelineFilterOptions, timelinePage, type TimelineEntry, type TimelinePage } from "@/lib/dal/timeline";
import { DownloadCsvLink } from "@/components/download-csv-link";
import { formatDate, formatNumber } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { TabProps } from "./types";

/** The export of the filters the tab applied (all pages). */
function timelineExportHref(accountId: string, filters: TimelinePage["filters"]): string {
  const qs = new URLSearchParams();
  for (const kind of filters.kinds) qs.append("kind", kind);
  for (const name of ["author", "child", "from", "to"] as const) if (filters[name]) qs.set(name, filters[name]!);
  const s = qs.toString();
  return `/accounts/export/${accountId}/timeline${s ? `?${s}` : ""}`;
}

/** Entries grouped under one heading per UTC day, keeping the newest-first order. */
function byDay(entries: TimelineEntry[]): { day: string; entries: TimelineEntry[] }[] {
  const groups: { day: string; entries: TimelineEntry[] }[] = [];
  for (const entry of entries) {
    const day = entry.occurredAt.toISOString().slice(0, 10);
    const last = groups[groups.length - 1];
    if (last?.day === day) last.entries.push(entry);
    else groups.push({ day, entries: [entry] });
  }
  return groups;
}

/**
 * The account's history as one stream, newest first, 50 per page. On parents it also holds the
 * touchpoints and tasks of the sub-accounts the viewer may see, each labelled with its account.
 */
export async function TimelineTab({ ctx, account, query, tab }: TabProps) {
  const [page, options] = await Promise.all([
    timelinePage(ctx, account, {
      page: query.page,
      kinds: query.kinds,
      author: query.author,
      child: query.child,
      from: query.from,
      to: query.to,
    }),
    timelineFilterOptions(ctx, account),
  ]);
  const now = new Date();
  const pageHref = (n: number) => profileHref(account.id, query.raw, { page: n > 1 ? String(n) : undefined });
  const clearHref = profileHref(account.id, {}, { tab: tab.key });
  const filtered = page.filters.kinds.length > 0 || Boolean(page.filters.author || page.filters.child || page.filters.from || page.filters.to);
  const hasChildren = options.children.length > 0;

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[16rem_1fr]">
      <aside aria-label="Filters" className="lg:order-none">
        <TimelineFilterForm
          action={`/accounts/${account.id}`}
          tabKey={tab.key}
          kinds={TIMELINE_KINDS.map((k) => ({ value: k, label: KIND_META[k]?.label ?? k }))}
          selectedKinds={page.filters.kinds}
          authors={options.authors.map((a) => ({ value: a.id, label: a.name }))}
          selectedAuthor={page.filters.author}
          childAccounts={hasChildren ? options.children.map((c) => ({ value: c.id, label: c.name, group: c.typeName })) : undefined}
          selectedChild={page.filters.child}
          from={page.filters.from}
          to={page.filters.to}
          clearHref={clearHref}
        />
      </aside>
      <section aria-labelledby="timeline-heading" className="rounded-lg border border-slate-200 bg-white">
        <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3">
          <div>
            <h2 id="timeline-heading" className="text-base font-semibold text-slate-900">
              Timeline
            </h2>
            <p className="text-xs text-slate-600">
              {formatNumber(page.total)} {filtered ? "matching " : ""}entr{page.total === 1 ? "y" : "ies"}
              {hasChildren ? " · includes touchpoints and tasks of sub-accounts you can see" : ""}
            </p>
          </div>
          <div className="flex flex-wrap items-baseline gap-3">
            {page.total ? <DownloadCsvLink href={timelineExportHref(account.id, page.filters)} /> : null}
            <Pager label="Timeline pages" page={page.page} pageCount={page.pageCount} href={pageHref} />
          </div>
        </div>
        {page.entries.length === 0 ? (
          <div className="px-4 py-6">
            <EmptyState>
              {filtered ? (
                <>
                  No entries match these filters.{" "}
                  <Link prefetch={false} href={clearHref} className="text-brand-700 underline underline-offset-2">
                    Clear the filters
                  </Link>
                </>
              ) : (
                "Nothing has happened on this account yet."
              )}
            </EmptyState>
          </div>
        ) : (
          <div className="px-4">
            {byDay(page.entries).map((group) => (
              <div key={group.day}>
                <h3 className="sticky top-0 -mx-4 border-b border-slate-100 bg-slate-50 px-4 py-1 text-xs font-semibold text-slate-600">
                  {formatDate(group.day)}
                </h3>
                <ol className="divide-y divide-slate-100">
                  {group.entries.map((entry) => (
                    <TimelineItem key={entry.id} entry={entry} now={now} />
                  ))}
                </ol>
              </div>
            ))}
          </div>
        )}
        <div className="flex items-center justify-between border-t border-slate-100 px-4 py-3 text-xs text-slate-600">
          <span>The timeline keeps the latest 2,000 entries.</span>
          <Pager label="Timeline pages, bottom" page={page.page} pageCount={page.pageCount} href={pageHref} />
        </div>
      </section>
    </div>
  );
}

function Pager({ label, page, pageCount, href }: { label: string; page: number; pageCount: number; href: (n: number) => string }) {
  const link = "rounded-md border border-slate-300 px-2 py-1 text-sm text-brand-700 hover:bg-brand-50";
  const disabled = "rounded-md border border-slate-200 px-2 py-1 text-sm text-slate-500";
  return (
    <nav aria-label={label} className="flex items-center gap-2">
      {page > 1 ? (
        <Link prefetch={false} href={href(page - 1)} className={link} rel="prev">
          ← Newer
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          ← Newer
        </span>
      )}
      <span className="text-sm text-slate-700" data-testid="timeline-page">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link prefetch={false} href={href(page + 1)} className={link} rel="next">
          Older →
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          Older →
        </span>
      )}
    </nav>
  );
}
