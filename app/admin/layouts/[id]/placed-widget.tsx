import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { LayoutWidget } from "@/db/schema";
import { button } from "./editor-shared";

/** A widget placed in a zone: move handle, its settings toggle and remove. */
export function PlacedWidget({
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
