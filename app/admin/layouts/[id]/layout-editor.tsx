"use client";

import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { LayoutDefinition, LayoutFieldGroup, LayoutTab, LayoutWidget, LayoutZone } from "@/db/schema";
import type { ActionResult } from "@/lib/actions/define";
import type { LayoutOptions } from "@/lib/layouts/catalog";
import type { LayoutProblem } from "@/lib/layouts/validate";
import { ActionMessage } from "../layout-list-actions";
import { discardDraftAction, publishLayoutAction, saveDraftAction } from "../actions";

/** A JSON Schema node as zod's toJSONSchema writes a widget's settings (plus our `input` hint). */
type JsonSchema = {
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

type Props = {
  layoutId: string;
  status: "draft" | "published";
  hasDraft: boolean;
  initialDefinition: LayoutDefinition;
  initialProblems: LayoutProblem[];
  palette: PaletteWidget[];
  options: LayoutOptions;
};

const ZONES: { key: LayoutZone; label: string; hint: string }[] = [
  { key: "header", label: "Header", hint: "key info across the top" },
  { key: "medium", label: "Main", hint: "medium widgets" },
  { key: "sidebar", label: "Sidebar", hint: "narrow widgets on the right" },
];
const zoneLabel = (z: LayoutZone) => ZONES.find((x) => x.key === z)!.label;

const TAB_KINDS: { key: LayoutTab["kind"]; label: string }[] = [
  { key: "overview", label: "Widgets (three zones)" },
  { key: "timeline", label: "Timeline (built in)" },
  { key: "plan", label: "Plan (built in)" },
  { key: "usage", label: "Usage (built in)" },
  { key: "assets", label: "Assets (built in)" },
  { key: "revenue", label: "Revenue (built in)" },
  { key: "embed", label: "Link (embedded page)" },
];

const button = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50";
const input = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Settings keys in the admin's words; anything else falls back to its JSON Schema title or key. */
const SETTING_LABELS: Record<string, string> = {
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
const newPlacementId = (widget: string) => `${widget}-${Date.now().toString(36)}${(counter++).toString(36)}`;

function slug(label: string, taken: Set<string>): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").replace(/^[^a-z]+/, "").slice(0, 30) || "tab";
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  return key;
}

/**
 * The layout editor: tabs, the widgets of each widget tab in three zones (drag from the palette,
 * reorder by mouse or keyboard), per-widget settings generated from each widget's settings schema,
 * and field groups. Every change saves the draft at once; the live preview below re-renders from it.
 */
export function LayoutEditor({ layoutId, status, hasDraft, initialDefinition, initialProblems, palette, options }: Props) {
  const [definition, setDefinition] = useState<LayoutDefinition>(initialDefinition);
  const [tabIndex, setTabIndex] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [problems, setProblems] = useState<LayoutProblem[]>(initialProblems);
  const [saveState, setSaveState] = useState<ActionResult<unknown> | null>(null);
  const [publishState, setPublishState] = useState<ActionResult<unknown> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, startSaving] = useTransition();
  const [publishing, startPublishing] = useTransition();
  const latest = useRef(definition);

  const widgets = useMemo(() => new Map(palette.map((w) => [w.key, w])), [palette]);
  const tab = definition.tabs[Math.min(tabIndex, definition.tabs.length - 1)] as LayoutTab | undefined;

  /** Applies a change; `save: false` for keystrokes (saved on blur). */
  const change = (next: LayoutDefinition, save = true) => {
    latest.current = next;
    setDefinition(next);
    setPublishState(null);
    if (save) persist(next);
  };
  const persist = (next: LayoutDefinition = latest.current) => {
    startSaving(async () => {
      const form = new FormData();
      form.set("id", layoutId);
      form.set("definition", JSON.stringify(next));
      const result = await saveDraftAction(null, form);
      setSaveState(result);
      if (result.ok) setProblems((result.data as { problems: LayoutProblem[] }).problems);
    });
  };
  const setTab = (i: number, patch: Partial<LayoutTab>, save = true) =>
    change({ ...definition, tabs: definition.tabs.map((t, j) => (j === i ? { ...t, ...patch } : t)) }, save);
  const setZones = (zones: Partial<Record<LayoutZone, LayoutWidget[]>>) => {
    if (!tab) return;
    setTab(tabIndex, { zones: { ...tab.zones, ...zones } });
  };

  // A publish bumps the layout's version, which remounts this editor (the page keys it by version so
  // it starts again from the published layout): the outcome is kept for the next mount to show.
  const flashKey = `layout-publish-${layoutId}`;
  useEffect(() => {
    const kept = window.sessionStorage.getItem(flashKey);
    if (!kept) return;
    window.sessionStorage.removeItem(flashKey);
    const { at, message } = JSON.parse(kept) as { at: number; message?: string };
    // Only right after the publish, not on a later visit to the editor.
    if (Date.now() - at < 15_000) setPublishState({ ok: true, data: null, message });
  }, [flashKey]);

  const publish = () =>
    startPublishing(async () => {
      const form = new FormData();
      form.set("id", layoutId);
      const result = await publishLayoutAction(null, form);
      if (result.ok) window.sessionStorage.setItem(flashKey, JSON.stringify({ at: Date.now(), message: result.message }));
      setPublishState(result);
    });
  const discard = () =>
    startPublishing(async () => {
      if (!window.confirm("Drop the unpublished changes and go back to the published layout?")) return;
      const form = new FormData();
      form.set("id", layoutId);
      const result = await discardDraftAction(null, form);
      setPublishState(result);
      // The editor keeps its own copy of the layout: start again from the published one.
      if (result.ok) window.location.reload();
    });

  const selectedPlacement = tab && selected ? ZONES.flatMap((z) => tab.zones?.[z.key] ?? []).find((p) => p.id === selected) : undefined;

  return (
    <section aria-labelledby="editor-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="editor-heading" className="text-lg font-semibold text-slate-900">
            Layout
          </h2>
          <p className="text-sm text-slate-700" role="status" aria-live="polite" data-testid="draft-status">
            {saving ? "Saving the draft…" : saveState ? (saveState.ok ? "Draft saved." : saveState.error) : hasDraft || status === "draft" ? "Editing the draft." : "No unpublished changes."}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {status === "published" && hasDraft ? (
            <button type="button" className={button} onClick={discard} disabled={publishing || saving}>
              Discard draft
            </button>
          ) : null}
          <button
            type="button"
            onClick={publish}
            disabled={publishing || saving}
            className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-50"
          >
            Publish
          </button>
        </div>
      </div>
      <div aria-live="polite">
        <ActionMessage state={publishState} />
      </div>
      {problems.length ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="layout-problems">
          <p className="font-medium">Fix before publishing:</p>
          <ul className="list-disc pl-5">
            {problems.map((p, i) => (
              <li key={`${p.path}-${i}`}>{p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <TabsPanel definition={definition} tabIndex={tabIndex} onSelect={(i) => (setTabIndex(i), setSelected(null))} change={change} setTab={setTab} persist={() => persist()} />

      {tab?.kind === "overview" ? (
        <ZonesBoard
          key={tab.key}
          tab={tab}
          widgets={widgets}
          palette={palette}
          selected={selected}
          onSelect={setSelected}
          setZones={setZones}
          notice={notice}
          setNotice={setNotice}
        />
      ) : tab ? (
        <p className="text-sm text-slate-600">This tab shows {tab.kind === "embed" ? "the linked page" : `the built-in ${tab.kind} page`}; it has no widget zones.</p>
      ) : null}

      {tab?.kind === "overview" && selectedPlacement ? (
        <SettingsPanel
          key={selectedPlacement.id}
          placement={selectedPlacement}
          widget={widgets.get(selectedPlacement.widget)}
          options={options}
          onSave={(settings) =>
            setZones(
              Object.fromEntries(
                ZONES.map((z) => [z.key, (tab.zones?.[z.key] ?? []).map((p) => (p.id === selectedPlacement.id ? { ...p, settings } : p))]),
              ),
            )
          }
          onClose={() => setSelected(null)}
        />
      ) : null}

      <FieldGroupsPanel groups={definition.fieldGroups} options={options} onChange={(fieldGroups, save) => change({ ...definition, fieldGroups }, save)} persist={() => persist()} />
    </section>
  );
}

// ------------------------------------------------------------------------------------------------
// Tabs
// ------------------------------------------------------------------------------------------------

function TabsPanel({
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

// ------------------------------------------------------------------------------------------------
// Zones: drag from the palette, reorder by mouse or keyboard
// ------------------------------------------------------------------------------------------------

function ZonesBoard({
  tab,
  widgets,
  palette,
  selected,
  onSelect,
  setZones,
  notice,
  setNotice,
}: {
  tab: LayoutTab;
  widgets: Map<string, PaletteWidget>;
  palette: PaletteWidget[];
  selected: string | null;
  onSelect: (id: string | null) => void;
  setZones: (zones: Partial<Record<LayoutZone, LayoutWidget[]>>) => void;
  notice: string | null;
  setNotice: (notice: string | null) => void;
}) {
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const [active, setActive] = useState<UniqueIdentifier | null>(null);
  const zones = (z: LayoutZone) => tab.zones?.[z] ?? [];
  const zoneOf = (id: UniqueIdentifier): LayoutZone | null => {
    const s = String(id);
    if (s.startsWith("zone:")) return s.slice(5) as LayoutZone;
    return ZONES.find((z) => zones(z.key).some((p) => p.id === s))?.key ?? null;
  };
  const titleOf = (widget: string) => widgets.get(widget)?.title ?? `${widget} (unknown widget)`;

  const insert = (widgetKey: string, zone: LayoutZone, index?: number) => {
    const widget = widgets.get(widgetKey);
    if (!widget) return;
    if (!widget.zones.includes(zone)) {
      setNotice(`“${widget.title}” cannot go in the ${zoneLabel(zone)} zone (only ${widget.zones.map(zoneLabel).join(" or ")}).`);
      return;
    }
    const list = [...zones(zone)];
    const placement: LayoutWidget = { id: newPlacementId(widgetKey), widget: widgetKey };
    list.splice(index ?? list.length, 0, placement);
    setNotice(`Added “${widget.title}” to the ${zoneLabel(zone)} zone.`);
    setZones({ [zone]: list });
  };

  const onDragStart = (event: DragStartEvent) => {
    setActive(event.active.id);
    setNotice(null);
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setActive(null);
    if (!over) return;
    const target = zoneOf(over.id);
    if (!target) return;
    const targetList = zones(target);
    const overIndex = String(over.id).startsWith("zone:") ? targetList.length : targetList.findIndex((p) => p.id === over.id);
    const activeId = String(active.id);
    if (activeId.startsWith("palette:")) return insert(activeId.slice(8), target, overIndex);
    const from = zoneOf(active.id);
    if (!from) return;
    const fromList = zones(from);
    const fromIndex = fromList.findIndex((p) => p.id === activeId);
    if (from === target) {
      if (fromIndex !== overIndex && overIndex < targetList.length) setZones({ [from]: arrayMove(fromList, fromIndex, overIndex) });
      return;
    }
    const moving = fromList[fromIndex];
    const widget = widgets.get(moving.widget);
    if (widget && !widget.zones.includes(target)) {
      setNotice(`“${widget.title}” cannot go in the ${zoneLabel(target)} zone.`);
      return;
    }
    const nextTarget = [...targetList];
    nextTarget.splice(overIndex, 0, moving);
    setZones({ [from]: fromList.filter((p) => p.id !== activeId), [target]: nextTarget });
  };

  const activeTitle = active
    ? String(active).startsWith("palette:")
      ? titleOf(String(active).slice(8))
      : titleOf(ZONES.flatMap((z) => zones(z.key)).find((p) => p.id === active)?.widget ?? "")
    : null;

  return (
    <DndContext
      id="layout-editor"
      sensors={sensors}
      collisionDetection={closestCorners}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActive(null)}
      accessibility={{
        screenReaderInstructions: {
          draggable: "To pick up a widget, press space or enter. Use the arrow keys to move it, space or enter to drop it, escape to cancel.",
        },
      }}
    >
      <div className="grid gap-4 lg:grid-cols-[14rem_1fr]">
        <div className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-800">Widgets</h3>
          <p className="text-xs text-slate-600">Drag into a zone, or use “Add to”.</p>
          <ul className="max-h-[32rem] space-y-1.5 overflow-y-auto pr-1" aria-label="Widget palette">
            {palette.map((w) => (
              <PaletteItem key={w.key} widget={w} onAdd={(zone) => insert(w.key, zone)} />
            ))}
          </ul>
        </div>
        <div className="space-y-3">
          <p className="min-h-5 text-xs text-slate-700" role="status" aria-live="polite" data-testid="zone-notice">
            {notice}
          </p>
          <Zone zone="header" items={zones("header")} titleOf={titleOf} selected={selected} onSelect={onSelect} onRemove={(id) => setZones({ header: zones("header").filter((p) => p.id !== id) })} />
          <div className="grid gap-3 md:grid-cols-3">
            <div className="md:col-span-2">
              <Zone zone="medium" items={zones("medium")} titleOf={titleOf} selected={selected} onSelect={onSelect} onRemove={(id) => setZones({ medium: zones("medium").filter((p) => p.id !== id) })} />
            </div>
            <Zone zone="sidebar" items={zones("sidebar")} titleOf={titleOf} selected={selected} onSelect={onSelect} onRemove={(id) => setZones({ sidebar: zones("sidebar").filter((p) => p.id !== id) })} />
          </div>
        </div>
      </div>
      <DragOverlay>{activeTitle ? <div className="rounded-md border border-brand-500 bg-white px-3 py-2 text-sm font-medium shadow-lg">{activeTitle}</div> : null}</DragOverlay>
    </DndContext>
  );
}

function PaletteItem({ widget, onAdd }: { widget: PaletteWidget; onAdd: (zone: LayoutZone) => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: `palette:${widget.key}` });
  return (
    <li className={`rounded-md border border-slate-200 bg-white px-2 py-1.5 ${isDragging ? "opacity-50" : ""}`} data-testid={`palette-${widget.key}`}>
      <div className="flex items-center justify-between gap-1">
        <span ref={setNodeRef} {...listeners} {...attributes} aria-label={`Drag ${widget.title}`} className="cursor-grab text-sm font-medium text-slate-900 select-none">
          ⠿ {widget.title}
        </span>
        <label>
          <span className="sr-only">Add {widget.title} to</span>
          <select
            className="rounded border border-slate-300 px-1 py-0.5 text-xs"
            value=""
            onChange={(e) => {
              if (e.target.value) onAdd(e.target.value as LayoutZone);
            }}
          >
            <option value="">Add to…</option>
            {widget.zones.map((z) => (
              <option key={z} value={z}>
                {zoneLabel(z)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="mt-0.5 line-clamp-2 text-xs text-slate-600">{widget.description}</p>
    </li>
  );
}

function Zone({
  zone,
  items,
  titleOf,
  selected,
  onSelect,
  onRemove,
}: {
  zone: LayoutZone;
  items: LayoutWidget[];
  titleOf: (widget: string) => string;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onRemove: (id: string) => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: `zone:${zone}` });
  const meta = ZONES.find((z) => z.key === zone)!;
  return (
    <section
      ref={setNodeRef}
      aria-label={`${meta.label} zone`}
      data-testid={`zone-${zone}`}
      className={`min-h-20 rounded-md border-2 border-dashed p-2 ${isOver ? "border-brand-500 bg-brand-50" : "border-slate-300 bg-slate-50"}`}
    >
      <h4 className="mb-1 text-xs font-semibold tracking-wide text-slate-700 uppercase">
        {meta.label} <span className="font-normal normal-case">· {meta.hint}</span>
      </h4>
      <SortableContext items={items.map((p) => p.id)} strategy={verticalListSortingStrategy}>
        <ol className="space-y-1.5">
          {items.map((p) => (
            <PlacedWidget key={p.id} placement={p} title={titleOf(p.widget)} selected={selected === p.id} onSelect={onSelect} onRemove={onRemove} />
          ))}
        </ol>
      </SortableContext>
      {items.length === 0 ? <p className="py-3 text-center text-xs text-slate-500">Drop widgets here</p> : null}
    </section>
  );
}

function PlacedWidget({
  placement,
  title,
  selected,
  onSelect,
  onRemove,
}: {
  placement: LayoutWidget;
  title: string;
  selected: boolean;
  onSelect: (id: string | null) => void;
  onRemove: (id: string) => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: placement.id });
  const custom = typeof placement.settings?.title === "string" && placement.settings.title ? ` “${placement.settings.title}”` : "";
  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition }}
      className={`flex items-center gap-2 rounded-md border bg-white px-2 py-1.5 text-sm ${selected ? "border-brand-500" : "border-slate-200"} ${isDragging ? "opacity-50" : ""}`}
      data-testid="placed-widget"
      data-widget={placement.widget}
    >
      <button
        type="button"
        ref={setActivatorNodeRef}
        {...listeners}
        {...attributes}
        aria-label={`Move ${title}`}
        className="cursor-grab rounded px-1 text-slate-500 hover:bg-slate-100 focus:ring-2 focus:ring-brand-500 focus:outline-none"
      >
        ⠿
      </button>
      <span className="flex-1 font-medium text-slate-900">
        {title}
        <span className="font-normal text-slate-600">{custom}</span>
      </span>
      <button type="button" className={button} onClick={() => onSelect(selected ? null : placement.id)} aria-expanded={selected} aria-label={`Settings of ${title}`}>
        Settings
      </button>
      <button type="button" className={button} onClick={() => onRemove(placement.id)} aria-label={`Remove ${title}`}>
        ✕
      </button>
    </li>
  );
}

// ------------------------------------------------------------------------------------------------
// Settings, generated from the widget's settings schema
// ------------------------------------------------------------------------------------------------

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);

function SettingsPanel({
  placement,
  widget,
  options,
  onSave,
  onClose,
}: {
  placement: LayoutWidget;
  widget: PaletteWidget | undefined;
  options: LayoutOptions;
  onSave: (settings: Record<string, unknown>) => void;
  onClose: () => void;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(placement.settings ?? {});
  if (!widget) {
    return <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">The widget “{placement.widget}” no longer exists: remove it.</p>;
  }
  const properties = Object.entries(widget.settings.properties ?? {});
  const set = (key: string, value: unknown) => setValues((v) => ({ ...v, [key]: value }));
  const clean = () => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "" && v !== undefined && !(typeof v === "number" && Number.isNaN(v))));
  return (
    <form
      className="space-y-3 rounded-md border border-brand-500 p-3"
      aria-label={`Settings of ${widget.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        onSave(clean());
      }}
    >
      <h3 className="text-sm font-semibold text-slate-800">Settings of {widget.title}</h3>
      {properties.length === 0 ? <p className="text-sm text-slate-600">This widget has no settings.</p> : null}
      {properties.map(([key, schema]) => {
        const label = SETTING_LABELS[key] ?? schema.title ?? key;
        const id = `setting-${placement.id}-${key}`;
        const type = typeOf(schema);
        const hint = schema.description ? <span className="block text-xs text-slate-600">{schema.description}</span> : null;
        if (schema.input === "attributes" || (type === "array" && key === "attributes")) {
          const chosen = Array.isArray(values[key]) ? (values[key] as string[]) : [];
          return (
            <fieldset key={key}>
              <legend className="text-xs font-medium text-slate-700">{schema.title ?? label}</legend>
              {hint}
              <ul className="mt-1 grid gap-1 sm:grid-cols-3">
                {options.attributes.map((a) => (
                  <li key={a.key} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      id={`${id}-${a.key}`}
                      checked={chosen.includes(a.key)}
                      onChange={(e) => set(key, e.target.checked ? [...chosen, a.key] : chosen.filter((k) => k !== a.key))}
                    />
                    <label htmlFor={`${id}-${a.key}`}>{a.label}</label>
                  </li>
                ))}
              </ul>
              {chosen.filter((k) => !options.attributes.some((a) => a.key === k)).map((k) => (
                <p key={k} className="text-xs text-amber-900">
                  “{k}” no longer exists.{" "}
                  <button type="button" className="underline" onClick={() => set(key, chosen.filter((x) => x !== k))}>
                    Remove it
                  </button>
                </p>
              ))}
            </fieldset>
          );
        }
        if (key === "collection") {
          const current = String(values[key] ?? schema.default ?? "");
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              <select id={id} className={input} value={current} onChange={(e) => set(key, e.target.value)}>
                {options.collections.some((c) => c.key === current) ? null : <option value={current}>{current} (missing)</option>}
                {options.collections.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (schema.enum) {
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              <select id={id} className={input} value={String(values[key] ?? schema.default ?? "")} onChange={(e) => set(key, e.target.value)}>
                {schema.enum.map((v) => (
                  <option key={String(v)} value={String(v)}>
                    {String(v)}
                  </option>
                ))}
              </select>
            </label>
          );
        }
        if (type === "boolean") {
          return (
            <label key={key} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={Boolean(values[key] ?? schema.default)} onChange={(e) => set(key, e.target.checked)} />
              {label}
            </label>
          );
        }
        if (type === "number" || type === "integer") {
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              {schema.minimum !== undefined && schema.maximum !== undefined ? ` (${schema.minimum}–${schema.maximum})` : ""}
              <input
                id={id}
                type="number"
                className={input}
                min={schema.minimum}
                max={schema.maximum}
                step={type === "integer" ? 1 : "any"}
                placeholder={schema.default !== undefined ? String(schema.default) : undefined}
                value={values[key] === undefined ? "" : String(values[key])}
                onChange={(e) => set(key, e.target.value === "" ? undefined : Number(e.target.value))}
              />
            </label>
          );
        }
        if (type === "string") {
          return (
            <label key={key} htmlFor={id} className="block text-xs font-medium text-slate-700">
              {label}
              <input
                id={id}
                className={input}
                maxLength={schema.maxLength}
                placeholder={key === "title" ? widget.title : schema.default !== undefined ? String(schema.default) : undefined}
                value={String(values[key] ?? "")}
                onChange={(e) => set(key, e.target.value)}
              />
              {hint}
            </label>
          );
        }
        return (
          <p key={key} className="text-xs text-slate-600">
            {label}: not editable here.
          </p>
        );
      })}
      <div className="flex gap-2">
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600">
          Apply settings
        </button>
        <button type="button" className={button} onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

// ------------------------------------------------------------------------------------------------
// Field groups of the account type's attributes
// ------------------------------------------------------------------------------------------------

function FieldGroupsPanel({
  groups,
  options,
  onChange,
  persist,
}: {
  groups: LayoutFieldGroup[] | undefined;
  options: LayoutOptions;
  onChange: (groups: LayoutFieldGroup[] | undefined, save?: boolean) => void;
  persist: () => void;
}) {
  const fromType = (): LayoutFieldGroup[] => {
    const out: LayoutFieldGroup[] = [];
    for (const a of options.attributes) {
      const name = a.group ?? "Other";
      let group = out.find((g) => g.name === name);
      if (!group) out.push((group = { name, featured: a.groupFeatured, attributes: [] }));
      group.attributes.push(a.key);
    }
    return out;
  };
  const label = new Map(options.attributes.map((a) => [a.key, a.label]));
  const set = (i: number, patch: Partial<LayoutFieldGroup>, save = true) => onChange(groups!.map((g, j) => (j === i ? { ...g, ...patch } : g)), save);
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <h3 className="text-sm font-semibold text-slate-800">Field groups</h3>
      <p className="text-xs text-slate-600">
        How the header&apos;s “All” view groups the {options.accountType.name} attributes: featured groups first, the rest under “Show full list”.
      </p>
      {!groups ? (
        <div className="mt-2 flex items-center gap-2">
          <p className="text-sm text-slate-700">Uses the account type&apos;s own field groups.</p>
          <button type="button" className={button} onClick={() => onChange(fromType())}>
            Customize for this layout
          </button>
        </div>
      ) : (
        <div className="mt-2 space-y-3">
          {groups.map((g, i) => {
            const elsewhere = new Map(groups.flatMap((other, j) => (j === i ? [] : other.attributes.map((k) => [k, other.name] as const))));
            return (
              <fieldset key={i} className="rounded-md border border-slate-200 p-2" data-testid="field-group">
                <legend className="sr-only">Field group {g.name}</legend>
                <div className="flex flex-wrap items-end gap-2">
                  <label className="text-xs text-slate-700">
                    Group name
                    <input className={input} value={g.name} maxLength={60} onChange={(e) => set(i, { name: e.target.value }, false)} onBlur={persist} />
                  </label>
                  <label className="text-xs text-slate-700">
                    Shown
                    <select className={input} value={g.featured ? "featured" : "full"} onChange={(e) => set(i, { featured: e.target.value === "featured" })}>
                      <option value="featured">Featured (always shown)</option>
                      <option value="full">Under “Show full list”</option>
                    </select>
                  </label>
                  <button type="button" className={button} disabled={i === 0} onClick={() => onChange(arrayMove(groups, i, i - 1))} aria-label={`Move group ${g.name} up`}>
                    ↑
                  </button>
                  <button type="button" className={button} disabled={i === groups.length - 1} onClick={() => onChange(arrayMove(groups, i, i + 1))} aria-label={`Move group ${g.name} down`}>
                    ↓
                  </button>
                  <button type="button" className={button} onClick={() => onChange(groups.filter((_, j) => j !== i))} aria-label={`Remove group ${g.name}`}>
                    Remove group
                  </button>
                </div>
                <ul className="mt-2 grid gap-1 sm:grid-cols-3 lg:grid-cols-4">
                  {options.attributes.map((a) => (
                    <li key={a.key} className="flex items-center gap-1.5 text-xs">
                      <input
                        type="checkbox"
                        id={`group-${i}-${a.key}`}
                        checked={g.attributes.includes(a.key)}
                        disabled={elsewhere.has(a.key)}
                        onChange={(e) => set(i, { attributes: e.target.checked ? [...g.attributes, a.key] : g.attributes.filter((k) => k !== a.key) })}
                      />
                      <label htmlFor={`group-${i}-${a.key}`} className={elsewhere.has(a.key) ? "text-slate-500" : "text-slate-800"}>
                        {a.label}
                        {elsewhere.has(a.key) ? ` (in ${elsewhere.get(a.key)})` : ""}
                      </label>
                    </li>
                  ))}
                </ul>
                {g.attributes.filter((k) => !label.has(k)).map((k) => (
                  <p key={k} className="text-xs text-amber-900">
                    “{k}” no longer exists.{" "}
                    <button type="button" className="underline" onClick={() => set(i, { attributes: g.attributes.filter((x) => x !== k) })}>
                      Remove it
                    </button>
                  </p>
                ))}
              </fieldset>
            );
          })}
          <div className="flex gap-2">
            <button type="button" className={button} onClick={() => onChange([...groups, { name: `Group ${groups.length + 1}`, featured: false, attributes: [] }])}>
              + Field group
            </button>
            <button type="button" className={button} onClick={() => onChange(undefined)}>
              Use the account type&apos;s groups
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
