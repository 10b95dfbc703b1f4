import { ChartFrame } from "./chart-frame";
import { markup, type Markup } from "./markup";
import { BAND_COLORS } from "./palette";

export type HealthGridWeek = {
  weekStart: string;
  label: string;
  score: number | null;
  band: "poor" | "average" | "good" | null;
  upsell: boolean;
  upsellLabel: string | null;
  /** How the week was scored: "scheme v3", "external", "from children" (null: not recorded). */
  scoredWith?: string | null;
};

/** Share of a week's slot left empty on each side, so boxes stand apart. */
const GAP = 0.08;

/**
 * The weekly health grid: one equal box per week coloured by band (grey when no snapshot), with a
 * `$` above weeks that had an upsell and a month name under the first week of each month. Drawn on
 * the server as plain SVG in percentages (it stretches with its card, prints without JavaScript and
 * costs the page no script); each box's `<title>` is its tooltip. The SVG is one markup string
 * (./markup.ts): React neither sends its ~160 elements twice nor hydrates them.
 */
export function HealthGridChart({ weeks, summary }: { weeks: HealthGridWeek[]; summary: string }) {
  return (
    <ChartFrame chart="health-grid" summary={summary} height={64}>
      <div className="h-full px-2" dangerouslySetInnerHTML={healthGridSvg(weeks)} />
    </ChartFrame>
  );
}

function healthGridSvg(weeks: HealthGridWeek[]): Markup {
  const slot = 100 / Math.max(1, weeks.length);
  const pct = (n: number) => `${n.toFixed(3)}%`;
  const monthStarts = weeks.flatMap((w, i) =>
    (i === 0 ? Number(w.weekStart.slice(8, 10)) <= 7 : w.weekStart.slice(5, 7) !== weeks[i - 1].weekStart.slice(5, 7)) ? [i] : [],
  );
  const boxes = weeks.map(
    (week, i) =>
      markup`<g data-week="${week.weekStart}" data-band="${week.band ?? "none"}"${week.upsell ? markup` data-upsell="true"` : ""}${week.scoredWith ? markup` data-scored-with="${week.scoredWith}"` : ""}><title>${describe(week)}</title><rect x="${pct((i + GAP) * slot)}" y="12" width="${pct(slot * (1 - 2 * GAP))}" height="34" rx="1.5" fill="${BAND_COLORS[week.band ?? "none"]}"></rect>${
        week.upsell ? markup`<text x="${pct((i + 0.5) * slot)}" y="10" text-anchor="middle" font-size="10" font-weight="700" fill="#14532d">$</text>` : ""
      }</g>`,
  );
  const months = monthStarts.map((i) => markup`<text x="${pct((i + 0.5) * slot)}" y="60" text-anchor="middle" font-size="10" fill="#475569">${monthLabel(weeks[i].weekStart)}</text>`);
  return markup`<svg width="100%" height="100%" class="block overflow-visible" focusable="false">${boxes}${months}</svg>`;
}

function describe(week: HealthGridWeek): string {
  const health = week.band ? `${capitalize(week.band)}, score ${Math.round(week.score ?? 0)}` : "no snapshot";
  return `Week of ${week.label}: ${health}${week.scoredWith ? ` (${week.scoredWith})` : ""}${week.upsell ? `; upsell ${week.upsellLabel ?? ""}` : ""}`;
}

function monthLabel(weekStart: string): string {
  return new Date(`${weekStart}T00:00:00Z`).toLocaleString("en-US", { month: "short", timeZone: "UTC" });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
