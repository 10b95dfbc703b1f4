import { useState } from "react";
import {
  closestCorners,
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { arrayMove, sortableKeyboardCoordinates } from "@dnd-kit/sortable";
import type { LayoutTab, LayoutWidget, LayoutZone } from "@/db/schema";
import { newPlacementId, zoneLabel, ZONES, type PaletteWidget } from "./editor-shared";
import { PaletteItem } from "./palette-item";
import { Zone } from "./zone";

/** A widget tab's three zones: drag from the palette, reorder by mouse or keyboard. */
export function ZonesBoard({
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
