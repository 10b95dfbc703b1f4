"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

export type QuickActionPanel = { key: string; label: string; title: string; content: ReactNode };

/**
 * The (+) bar: one disclosure button per action the viewer may take; the chosen action's form
 * opens in a panel below (Escape or "Close" closes it and returns focus to its button). On a phone
 * the panel is a sheet over the bottom of the screen instead (a tap on the dimmed page closes it).
 * A panel's form mounts when it is first opened (the page neither lays out nor hydrates eight hidden
 * forms it may never use) and then stays mounted while hidden, so what was typed survives closing
 * and reopening.
 */
export function QuickActionsMenu({ panels, links }: { panels: QuickActionPanel[]; links: ReactNode }) {
  const [open, setOpen] = useState<string | null>(null);
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set());
  if (open && !opened.has(open)) setOpened(new Set(opened).add(open));
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const panelRefs = useRef(new Map<string, HTMLDivElement>());
  const lastOpened = useRef<string | null>(null);

  useEffect(() => {
    if (open) {
      lastOpened.current = open;
      const panel = panelRefs.current.get(open);
      const content = panel?.querySelector("[data-panel-content]");
      content?.querySelector<HTMLElement>("input:not([type=hidden]), select, textarea, button, a[href]")?.focus();
    } else if (lastOpened.current) {
      buttons.current.get(lastOpened.current)?.focus();
    }
  }, [open]);

  return (
    <section aria-label="Quick actions" className="rounded-lg border border-slate-200 bg-white" data-testid="quick-actions">
      <div className="flex flex-wrap items-center gap-2 px-4 py-2.5">
        <span className="flex items-center gap-1.5 text-sm font-semibold text-slate-800">
          <span aria-hidden="true" className="flex h-5 w-5 items-center justify-center rounded-full bg-brand-700 text-sm leading-none text-white">
            +
          </span>
          Quick actions
        </span>
        <div role="group" aria-label="Actions" className="flex flex-wrap gap-1.5">
          {panels.map((p) => (
            <button
              key={p.key}
              ref={(el) => {
                if (el) buttons.current.set(p.key, el);
              }}
              type="button"
              aria-expanded={open === p.key}
              aria-controls={`qa-panel-${p.key}`}
              onClick={() => setOpen((current) => (current === p.key ? null : p.key))}
              className={
                open === p.key
                  ? "rounded-md bg-brand-700 px-2.5 py-1 text-sm font-medium text-white"
                  : "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-800 hover:border-brand-500 hover:text-brand-700"
              }
            >
              {p.label}
            </button>
          ))}
          {links}
        </div>
      </div>
      {open ? <div aria-hidden="true" data-testid="quick-actions-backdrop" className="fixed inset-0 z-40 bg-slate-900/40 sm:hidden" onClick={() => setOpen(null)} /> : null}
      {panels.map((p) => (
        <div
          key={p.key}
          id={`qa-panel-${p.key}`}
          ref={(el) => {
            if (el) panelRefs.current.set(p.key, el);
          }}
          role="region"
          aria-labelledby={`qa-title-${p.key}`}
          hidden={open !== p.key}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.stopPropagation();
              setOpen(null);
            }
          }}
          className="border-t border-slate-100 px-4 py-3 max-sm:fixed max-sm:inset-x-0 max-sm:bottom-0 max-sm:z-50 max-sm:max-h-[85dvh] max-sm:overflow-y-auto max-sm:overscroll-contain max-sm:rounded-t-2xl max-sm:border-slate-200 max-sm:bg-white max-sm:pt-0 max-sm:pb-6 max-sm:shadow-2xl"
        >
          <div className="mb-3 flex items-center justify-between gap-2 max-sm:sticky max-sm:top-0 max-sm:z-10 max-sm:-mx-4 max-sm:border-b max-sm:border-slate-100 max-sm:bg-white max-sm:px-4 max-sm:py-3">
            <h2 id={`qa-title-${p.key}`} className="text-base font-semibold text-slate-900">
              {p.title}
            </h2>
            <button type="button" onClick={() => setOpen(null)} className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-100">
              Close<span className="sr-only"> {p.title.toLowerCase()}</span>
            </button>
          </div>
          <div data-panel-content>{open === p.key || opened.has(p.key) ? p.content : null}</div>
        </div>
      ))}
    </section>
  );
}
