import * as s from "@/db/schema";
import type { DemoContext, Hierarchy, Roster } from "./model";
import type { AddTimeline } from "./timeline";
import { DAY, floorDay, HOUR, isoDay, officeTime } from "./time";

/** Four email campaigns sent to contacts of ~60 accounts each, with opens and clicks. */
export function buildCampaigns({ now, root, ids, store }: DemoContext, { lobs, products, busiest }: Hierarchy, addTimeline: AddTimeline): void {
  const grng = root.fork("campaigns");
  const campaignDefs = [
    ["Spring product newsletter", 300],
    ["Payments Hub 5.0 release", 190],
    ["Customer summit invitation", 95],
    ["Autumn NPS survey", 24],
  ] as const;
  for (const [name, daysAgo] of campaignDefs) {
    const id = ids.uuid();
    const sentAt = floorDay(now - daysAgo * DAY) + 8 * HOUR;
    store.add(s.campaigns, { id, name, channel: "email", sentAt: new Date(sentAt) });
    const targets = grng.sample(
      [...products, ...lobs].filter((a) => a.createdAt < sentAt),
      grng.int(45, 70),
    );
    if (!targets.includes(busiest)) targets.push(busiest);
    for (const account of targets) {
      const recipients = grng.sample(account.links.filter((l) => l.role !== "Billing"), grng.int(1, 4));
      if (!recipients.length) continue;
      let opened = 0;
      for (const l of recipients) {
        const open = grng.chance(0.55);
        const openedAt = open ? sentAt + grng.int(10, 60 * 48) * 60_000 : null;
        const clickedAt = openedAt && grng.chance(0.35) ? openedAt + grng.int(1, 30) * 60_000 : null;
        if (open) opened++;
        store.add(s.campaignSends, { campaignId: id, contactId: l.contact.id, accountId: account.id, sentAt: new Date(sentAt), openedAt: openedAt && openedAt < now ? new Date(openedAt) : null, clickedAt: clickedAt && clickedAt < now ? new Date(clickedAt) : null });
      }
      addTimeline(account, "campaign", sentAt, `Campaign sent: ${name}`, { campaign: name, channel: "email", recipients: recipients.map((l) => l.contact.name), opened }, id, null);
    }
  }
}

const QUESTIONS = [
  ["Can you confirm how many branches go live in the next wave?", "Twelve branches in the first wave, the remaining eight a month later."],
  ["Who signs the renewal on your side this year?", "The group CFO signs; procurement prepares the paperwork."],
  ["Could you share the updated security questionnaire?", "Attached the 2026 version, signed off by our CISO."],
  ["Which SSO provider will the new subsidiary use?", "Same Azure AD tenant as the rest of the group."],
  ["Please confirm the billing address for the new entity.", "Invoices go to the Dublin finance shared-service centre."],
  ["Can support confirm the root cause of last week's export outage?", "A failed index rebuild on the reporting replica; fixed and monitored."],
  ["Do you plan to add the treasury team next quarter?", null],
  ["What volumes do you expect at month end?", null],
  ["Can you send the list of admin users for the access review?", null],
  ["Is the sandbox still needed after go-live?", null],
] as const;

/** Ten information requests to customer contacts (and one to a colleague), answered, open or cancelled. */
export function buildInformationRequests({ now, root, ids, store }: DemoContext, { products, busiest }: Hierarchy, { staff, admin, csmOf }: Roster, addTimeline: AddTimeline): void {
  const qrng = root.fork("requests");
  const requestAccounts = [busiest, ...qrng.sample(products.filter((p) => p !== busiest), QUESTIONS.length - 1)];
  QUESTIONS.forEach(([question, answer], i) => {
    const account = requestAccounts[i];
    const id = ids.uuid();
    const createdAt = officeTime(qrng, now - qrng.int(answer ? 20 : 2, answer ? 200 : 15) * DAY);
    const toColleague = i === 5;
    const contact = toColleague ? null : (account.links.find((l) => l.role === "Champion") ?? account.links[0])?.contact ?? null;
    const by = csmOf(account);
    const toUser = toColleague ? (staff.find((m) => m.job === "Support manager") ?? admin) : null;
    store.add(s.informationRequests, {
      id,
      accountId: account.id,
      requestedBy: by.id,
      toContactId: contact?.id ?? null,
      toUserId: toUser?.id ?? null,
      question,
      answer: answer ?? null,
      status: answer ? "answered" : i === QUESTIONS.length - 1 ? "cancelled" : "open",
      dueDate: isoDay(createdAt + qrng.int(5, 20) * DAY),
      createdAt: new Date(createdAt),
      answeredAt: answer ? new Date(createdAt + qrng.int(1, 9) * DAY) : null,
    });
    addTimeline(account, "request", createdAt, `Information requested: ${question}`, { question, to: contact?.name ?? toUser?.name ?? null, status: "open" }, id, by);
  });
}
