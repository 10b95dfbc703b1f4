import type { ReactNode } from "react";

/**
 * A horizontally scrolling wrapper for a table wider than its column. It can take keyboard focus
 * (and shows a ring when it has it), so people without a mouse can scroll it with the arrow keys;
 * a scrollable region nobody can focus is a WCAG failure (axe: scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="max-w-full overflow-x-auto rounded-sm focus-visible:outline-2 focus-visible:outline-brand-600" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
