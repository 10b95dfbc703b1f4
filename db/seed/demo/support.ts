import * as s from "@/db/schema";
import type { Random } from "../random";
import type { Health } from "./health";
import type { Account, Contact, DemoContext, Hierarchy } from "./model";
import { clamp, DAY, HOUR, officeTime } from "./time";

type ClosedTicket = { account: Account; contact: Contact | null; closedAt: number };

/** Support tickets per product (more on busy and unhealthy ones), NPS responses, and CSAT on closed tickets. */
export function buildSupport(ctx: DemoContext, tree: Hierarchy, health: Health): void {
  const srng = ctx.root.fork("support");
  const closedTickets = buildTickets(ctx, srng, tree, health);
  buildSurveys(ctx, srng, tree, health, closedTickets);
}

function buildTickets({ now, yearAgo, ids, store }: DemoContext, srng: Random, { products, busiest }: Hierarchy, { latestBand }: Health): ClosedTicket[] {
  const TICKETS = [
    "Report export times out",
    "SSO login loop for some users",
    "Webhook deliveries delayed",
    "Dashboard shows stale data",
    "Cannot reconcile settlement file",
    "API rate limit errors during batch run",
    "Add user to the admin role",
    "Mobile app crashes on attachment upload",
    "Invoice PDF missing VAT number",
    "Scheduled report not sent",
    "Payment approval stuck in pending",
    "CSV import rejects dates in DD/MM format",
    "Alert emails land in spam",
    "Need an audit log export for the regulator",
    "Permission error on a shared dashboard",
  ];
  let ticketSeq = 48000;
  const closedTickets: ClosedTicket[] = [];
  for (const product of products) {
    const lambda = product === busiest ? 26 : Math.min(12, 1.5 + product.busyness * 0.8) * (latestBand(product) === "poor" ? 1.8 : 1);
    const count = Math.round(lambda * srng.float(0.5, 1.3));
    const from = Math.max(product.createdAt + 7 * DAY, yearAgo);
    for (let i = 0; i < count; i++) {
      const openedAt = officeTime(srng, from + srng.next() * (now - HOUR - from));
      if (openedAt >= now) continue;
      const age = now - openedAt;
      const priority = srng.weighted([["low", 25], ["normal", 50], ["high", 18], ["urgent", 7]] as const);
      let status: (typeof s.ticketStatus.enumValues)[number];
      if (age > 30 * DAY) status = srng.chance(0.96) ? srng.pick(["closed", "closed", "solved"]) : "pending";
      else status = srng.weighted([["new", 15], ["open", 30], ["pending", 15], ["solved", 25], ["closed", 15]] as const);
      const closed = status === "solved" || status === "closed";
      const closedAt = closed ? Math.min(now - HOUR, openedAt + srng.int(2, 24 * 12) * HOUR) : null;
      const contact = product.links.length ? srng.pick(product.links).contact : null;
      store.add(s.supportTickets, {
        id: ids.uuid(),
        accountId: product.id,
        contactId: contact?.id ?? null,
        externalId: `ZD-${++ticketSeq}`,
        subject: srng.pick(TICKETS),
        priority,
        status,
        openedAt: new Date(openedAt),
        closedAt: closedAt === null ? null : new Date(closedAt),
      });
      if (closedAt !== null) closedTickets.push({ account: product, contact, closedAt });
    }
  }
  return closedTickets;
}

/** NPS from the account's contacts (scores follow its health) and CSAT on some closed tickets. */
function buildSurveys({ now, ids, store }: DemoContext, srng: Random, { products, busiest }: Hierarchy, { latestBand }: Health, closedTickets: ClosedTicket[]): void {
  const NPS_COMMENTS = {
    promoter: ["The payments dashboard saves my team hours every week.", "Support is quick and knows our setup.", "Rollout was smooth; the training was excellent.", "Best tool we have for month-end close."],
    passive: ["Does the job, but exports are slow at month end.", "Good product; the mobile app needs work.", "Fine overall, pricing is on the high side."],
    detractor: ["Too many clicks to approve a batch.", "We lost two days to the SSO issue.", "Reports time out when we need them most.", "Hard to get answers from support lately."],
  };
  for (const product of products) {
    const band = latestBand(product);
    const n = product === busiest ? 8 : srng.int(0, 4);
    const people = product.links.filter((l) => l.role !== "Billing");
    for (let i = 0; i < n && people.length; i++) {
      const score = clamp(Math.round(band === "good" ? srng.normal(8.8, 1.1) : band === "poor" ? srng.normal(5, 2) : srng.normal(7.3, 1.6)), 0, 10);
      const kind = score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
      const respondedAt = officeTime(srng, Math.max(product.createdAt + 30 * DAY, now - srng.int(1, 360) * DAY));
      if (respondedAt >= now) continue;
      store.add(s.surveyResponses, { id: ids.uuid(), accountId: product.id, contactId: srng.pick(people).contact.id, kind: "nps", score, comment: srng.chance(0.6) ? srng.pick(NPS_COMMENTS[kind]) : null, respondedAt: new Date(respondedAt) });
    }
  }
  const CSAT_COMMENTS = ["Resolved quickly, thanks!", "Took three follow-ups to get an answer.", "Clear explanation of the fix.", "Friendly, but the workaround is clumsy.", "Great turnaround."];
  for (const ticket of closedTickets) {
    if (!ticket.contact || !srng.chance(0.45)) continue;
    const respondedAt = ticket.closedAt + srng.int(1, 48) * HOUR;
    if (respondedAt >= now) continue;
    const score = clamp(Math.round(srng.normal(4.2, 0.9)), 1, 5);
    store.add(s.surveyResponses, { id: ids.uuid(), accountId: ticket.account.id, contactId: ticket.contact.id, kind: "csat", score, comment: srng.chance(0.4) ? srng.pick(CSAT_COMMENTS) : null, respondedAt: new Date(respondedAt) });
  }
}
