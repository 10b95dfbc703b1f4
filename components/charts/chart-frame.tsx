/**
 * A fixed-height box for a recharts chart with its text alternative. The label sits on a sibling
 * `role="img"` rather than on a wrapper: recharts 3 puts `tabindex="-1"` on its layers and tooltip,
 * and focusable content inside an image role is an axe "nested-interactive" violation. The drawing
 * itself is hidden from assistive technology (nothing in it is tabbable).
 */
export function ChartFrame({ chart, summary, height, children }: { chart: string; summary: string; height: number; children: React.ReactNode }) {
  return (
    <div className="relative w-full" style={{ height }} data-chart={chart}>
      <span role="img" aria-label={summary} className="sr-only" />
      <div aria-hidden="true" className="h-full w-full">
        {children}
      </div>
    </div>
  );
}
