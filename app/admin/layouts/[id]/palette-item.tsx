import { useDraggable } from "@dnd-kit/core";
import type { LayoutZone } from "@/db/schema";
import { zoneLabel, type PaletteWidget } from "./editor-shared";

/** One widget of the palette: drag it into a zone, or pick a zone from its menu. */
export function PaletteItem({ widget, onAdd }: { widget: PaletteWidget; onAdd: (zone: LayoutZone) => void }) {
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
