import { Suspense } from "react";
import { getWidget } from "@/components/widgets/registry";
import type { WidgetProps } from "@/components/widgets/types";
import { WidgetCard, WidgetSkeleton } from "@/components/widgets/widget-card";
import type { LayoutWidget } from "@/db/schema";
import { may } from "@/lib/auth/permissions";

type SlotProps = Omit<WidgetProps, "settings"> & { placement: LayoutWidget };

/**
 * Renders one widget of a layout behind its own Suspense boundary, so widgets load in parallel and
 * the page streams without waiting for the slowest. A widget that fails shows a short notice
 * instead of taking the page down; a widget the registry no longer has is skipped (those who configure layouts see why).
 *
 * `eager` (the overview's header zone, the top of the first screen) renders without a boundary: the
 * page's first bytes wait for it, so the first paint has the account's key information rather than
 * a skeleton, and the largest paint of a phone's first screen is that first paint (it came after
 * the whole page's parsing and scripts when it streamed in last; Lighthouse mobile LCP).
 */
export function WidgetSlot({ placement, eager = false, ...props }: SlotProps & { eager?: boolean }) {
  const definition = getWidget(placement.widget);
  if (!definition) {
    return may(props.ctx.viewer, "profile.diagnose") ? (
      <p className="rounded-md border border-dashed border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900">
        Layout notice: widget “{placement.widget}” no longer exists and was skipped.
      </p>
    ) : null;
  }
  const title = typeof placement.settings?.title === "string" ? placement.settings.title : definition.title;
  if (eager) return <LoadedWidget placement={placement} {...props} />;
  return (
    <Suspense fallback={<WidgetSkeleton title={title} rows={definition.skeletonRows} />}>
      <LoadedWidget placement={placement} {...props} />
    </Suspense>
  );
}

async function LoadedWidget({ placement, ...props }: SlotProps) {
  const definition = getWidget(placement.widget)!;
  const parsed = definition.settings.safeParse(placement.settings ?? {});
  const settings = parsed.success ? parsed.data : definition.settings.parse({});
  try {
    return await definition.Component({ ...props, settings });
  } catch (error) {
    console.error(`[widget ${definition.key}] account ${props.account.id}:`, error);
    return (
      <WidgetCard title={definition.title}>
        <p role="alert" className="text-sm text-red-700">
          This widget could not be loaded. Reload the page to try again.
        </p>
      </WidgetCard>
    );
  }
}
