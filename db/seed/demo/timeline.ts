import * as s from "@/db/schema";
import type { Account, DemoContext, Hierarchy, Roster, Staff } from "./model";
import type { Touchpoints } from "./touchpoints";
import { DAY, HOUR, officeTime } from "./time";

/* The timeline every step writes to, and the busiest product's top-up to the 2,000-entry maximum. */

export type AddTimeline = (
  account: Account,
  kind: (typeof s.timelineKind.enumValues)[number],
  at: number,
  title: string,
  snapshot: Record<string, unknown>,
  refId: string | null,
  actor: Staff | null,
) => void;

export type Timeline = { addTimeline: AddTimeline; timelineCount: Map<string, number> };

/** Collects timeline entries and counts them per account. */
export function createTimeline({ store }: Pick<DemoContext, "store">): Timeline {
  const timelineCount = new Map<string, number>();
  const addTimeline: AddTimeline = (account, kind, at, title, snapshot, refId, actor) => {
    store.add(s.timelineEntries, { accountId: account.id, kind, refId, actorId: actor?.id ?? null, title, snapshot, occurredAt: new Date(at) });
    timelineCount.set(account.id, (timelineCount.get(account.id) ?? 0) + 1);
  };
  return { addTimeline, timelineCount };
}

const TOPUP_SUBJECTS = [
  "Daily stand-up notes: payments rollout",
  "Settlement file check",
  "Branch onboarding wave update",
  "Approval-chain change request",
  "Month-end close support",
  "Alert tuning follow-up",
  "Weekly usage review",
  "Integration error triage",
  "User access review",
  "Report pack feedback",
];

/**
 * Tops the busiest product's timeline up to exactly `TIMELINE_LIMIT` entries with short touchpoints,
 * then checks no account passed it. Runs last, after every other entry (file assets included).
 */
export function topUpBusiestTimeline({ now, root }: DemoContext, { busiest }: Hierarchy, { csmOf, teamOf }: Roster, { timelineCount }: Timeline, { addTouchpoint, textValues }: Touchpoints): void {
  const missing = s.TIMELINE_LIMIT - (timelineCount.get(busiest.id) ?? 0);
  if (missing < 0) throw new Error(`seed: ${busiest.name} has more than ${s.TIMELINE_LIMIT} timeline entries`);
  const from = busiest.createdAt + 30 * DAY;
  const prng = root.fork("timeline-topup");
  const values = textValues(busiest);
  for (let i = 0; i < missing; i++) {
    const at = officeTime(prng, from + ((i + prng.next()) / missing) * (now - 2 * HOUR - from));
    const subject = prng.pick(TOPUP_SUBJECTS);
    const type = prng.weighted([["note", 5], ["email", 3], ["call", 2], ["chat", 1]] as const);
    const body = `${subject}. ${prng.pick([
      `${values.champion} confirmed the overnight settlement run completed without breaks.`,
      `Two approval chains adjusted for the new branch wave; ${values.champion} signed off.`,
      `Checked the integration error log: ${prng.int(0, 6)} retries, no failed postings.`,
      `Usage is up on Payments; Reports exports still the main complaint.`,
      `Agreed next steps with ${values.sponsor}'s office; summary sent by email.`,
      `Walked a new team lead through dashboards and scheduled reports.`,
    ])}`;
    const author = prng.chance(0.75) ? csmOf(busiest) : prng.pick(teamOf(busiest));
    addTouchpoint(busiest, Math.min(at, now - HOUR), type, subject, body, author);
  }
  for (const [id, n] of timelineCount) if (n > s.TIMELINE_LIMIT) throw new Error(`seed: account ${id} has ${n} timeline entries`);
}
