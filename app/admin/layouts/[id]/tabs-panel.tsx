import { arrayMove } from "@dnd-kit/sortable";
import type { LayoutDefinition, LayoutTab } from "@/db/schema";
import { button, input, slug, TAB_KINDS } from "./editor-shared";

/** The layout's tabs: add, order, rename, and what each one shows. */
export function TabsPanel({
  definition,
  tabIndex,
  onSelect,
  change,
  setTab,
  persist,
}: {
  definition: LayoutDefinition;
  tabIndex: number;
  onSelect: (i: number) => void;
  change: (next: LayoutDefinition, save?: boolean) => void;
  setTab: (i: number, patch: Partial<LayoutTab>, save?: boolean) => void;
  persist: () => void;
}) {
  const tabs = definition.tabs;
  const current = tabs[tabIndex];
  const add = (kind: LayoutTab["kind"]) => {
    const label = kind === "overview" ? "New tab" : kind === "embed" ? "Link" : TAB_KINDS.find((k) => k.key === kind)!.label.split(" ")[0];
    const key = slug(label, new Set(tabs.map((t) => t.key)));
    const tab: LayoutTab = { key, label, kind, ...(kind === "overview" ? { zones: { header: [], medium: [], sidebar: [] } } : {}), ...(kind === "embed" ? { url: "https://" } : {}) };
    change({ ...definition, tabs: [...tabs, tab] });
    onSelect(tabs.length);
  };
  const move = (i: number, by: number) => {
    change({ ...definition, tabs: arrayMove(tabs, i, i + by) });
    onSelect(i + by);
  };
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <h3 className="text-sm font-semibold text-slate-800">Tabs</h3>
      <ol className="mt-2 flex flex-wrap gap-2" aria-label="Tabs of this layout">
        {tabs.map((t, i) => (
          <li key={`${t.key}-${i}`} className={`flex items-center gap-1 rounded-md border px-2 py-1 ${i === tabIndex ? "border-brand-500 bg-brand-50" : "border-slate-200"}`}>
            <button type="button" onClick={() => onSelect(i)} aria-pressed={i === tabIndex} className="text-sm font-medium text-slate-900">
              {t.label || t.key}
            </button>
            <button type="button" className={button} onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move tab ${t.label} left`}>
              ←
            </button>
            <button type="button" className={button} onClick={() => move(i, 1)} disabled={i === tabs.length - 1} aria-label={`Move tab ${t.label} right`}>
              →
            </button>
            <button
              type="button"
              className={button}
              onClick={() => {
                change({ ...definition, tabs: tabs.filter((_, j) => j !== i) });
                onSelect(Math.max(0, Math.min(tabIndex, tabs.length - 2)));
              }}
              aria-label={`Remove tab ${t.label}`}
            >
              ✕
            </button>
          </li>
        ))}
      </ol>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button type="button" className={button} onClick={() => add("overview")}>
          + Widget tab
        </button>
        <button type="button" className={button} onClick={() => add("embed")}>
          + Link tab
        </button>
        <label className="text-xs text-slate-700">
          <span className="sr-only">Add a built-in tab</span>
          <select
            className="rounded-md border border-slate-300 px-2 py-1 text-xs"
            value=""
            onChange={(e) => {
              if (e.target.value) add(e.target.value as LayoutTab["kind"]);
            }}
          >
            <option value="">+ Built-in tab…</option>
            {TAB_KINDS.filter((k) => k.key !== "overview" && k.key !== "embed").map((k) => (
              <option key={k.key} value={k.key}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {current ? (
        <div className="mt-3 grid gap-3 sm:grid-cols-4">
          <label className="text-xs text-slate-700">
            Tab name
            <input className={input} value={current.label} maxLength={40} onChange={(e) => setTab(tabIndex, { label: e.target.value }, false)} onBlur={persist} />
          </label>
          <label className="text-xs text-slate-700">
            Key (in links: ?tab=…)
            <input className={input} value={current.key} maxLength={40} onChange={(e) => setTab(tabIndex, { key: e.target.value }, false)} onBlur={persist} />
          </label>
          <label className="text-xs text-slate-700">
            Shows
            <select
              className={input}
              value={current.kind}
              onChange={(e) => {
                const kind = e.target.value as LayoutTab["kind"];
                setTab(tabIndex, {
                  kind,
                  zones: kind === "overview" ? (current.zones ?? { header: [], medium: [], sidebar: [] }) : current.zones,
                  url: kind === "embed" ? (current.url ?? "https://") : current.url,
                });
              }}
            >
              {TAB_KINDS.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          {current.kind === "embed" ? (
            <label className="text-xs text-slate-700">
              Link (http or https)
              <input className={input} type="url" value={current.url ?? ""} onChange={(e) => setTab(tabIndex, { url: e.target.value }, false)} onBlur={persist} />
            </label>
          ) : null}
        </div>
      ) : (
        <p className="mt-2 text-sm text-slate-600">No tabs: add one. A layout needs at least one tab to be published.</p>
      )}
    </div>
  );
}
