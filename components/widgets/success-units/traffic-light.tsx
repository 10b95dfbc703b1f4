import type { SuccessUnitColour } from "@/db/schema";

export const COLOUR_CLASS: Record<SuccessUnitColour, string> = {
  red: "bg-red-600",
  amber: "bg-amber-400",
  green: "bg-green-600",
};

export const COLOUR_WORD: Record<SuccessUnitColour, string> = { red: "Red", amber: "Amber", green: "Green" };

/** One coloured dot with its colour in words for screen readers (colour is never the only signal). */
export function TrafficDot({ colour, size = "md" }: { colour: SuccessUnitColour; size?: "sm" | "md" }) {
  return (
    <span className={`inline-block shrink-0 rounded-full ${COLOUR_CLASS[colour]} ${size === "sm" ? "h-2 w-2" : "h-3 w-3"}`} aria-hidden="true" />
  );
}

/** "3 green · 1 amber · 2 red" with dots. */
export function ColourCounts({ counts, label }: { counts: { red: number; amber: number; green: number }; label: string }) {
  const order: SuccessUnitColour[] = ["green", "amber", "red"];
  return (
    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-700" aria-label={label} data-testid="success-unit-counts">
      {order.map((c) => (
        <span key={c} className="inline-flex items-center gap-1">
          <TrafficDot colour={c} size="sm" />
          {counts[c]} {c}
        </span>
      ))}
    </p>
  );
}
