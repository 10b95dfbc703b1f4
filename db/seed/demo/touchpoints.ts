import * as s from "@/db/schema";
import type { Health } from "./health";
import type { Account, DemoContext, Hierarchy, Roster, Staff } from "./model";
import type { AddTimeline } from "./timeline";
import { DAY, excerpt, fill, HOUR, officeTime } from "./time";

export type TouchpointType = (typeof s.touchpointType.enumValues)[number];

export type Touchpoints = {
  /** Writes a touchpoint with its participants and its timeline entry. */
  addTouchpoint(account: Account, at: number, type: TouchpointType, subject: string, body: string, author: Staff): void;
  /** Names and numbers to fill a text template about `account` (drawn from the touchpoint stream). */
  textValues(account: Account): { name: string; champion: string; sponsor: string; contact: string; pct: number; n: number; band: string };
};

const TOUCHPOINTS: { type: TouchpointType; subject: string; body: string }[] = [
  { type: "call", subject: "Weekly sync with {champion}", body: "Walked through open items with {champion}. Volumes on {name} are steady; they want the reconciliation export to include settlement dates. Agreed to confirm the roadmap date with product by Friday." },
  { type: "qbr", subject: "Quarterly business review — {name}", body: "Reviewed adoption against the success plan: active users up {pct}% quarter over quarter, two integrations still pending. {sponsor} asked for a benchmark against peer banks before the renewal conversation. Next QBR pencilled in for next quarter." },
  { type: "email", subject: "Renewal timeline for {name}", body: "Sent the renewal timeline and the draft order form to {contact}. Procurement needs the security questionnaire refreshed by the end of the month; I will coordinate with the SE." },
  { type: "note", subject: "Escalation follow-up", body: "Ticket backlog down to {n} open items after last week's patch. {contact} still reports slow report exports in the afternoon; logged with support for the performance team." },
  { type: "call", subject: "Executive check-in with {sponsor}", body: "{sponsor} is happy with the rollout pace but worried about the budget freeze in Q1. Positioned the multi-year option; they will take it to the steering committee." },
  { type: "meeting", subject: "Admin training session", body: "Ran a 90-minute admin training for {n} people from the operations team: roles, approval chains and alert rules. Recording and slides shared afterwards." },
  { type: "email", subject: "Release notes: dashboard sharing", body: "Shared the release notes for dashboard sharing and scheduled exports with {champion}. They plan to retire the weekly spreadsheet once scheduled reports are switched on." },
  { type: "note", subject: "Champion changing roles", body: "Heard from {contact} that {champion} is moving to another team next quarter. Need a new champion; asking for an intro to the operations lead." },
  { type: "meeting", subject: "Integration workshop", body: "Workshop with their IT team on the core-ledger integration. Agreed on webhook retries and a nightly reconciliation job. Action items: sandbox credentials, test plan, go/no-go in three weeks." },
  { type: "call", subject: "Usage dip investigation", body: "Usage dropped for two weeks. Root cause: a month-end freeze on the payments desk plus an SSO certificate issue for a subset of users. Both resolved; usage is recovering." },
  { type: "chat", subject: "Quick question on approval limits", body: "{contact} asked whether approval limits can differ per branch. Pointed them to the approval-chain settings and offered a short call." },
  { type: "email", subject: "Invoice query from finance", body: "{contact} from finance asked about the add-on line on the last invoice. Explained the prorated seats and sent the breakdown." },
  { type: "meeting", subject: "Roadmap preview", body: "Previewed next quarter's roadmap: bulk approvals, mobile alerts and the new audit export. Strong interest in bulk approvals; they offered to join the beta." },
  { type: "note", subject: "Internal account review", body: "Account review with the AE: health is {band}, renewal in view, expansion potential in the neighbouring business lines. Agreed to run an executive sponsor meeting before the renewal." },
  { type: "call", subject: "Go-live readiness check", body: "Walked through the go-live checklist with {champion}: user provisioning done, data migration validated, support runbook shared. Go-live confirmed." },
  { type: "qbr", subject: "Executive business review — {name}", body: "Presented outcomes to {sponsor}: manual work down {pct}%, faster month-end close, fewer escalations. Discussed expansion to two more teams next year." },
  { type: "email", subject: "Feedback on the mobile beta", body: "{champion} sent feedback on the mobile beta: approvals on the go work well, but push notifications arrive late. Forwarded to the product team." },
  { type: "note", subject: "Expansion signal", body: "{contact} mentioned a new subsidiary joining in spring that will need the same setup. Flagged to the AE as an expansion opportunity." },
  { type: "meeting", subject: "Onboarding kickoff", body: "Kickoff with {champion} and the project team: scope, timeline, success criteria and weekly status calls agreed. Configuration starts next week." },
  { type: "call", subject: "Support escalation review", body: "Reviewed the open high-priority tickets with {contact}. Two are waiting on the customer's IT; one is a confirmed bug with a fix in the next release." },
];

/** Calls, meetings, emails, notes and QBRs over the last ~400 days, more on busy products. */
export function buildTouchpoints({ now, root, ids, store }: DemoContext, { accounts }: Hierarchy, { csmOf, aeOf, teamOf }: Roster, { latestBand }: Health, addTimeline: AddTimeline): Touchpoints {
  const trng = root.fork("touchpoints");
  const participantsFor = (account: Account, at: number, author: Staff) => {
    const people = account.links.length ? trng.sample(account.links, trng.int(1, Math.min(3, account.links.length))) : [];
    const colleagues = trng.chance(0.3) ? teamOf(account).filter((u) => u.id !== author.id).slice(0, 1) : [];
    void at;
    return { contacts: people.map((l) => l.contact), users: [author, ...colleagues] };
  };
  const addTouchpoint = (account: Account, at: number, type: (typeof s.touchpointType.enumValues)[number], subject: string, body: string, author: Staff) => {
    const id = ids.uuid();
    store.add(s.touchpoints, { id, accountId: account.id, type, subject, body, occurredAt: new Date(at), authorId: author.id, createdAt: new Date(at + trng.int(5, 240) * 60_000) });
    const { contacts: people, users } = participantsFor(account, at, author);
    for (const contact of people) store.add(s.touchpointParticipants, { touchpointId: id, contactId: contact.id, userId: null });
    for (const user of users) store.add(s.touchpointParticipants, { touchpointId: id, contactId: null, userId: user.id });
    addTimeline(
      account,
      "touchpoint",
      at,
      `${type === "qbr" ? "QBR" : type[0].toUpperCase() + type.slice(1)}: ${subject}`,
      { type, subject, body: excerpt(body), participants: [...people.map((c) => c.name), ...users.map((u) => u.name)] },
      id,
      author,
    );
  };
  const textValues = (account: Account) => {
    const champion = account.links.find((l) => l.role === "Champion")?.contact.name ?? account.links[0]?.contact.name ?? "the project lead";
    const sponsor = account.links.find((l) => l.role === "Executive sponsor" || l.role === "Decision maker")?.contact.name ?? champion;
    return { name: account.name, champion, sponsor, contact: account.links.length ? trng.pick(account.links).contact.name : champion, pct: trng.int(8, 45), n: trng.int(3, 14), band: latestBand(account) ?? "average" };
  };
  for (const account of accounts) {
    const count =
      account.type === "company" ? 3 : account.type === "region" ? trng.int(3, 5) : account.type === "line_of_business" ? trng.int(3, 7) : account.type === "opportunity" ? trng.int(1, 3) : account.busyness > 5 ? trng.int(14, 24) : trng.int(2, 10);
    const from = Math.max(account.createdAt + DAY, now - 400 * DAY);
    for (let i = 0; i < count; i++) {
      const template = trng.pick(TOUCHPOINTS);
      const values = textValues(account);
      const at = officeTime(trng, from + trng.next() * (now - HOUR - from));
      if (at >= now) continue;
      const author = trng.chance(0.8) ? csmOf(account) : aeOf(account);
      addTouchpoint(account, at, template.type, fill(template.subject, values), fill(template.body, values), author);
    }
  }
  return { addTouchpoint, textValues };
}
