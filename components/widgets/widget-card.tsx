/** The frame every widget sits in: a titled section, optionally with an action at the right. */
export function WidgetCard({
  title,
  action,
  children,
  id,
}: {
  title: string;
  action?: React.ReactNode;
  children: React.ReactNode;
  id?: string;
}) {
  const headingId = `w-${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-2.5">
        <h2 id={headingId} className="text-sm font-semibold text-slate-800">
          {title}
        </h2>
        {action}
      </div>
      <div className="px-4 py-3">{children}</div>
    </section>
  );
}

export function WidgetSkeleton({ title, rows = 3 }: { title: string; rows?: number }) {
  return (
    <section aria-busy="true" aria-label={`${title} (loading)`} className="rounded-lg border border-slate-200 bg-white">
      <div className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-400">{title}</div>
      <div className="animate-pulse space-y-2 px-4 py-3">
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="h-3 rounded bg-slate-100" style={{ width: `${90 - i * 12}%` }} />
        ))}
      </div>
    </section>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-slate-500">{children}</p>;
}
