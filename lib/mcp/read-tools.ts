import "server-only";
import type { AccountSummary } from "@/lib/dal/accounts";
import { findAccount, isEmptyValue, searchAccounts } from "@/lib/dal/accounts";
import { openTasks } from "@/lib/dal/activity";
import { headerAttributes } from "@/lib/dal/attributes";
import { healthOf } from "@/lib/dal/health";
import { rollupOf } from "@/lib/dal/rollups";
import { latestTimeline, timelinePage, type TimelineEntry } from "@/lib/dal/timeline";
import type { Ctx } from "@/lib/dal/viewer";
import { accountLink } from "./links";

/*
 * What the read tools answer, built from the data layer's own reads (the same ones the profile
 * uses), so scope and visibility are the app's: a token limited to a subtree finds nothing outside
 * it, and an account outside it is "not found", exactly like a missing one.
 */

export type ReadOptions = { ctx: Ctx; base: string; privileged: boolean };

export async function accountSearch({ ctx, base }: ReadOptions, input: { query?: string; type?: string; health?: "good" | "average" | "poor"; limit?: number }) {
  const { accounts, total } = await searchAccounts(ctx, { q: input.query, typeKey: input.type, health: input.health, limit: input.limit ?? 20 });
  return {
    total,
    accounts: accounts.map((a) => ({
      id: a.id,
      name: a.name,
      type: a.typeKey,
      parentId: a.parentId,
      depth: a.depth,
      health: a.healthBand,
      stage: a.stageName,
      csm: a.csmName,
      url: accountLink(base, a.id),
    })),
  };
}

function entryView(base: string, e: TimelineEntry) {
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    occurredAt: e.occurredAt.toISOString(),
    author: e.actorName,
    account: { id: e.accountId, name: e.accountName },
    fromSubAccount: e.fromDescendant,
    url: accountLink(base, e.accountId),
  };
}

const money = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value));

/** The profile in one answer: key info, health with dimensions, rollups, open tasks, the latest timeline. */
export async function accountSummary(options: ReadOptions, account: AccountSummary) {
  const { ctx, base, privileged } = options;
  const [attributes, health, rollup, tasks, timeline] = await Promise.all([
    headerAttributes(ctx, account),
    healthOf(ctx, account),
    rollupOf(ctx, account),
    openTasks(ctx, account, 10),
    latestTimeline(ctx, account, 10),
  ]);
  const shown = attributes.filter((a) => !isEmptyValue(a.value) && (privileged || !a.privileged));
  return {
    account: { id: account.id, name: account.name, type: account.typeKey, typeName: account.typeName, parentId: account.parentId, depth: account.depth, url: accountLink(base, account.id) },
    // Key info first, then every other attribute with a value; privileged ones only for a token with privileged:read.
    keyInfo: shown.filter((a) => a.keyInfo).map((a) => ({ key: a.key, label: a.label, value: a.value, rolledUp: a.rolledUp })),
    attributes: shown.filter((a) => !a.keyInfo).map((a) => ({ key: a.key, label: a.label, value: a.value, privileged: a.privileged })),
    health: {
      latest: health.latest,
      dimensions: health.dimensions.map((d) => ({ key: d.key, label: d.label, weight: d.weight, score: d.score, band: d.band })),
      mixBelow: health.mix,
    },
    rollups: rollup
      ? {
          accountsBelow: rollup.descendants,
          mrr: money(rollup.mrr),
          ownMrr: money(rollup.ownMrr),
          openTickets: rollup.openTickets,
          urgentTickets: rollup.urgentTickets,
          nps: rollup.npsCount ? Math.round(((rollup.npsPromoters - rollup.npsDetractors) / rollup.npsCount) * 100) : null,
          csat: rollup.csatCount ? Math.round((rollup.csatSum / rollup.csatCount) * 10) / 10 : null,
        }
      : null,
    openTasks: {
      total: tasks.total,
      tasks: tasks.tasks.map((t) => ({ id: t.id, title: t.title, dueDate: t.dueDate, priority: t.priority, status: t.status, assignee: t.assigneeName, url: accountLink(base, account.id) })),
    },
    latestTimeline: timeline.map((e) => entryView(base, e)),
  };
}

export async function accountTimeline(options: ReadOptions, account: AccountSummary, filters: { kinds?: string[]; from?: string; to?: string; author?: string; subAccount?: string; page?: number }) {
  const page = await timelinePage(options.ctx, account, { kinds: filters.kinds, from: filters.from, to: filters.to, author: filters.author, child: filters.subAccount, page: filters.page });
  return {
    account: { id: account.id, name: account.name, url: accountLink(options.base, account.id) },
    page: page.page,
    pageCount: page.pageCount,
    total: page.total,
    filters: page.filters,
    entries: page.entries.map((e) => entryView(options.base, e)),
  };
}

export { findAccount };
