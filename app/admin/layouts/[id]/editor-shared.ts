/** What the layout editor's parts share: the palette's shape, zones, tab kinds and class names. */
import type { LayoutTab, LayoutZone } from "@/db/schema";

/** A JSON Schema node as zod's toJSONSchema writes a widget's settings (plus our `input` hint). */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  default?: unknown;
  title?: string;
  description?: string;
  input?: string;
};

export type PaletteWidget = { key: string; title: string; description: string; zones: LayoutZone[]; settings: JsonSchema };

export const ZONES: { key: LayoutZone; label: string; hint: string }[] = [
  { key: "header", label: "Header", hint: "key info across the top" },
  { key: "medium", label: "Main", hint: "medium widgets" },
  { key: "sidebar", label: "Sidebar", hint: "narrow widgets on the right" },
];
export const zoneLabel = (z: LayoutZone) => ZONES.find((x) => x.key === z)!.label;

export const TAB_KINDS: { key: LayoutTab["kind"]; label: string }[] = [
  { key: "overview", label: "Widgets (three zones)" },
  { key: "timeline", label: "Timeline (built in)" },
  { key: "plan", label: "Plan (built in)" },
  { key: "usage", label: "Usage (built in)" },
  { key: "assets", label: "Assets (built in)" },
  { key: "revenue", label: "Revenue (built in)" },
  { key: "embed", label: "Link (embedded page)" },
];

export const button = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50";
export const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Settings keys in the admin's words; anything else falls back to its JSON Schema title or key. */
export const SETTING_LABELS: Record<string, string> = {
  title: "Title",
  periodDays: "Period (days)",
  days: "Period (days)",
  weeks: "Weeks shown",
  limit: "How many rows",
  showObjectives: "Show objectives",
  collection: "Collection",
  attributes: "Attributes",
};

let counter = 0;
export const newPlacementId = (widget: string) => `${widget}-${Date.now().toString(36)}${(counter++).toString(36)}`;

export function slug(label: string, taken: Set<string>): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").replace(/^[^a-z]+/, "").slice(0, 30) || "tab";
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  return key;
}
