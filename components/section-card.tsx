import type { ReactNode } from "react";

const HEAD = {
  // A widget's head: small title (the profile shows ~25 of them at once).
  compact: "widget-head",
  // A page or tab section's head: the title at body size.
  regular: "flex flex-wrap items-center justify-between gap-2 border-b border-slate-100 px-4 py-3",
} as const;
const TITLE = { compact: "widget-title", regular: "font-semibold" } as const;

/**
 * The one titled card: a section named by its heading, an optional action or summary at the right
 * of the head, and a padded body (or `flush` for tables and lists that pad their own rows).
 * Widgets use it through WidgetCard; tabs and pages use it directly.
 */
export function SectionCard({
  id,
  title,
  action,
  size = "compact",
  flush = false,
  testId,
  children,
}: {
  /** The heading's id (the section is labelled by it). */
  id: string;
  title: ReactNode;
  action?: ReactNode;
  size?: keyof typeof HEAD;
  flush?: boolean;
  /** `data-testid` of the section, for tests that pick one card among several alike. */
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="widget" data-testid={testId}>
      <div className={HEAD[size]}>
        <h2 id={id} className={TITLE[size]}>
          {title}
        </h2>
        {action}
      </div>
      {flush ? children : <div className="widget-body">{children}</div>}
    </section>
  );
}
