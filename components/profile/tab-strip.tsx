"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * The row of profile tabs: one strip that scrolls sideways when the tabs are wider than the screen
 * (phones), keeping the current tab in view. It overlaps its parent's bottom border by 1px so the
 * current tab's white edge covers the line.
 */
export function TabStrip({ current, children }: { current: string; children: ReactNode }) {
  const strip = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = strip.current;
    const tab = el?.querySelector<HTMLElement>("[aria-current=page]");
    if (!el || !tab || el.scrollWidth <= el.clientWidth) return;
    el.scrollLeft = tab.offsetLeft - (el.clientWidth - tab.offsetWidth) / 2;
  }, [current]);
  return (
    <div ref={strip} className="relative -mb-px flex gap-1 overflow-x-auto [scrollbar-width:thin]">
      {children}
    </div>
  );
}
