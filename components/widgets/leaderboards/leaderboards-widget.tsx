import { HealthBadge } from "@/components/health-badge";
import { childLeaderboard, lastDays, topUsers } from "@/lib/dal/usage";
import { formatNumber } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { WidgetCard } from "../widget-card";
import { RankedList } from "../parts/ranked-list";

type Settings = WidgetSettings<"leaderboards">;

export async function LeaderboardsWidget({ ctx, account, settings }: WidgetProps<Settings>) {
  const window = lastDays(settings.days);
  const board = await childLeaderboard(ctx, account, window, settings.limit);

  if (board.children === 0) {
    // A leaf has no sub-accounts to rank: its own end users are the leaderboard.
    const users = await topUsers(ctx, account, window, settings.limit);
    return (
      <WidgetCard title={settings.title || "Leaderboards"} id="leaderboards">
        <RankedList
          title={`Top users, last ${settings.days} days`}
          unit="events"
          empty="No known end users were active in this period."
          rows={users.map((u) => ({ id: u.contactId, name: u.name, href: `/contacts/${u.contactId}`, value: u.events }))}
        />
      </WidgetCard>
    );
  }

  const maxScore = 100;
  return (
    <WidgetCard title={settings.title || "Leaderboards"} id="leaderboards">
      <div className="grid gap-4">
        <RankedList
          title={`Most usage, last ${settings.days} days`}
          unit="events"
          empty="No usage below this account."
          rows={board.byUsage.map((c) => ({ id: c.id, name: c.name, href: `/accounts/${c.id}`, value: c.events }))}
        />
        <RankedList
          title="Best health"
          unit=""
          empty="No health snapshots below this account."
          rows={board.byHealth.map((c) => ({
            id: c.id,
            name: c.name,
            href: `/accounts/${c.id}`,
            value: c.score ?? 0,
            aside: <HealthBadge band={c.band} score={c.score} empty="No data" />,
          }))}
        />
      </div>
      <p className="mt-3 text-xs text-slate-600">
        Ranking {formatNumber(board.children)} {board.children === 1 ? "sub-account" : "sub-accounts"} you can see; usage is rolled up from
        everything below each, health is the latest weekly score (out of {maxScore}).
      </p>
    </WidgetCard>
  );
}
