import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { LayoutWidget, LayoutZone } from "@/db/schema";
import { ZONES } from "./editor-shared";
import { PlacedWidget } from "./placed-widget";

/** One zone of a widget tab: a drop target holding its placed widgets in order. */
export function Zone({
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
