import { SectionCard } from "@/components/section-card";

/** The frame every widget sits in: a titled section, optionally with an action at the right. */
export function WidgetCard({ title, action, children, id }: { title: string; action?: React.ReactNode; children: React.ReactNode; id?: string }) {
  return (
    <SectionCard id={`w-${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`} title={title} action={action}>
      {children}
    </SectionCard>
  );
}

/**
 * What a widget shows while its data loads. Kept to three elements (the bars are one gradient), as
 * every widget's fallback travels in the page's payload even when its data arrives in time.
 */
export function WidgetSkeleton({ title, rows = 3 }: { title: string; rows?: number }) {
  return (
    <section aria-busy="true" aria-label={`${title} (loading)`} className="widget">
      <div className="widget-head text-slate-400">{title}</div>
      <div className="widget-skeleton" style={{ "--rows": rows } as React.CSSProperties} />
    </section>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-slate-500">{children}</p>;
}
