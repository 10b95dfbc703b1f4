import { tagsOf } from "@/lib/dal/attributes";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

/** The account's free tags. */
export async function TagsWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const tags = await tagsOf(ctx, account);
  return (
    <WidgetCard title={settings.title ?? "Tags"} id="tags">
      {tags.length === 0 ? (
        <EmptyState>No tags.</EmptyState>
      ) : (
        <ul className="flex flex-wrap gap-1.5">
          {tags.map((t) => (
            <li key={t.id} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-800">
              {t.color && /^#[0-9a-f]{3,8}$/i.test(t.color) ? <span aria-hidden="true" className="h-2 w-2 rounded-full" style={{ backgroundColor: t.color }} /> : null}
              {t.name}
            </li>
          ))}
        </ul>
      )}
    </WidgetCard>
  );
}
