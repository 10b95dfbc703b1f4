"use client";

import { useEffect, useMemo, useRef, useState, useTransition } from "react";
import type { LayoutDefinition, LayoutTab, LayoutWidget, LayoutZone } from "@/db/schema";
import type { ActionResult } from "@/lib/actions/define";
import type { LayoutOptions } from "@/lib/layouts/catalog";
import type { LayoutProblem } from "@/lib/layouts/validate";
import { ActionMessage } from "../layout-list-actions";
import { discardDraftAction, publishLayoutAction, saveDraftAction } from "../actions";
import { button, ZONES, type PaletteWidget } from "./editor-shared";
import { FieldGroupsPanel } from "./field-groups-panel";
import { SettingsPanel } from "./settings-panel";
import { TabsPanel } from "./tabs-panel";
import { ZonesBoard } from "./zones-board";

type Props = {
  layoutId: string;
  status: "draft" | "published";
  hasDraft: boolean;
  initialDefinition: LayoutDefinition;
  initialProblems: LayoutProblem[];
  palette: PaletteWidget[];
  options: LayoutOptions;
};

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
