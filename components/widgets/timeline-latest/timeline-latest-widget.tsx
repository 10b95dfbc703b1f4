import Link from "next/link";
import { latestTimeline } from "@/lib/dal/timeline";
import { profileHref } from "@/lib/profile/query";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { TimelineItem } from "../parts/timeline-entry";

/** Sidebar: the newest entries of the account's timeline, with a link to the whole stream. */
export async function TimelineLatestWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"timeline_latest">>) {
  const entries = await latestTimeline(ctx, account, settings.limit);
  const now = new Date();
  const href = profileHref(account.id, {}, { tab: "timeline" });
  return (
    <WidgetCard
      title={settings.title ?? "Timeline"}
      id="timeline-latest"
      action={
        <Link prefetch={false} href={href} className="text-xs text-brand-700 underline-offset-2 hover:underline">
          View timeline
        </Link>
      }
    >
      {entries.length === 0 ? (
        <EmptyState>Nothing has happened on this account yet.</EmptyState>
      ) : (
        <ol className="divide-y divide-slate-100" aria-label="Latest timeline entries">
          {entries.map((entry) => (
            <TimelineItem key={entry.id} entry={entry} now={now} compact />
          ))}
        </ol>
      )}
    </WidgetCard>
  );
}
