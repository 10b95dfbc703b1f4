import * as s from "@/db/schema";
import type { Random } from "../random";
import type { AttributeValues } from "./attributes";
import type { Health } from "./health";
import type { Account, DemoContext, Hierarchy, Roster } from "./model";
import { DAY, isoDay, officeTime } from "./time";

/** Tags, the two account groups (by attribute) and the CRM opportunities collection. */
export function buildGroupings(ctx: DemoContext, tree: Hierarchy, roster: Roster, health: Health, finalValues: AttributeValues): void {
  const mrng = ctx.root.fork("tags");
  buildTags(ctx, mrng, tree, roster, health);
  buildGroups(ctx, tree, finalValues);
  buildCrmCollection(ctx, mrng, tree, roster);
}

/** Five tags: references, accounts at risk (all poor ones, some average), expansion signals, a beta program. */
function buildTags({ now, ids, store }: DemoContext, mrng: Random, { regions, lobs, products, busiest }: Hierarchy, { csmOf }: Roster, { latestBand }: Health): void {
  const tagDefs = [
    ["Reference", "#16a34a"],
    ["At risk", "#dc2626"],
    ["Expansion", "#2563eb"],
    ["Beta program", "#9333ea"],
    ["Executive attention", "#ea580c"],
  ] as const;
  const tagIds: Record<string, string> = {};
  for (const [name, color] of tagDefs) {
    tagIds[name] = ids.uuid();
    store.add(s.tags, { id: tagIds[name], name, color });
  }
  const tagged = new Set<string>();
  const tag = (account: Account, name: string) => {
    const key = `${account.id}|${name}`;
    if (tagged.has(key)) return;
    tagged.add(key);
    store.add(s.accountTags, { accountId: account.id, tagId: tagIds[name], addedBy: csmOf(account).id, addedAt: new Date(officeTime(mrng, Math.max(account.createdAt + DAY, now - mrng.int(1, 200) * DAY))) });
  };
  tag(busiest, "Reference");
  tag(busiest, "Expansion");
  tag(regions.emea, "Executive attention");
  for (const p of products.filter((p) => latestBand(p) === "poor")) tag(p, "At risk");
  for (const p of mrng.sample(products.filter((p) => latestBand(p) === "average"), 6)) tag(p, "At risk");
  for (const p of mrng.sample(products.filter((p) => latestBand(p) === "good"), 12)) tag(p, "Reference");
  for (const p of products.filter((p) => p.journeyStage === "expansion" || p.weeks.slice(-8).some((w) => w.upsell))) tag(p, "Expansion");
  for (const p of mrng.sample(products, 10)) tag(p, "Beta program");
  for (const l of mrng.sample(lobs, 3)) tag(l, "Executive attention");
}

/** "Strategic" (by the attribute) and "Tech touch" (SMB products). */
function buildGroups({ ids, store }: DemoContext, { accounts }: Hierarchy, finalValues: AttributeValues): void {
  const groupIds = { strategic: ids.uuid(), techTouch: ids.uuid() };
  store.add(s.accountGroups, { id: groupIds.strategic, name: "Strategic" });
  store.add(s.accountGroups, { id: groupIds.techTouch, name: "Tech touch" });
  for (const account of accounts) {
    const values = finalValues.get(account)!;
    if (values.is_strategic === true) store.add(s.accountGroupMembers, { groupId: groupIds.strategic, accountId: account.id });
    if (account.type === "product" && values.segment === "SMB") store.add(s.accountGroupMembers, { groupId: groupIds.techTouch, accountId: account.id });
  }
}

/** The "CRM opportunities" collection with a few records on ~50 accounts. */
function buildCrmCollection({ now, ids, store }: DemoContext, mrng: Random, { lobs, products, busiest }: Hierarchy, { aeOf }: Roster): void {
  const collectionId = ids.uuid();
  store.add(s.collections, {
    id: collectionId,
    key: "crm_opportunities",
    name: "CRM opportunities",
    accountTypeId: null,
    columns: [
      { key: "name", label: "Opportunity", type: "text" },
      { key: "stage", label: "Stage", type: "text" },
      { key: "amount", label: "Amount", type: "currency" },
      { key: "close_date", label: "Close date", type: "date" },
      { key: "owner", label: "Owner", type: "text" },
    ],
  });
  const CRM_STAGES = ["Prospecting", "Qualification", "Proposal", "Negotiation", "Closed won", "Closed lost"];
  for (const account of [busiest, ...mrng.sample(products.filter((p) => p !== busiest), 40), ...mrng.sample(lobs, 12)]) {
    for (let i = 0, n = account === busiest ? 4 : mrng.int(1, 3); i < n; i++) {
      const stage = mrng.pick(CRM_STAGES);
      const closed = stage.startsWith("Closed");
      const closeDate = closed ? now - mrng.int(5, 300) * DAY : now + mrng.int(10, 240) * DAY;
      store.add(s.collectionRecords, {
        id: ids.uuid(),
        collectionId,
        accountId: account.id,
        values: {
          name: `${account.productName ?? account.line?.name ?? "Platform"} ${mrng.pick(["expansion", "renewal", "add-on seats", "premium support", "new module"])} ${new Date(closeDate).getUTCFullYear()}`,
          stage,
          amount: mrng.int(10, 500) * 1000,
          close_date: isoDay(closeDate),
          owner: aeOf(account).name,
        },
        createdAt: new Date(officeTime(mrng, Math.min(closeDate, now) - mrng.int(20, 120) * DAY)),
      });
    }
  }
}
