import "server-only";
import { may } from "@/lib/auth/permissions";
import { ancestorsOf, findAccount } from "./accounts";
import { healthHistory, type HealthBand } from "./health";
import { lifecycleStatus } from "./lifecycle";
import { assignedMembers } from "./people";
import { revenueSummary } from "./revenue";
import type { Ctx, Viewer } from "./viewer";

/** How many weekly health scores a card shows. */
export const CARD_WEEKS = 8;

export type AccountCard = {
  id: string;
  name: string;
  typeName: string;
  /** 1 for an ultimate parent. */
  level: number;
  /** Ancestors from the ultimate parent down; null for one the viewer may not see. */
  path: (string | null)[];
  /** The last CARD_WEEKS weeks, oldest first; a week without a snapshot has a null band. */
  weeks: { weekStart: string; band: HealthBand | null; score: number | null }[];
  /** MRR and ARR of the account, or of the account and everything below it on a parent. */
  mrr: number;
  arr: number;
  rolledUp: boolean;
  /** Stage of the customer journey lifecycle (or of the first lifecycle the account is in). */
  stage: { lifecycle: string; name: string } | null;
  csms: string[];
};

/**
 * The viewer's scope without privilege: it sees the same accounts, but never a privileged attribute
 * (such as a privileged MRR override). Cards leave the app (Slack, link previews), so they show what
 * the least-privileged member with that scope would see, whatever the role or assignments behind it.
 */
export function withoutPrivilege(viewer: Viewer): Viewer {
  return {
    ...viewer,
    // canSeePrivileged() trusts admins and users assigned to the account: neither may apply here.
    role: may(viewer, "privileged.readAll") ? "member" : viewer.role,
    userId: "00000000-0000-0000-0000-000000000000",
  };
}

/**
 * The condensed account shown in a Slack unfurl or an Open Graph image: name, type and level, place in
 * the hierarchy, recent weekly health, MRR/ARR (rolled up on parents), lifecycle stage and CSM.
 * Null when the account is missing, archived or outside the viewer's scope. Privileged attributes are
 * never read: the card is built for `withoutPrivilege(ctx.viewer)`.
 */
export async function accountCard(ctx: Ctx, id: unknown, now: Date = new Date()): Promise<AccountCard | null> {
  const lens: Ctx = { db: ctx.db, viewer: withoutPrivilege(ctx.viewer) };
  const account = await findAccount(lens, id);
  if (!account) return null;
  const [crumbs, weeks, revenue, lifecycles, members] = await Promise.all([
    ancestorsOf(lens, account),
    healthHistory(lens, account, CARD_WEEKS, now),
    revenueSummary(lens, account),
    lifecycleStatus(lens, account, { history: false }),
    assignedMembers(lens, account),
  ]);
  const current = lifecycles.filter((l) => l.stageName);
  const stage = current.find((l) => l.lifecycleKey === "journey") ?? current[0];
  const mrr = revenue.rollup ? revenue.rollup.mrr : revenue.mrr;
  return {
    id: account.id,
    name: account.name,
    typeName: account.typeName,
    level: account.depth + 1,
    path: crumbs.map((c) => c.name),
    weeks: weeks.map((w) => ({ weekStart: w.weekStart, band: w.band, score: w.score })),
    mrr,
    arr: mrr * 12,
    rolledUp: revenue.rollup !== null,
    stage: stage ? { lifecycle: stage.lifecycleName, name: stage.stageName! } : null,
    csms: members.filter((m) => m.roles.includes("CSM")).map((m) => m.name),
  };
}

/** "Product · Northwind Holdings › EMEA › …": the type, then the path above the account. */
export function cardKindLine(card: AccountCard): string {
  const path = card.path.map((name) => name ?? "…").join(" › ");
  return path ? `${card.typeName} · ${path}` : `${card.typeName} · top level`;
}

/** The latest week that has a score, if any. */
export function latestHealth(card: AccountCard): { band: HealthBand; score: number | null } | null {
  const week = card.weeks.findLast((w) => w.band !== null);
  return week?.band ? { band: week.band, score: week.score } : null;
}
