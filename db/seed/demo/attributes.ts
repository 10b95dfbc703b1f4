import * as s from "@/db/schema";
import type { Random } from "../random";
import { COMPANY_ATTRIBUTES, COMPANY_NAME, CUSTOMER_DOMAIN, FIELD_GROUPS, OPPORTUNITY_ATTRIBUTES, REGIONS } from "./catalogue";
import { ACCOUNT_TYPES } from "./hierarchy";
import type { Lifecycles } from "./lifecycles";
import type { Account, DemoContext, Hierarchy, Roster, Staff, TypeKey } from "./model";
import type { AddTimeline } from "./timeline";
import { clamp, DAY, HOUR, isoDay, slug } from "./time";

/** Each account's current attribute values (what the profile shows today). */
export type AttributeValues = Map<Account, Record<string, unknown>>;

type Definitions = {
  /** Definition id per account type and attribute key. */
  attributeIds: Record<TypeKey, Record<string, string>>;
  attributeLabels: Record<string, string>;
  privilegedKeys: Set<string>;
};

/**
 * Field groups and attribute definitions per account type, each account's current values, and
 * their history: the import's first value, then up to a few edits by the account team.
 */
export function buildAttributes(
  ctx: DemoContext,
  tree: Hierarchy,
  typeIds: Record<TypeKey, string>,
  roster: Roster,
  lifecycles: Lifecycles,
  overrideProduct: Account,
  addTimeline: AddTimeline,
): { finalValues: AttributeValues } {
  const definitions = buildDefinitions(ctx, typeIds);
  const vrng = ctx.root.fork("attribute-values");
  const finalValues = currentValues(ctx, vrng, tree, overrideProduct);
  buildHistory(ctx, vrng, tree, definitions, finalValues, roster, lifecycles, addTimeline);
  return { finalValues };
}

const DEAL_PROBABILITY: Record<string, number> = { Discovery: 20, Proposal: 40, Negotiation: 60, "Verbal commit": 85 };
const segmentOf = (arr: number) => (arr >= 250_000 ? "Enterprise" : arr >= 60_000 ? "Mid-Market" : "SMB");
const NOTES = [
  "Sponsor is supportive but budget sign-off moved to the group CFO this year.",
  "Champion is very hands-on; prefers short calls and written summaries.",
  "Watch the reconciliation backlog: it drives most of their support tickets.",
  "Procurement pushes hard on discount at renewal; hold the line on multi-year terms.",
  "Team restructured in Q2; new operations lead still getting up to speed.",
  "Strong reference candidate once the mobile rollout is complete.",
  "Integration with the core ledger is fragile; involve the SE before any upgrade.",
];
/** The attributes whose values change after the import (opportunities have their own four). */
const MUTABLE = ["seats", "arr", "renewal_date", "segment", "discount_pct", "csm_notes", "executive_summary", "is_strategic", "employees"];

function buildDefinitions({ ids, store }: DemoContext, typeIds: Record<TypeKey, string>): Definitions {
  const attributeIds: Record<TypeKey, Record<string, string>> = { company: {}, region: {}, line_of_business: {}, product: {}, opportunity: {} };
  const attributeLabels: Record<string, string> = {};
  const privilegedKeys = new Set<string>();
  for (const def of ACCOUNT_TYPES) {
    const groupIds: Record<string, string> = {};
    FIELD_GROUPS[def.key].forEach(([name, featured], position) => {
      groupIds[name] = ids.uuid();
      store.add(s.fieldGroups, { id: groupIds[name], accountTypeId: typeIds[def.key], name, featured, position });
    });
    const list = def.key === "opportunity" ? OPPORTUNITY_ATTRIBUTES : COMPANY_ATTRIBUTES;
    list.forEach((attr, position) => {
      const id = ids.uuid();
      attributeIds[def.key][attr.key] = id;
      attributeLabels[attr.key] = attr.label;
      if (attr.privileged) privilegedKeys.add(attr.key);
      const rolls = Boolean(attr.rollup) && def.key !== "product" && def.key !== "opportunity";
      store.add(s.attributeDefinitions, {
        id,
        accountTypeId: typeIds[def.key],
        key: attr.key,
        label: attr.label,
        dataType: attr.dataType,
        groupId: groupIds[attr.group],
        keyInfo: Boolean(attr.keyInfo),
        privileged: Boolean(attr.privileged),
        rollupRule: rolls ? "sum" : "none",
        rollupSourceKey: rolls ? attr.key : null,
        options: attr.options ?? null,
        position,
      });
    });
  }
  return { attributeIds, attributeLabels, privilegedKeys };
}

function currentValues({ now }: DemoContext, vrng: Random, { accounts, lobs, busiest }: Hierarchy, overrideProduct: Account): AttributeValues {
  const finalValues = new Map<Account, Record<string, unknown>>();
  for (const account of accounts) {
    const v: Record<string, unknown> = {};
    const created = account.createdAt;
    if (account.type === "opportunity") {
      const amount = vrng.int(20, 400) * 1000;
      v.amount = amount;
      v.close_date = isoDay(now + vrng.int(14, 200) * DAY);
      v.deal_stage = vrng.pick(["Discovery", "Proposal", "Negotiation", "Verbal commit"]);
      v.probability = DEAL_PROBABILITY[v.deal_stage as string];
      v.next_step = vrng.pick(["Send revised proposal", "Security review with IT", "Pricing call with procurement", "Demo for the operations team", "Legal redlines on the order form"]);
      if (vrng.chance(0.5)) v.competitor = vrng.pick(["Finastra", "Temenos", "In-house build", "FIS"]);
      finalValues.set(account, v);
      continue;
    }
    v.arr = account.arr || null;
    v.seats = account.seats || null;
    v.industry = account.line?.industry ?? "Banking";
    v.date_acquired = isoDay(created);
    if (account.type === "company") {
      v.executive_summary = `${COMPANY_NAME} is a diversified financial-services group operating in ${REGIONS.length} regions with ${lobs.length} lines of business. Goals this year: consolidate payments onto one platform, cut manual reconciliation in half and launch self-service onboarding for small-business clients.`;
      v.segment = "Enterprise";
      v.is_strategic = true;
      v.website = `https://www.${CUSTOMER_DOMAIN}`;
      v.employees = 48_500;
      v.yearly_revenue = 12_400_000_000;
      v.year_established = 1898;
      v.discount_pct = 12;
      v.csm_notes = "Group-level relationship owned by Lee; all pricing exceptions go through the quarterly steering committee.";
    } else if (account.type === "region") {
      v.executive_summary = `${account.name} covers ${account.children.length} lines of business run from ${account.region.city}. Focus: standardise on Payments Hub and Risk Analytics across business lines before the group-wide renewal.`;
      v.segment = "Enterprise";
      v.is_strategic = true;
      v.website = `https://${account.region.key}.${CUSTOMER_DOMAIN}`;
      v.employees = { emea: 17_200, americas: 19_800, apac: 11_500 }[account.region.key];
      v.yearly_revenue = { emea: 4_600_000_000, americas: 5_300_000_000, apac: 2_500_000_000 }[account.region.key];
      v.discount_pct = vrng.int(8, 14);
      v.csm_notes = vrng.pick(NOTES);
    } else if (account.type === "line_of_business") {
      v.executive_summary = `${account.name} uses our platform for ${account.line!.focus}. ${account.children.length} products live; the sponsor measures success on straight-through processing and time saved per case.`;
      v.segment = account.arr >= 1_000_000 ? "Enterprise" : "Mid-Market";
      v.is_strategic = vrng.chance(0.3);
      if (vrng.chance(0.7)) v.website = `https://${account.region.key}.${CUSTOMER_DOMAIN}/${account.line!.key}`;
      v.employees = vrng.int(8, 60) * 50;
      if (vrng.chance(0.6)) v.yearly_revenue = vrng.int(20, 900) * 1_000_000;
      if (vrng.chance(0.5)) v.year_established = vrng.int(1950, 2015);
      if (vrng.chance(0.6)) v.discount_pct = vrng.int(5, 18);
      if (vrng.chance(0.5)) v.csm_notes = vrng.pick(NOTES);
    } else {
      if (account === busiest || vrng.chance(0.85)) {
        v.executive_summary = `${account.productName} runs ${account.lobName}'s ${account.line!.focus}. About ${account.seats} seats across ${vrng.int(2, 40)} sites; this year's goal: ${vrng.pick(["retire the legacy batch tool", "halve manual reconciliation", "move approvals to mobile", "onboard the new subsidiary", "pass the regulator's audit without findings"])}.`;
      }
      v.segment = segmentOf(account.arr);
      if (account.renewalDate) v.renewal_date = account.renewalDate;
      if (vrng.chance(0.3)) delete v.industry;
      if (account === busiest || vrng.chance(0.7)) v.is_strategic = account === busiest || vrng.chance(0.12);
      if (account === busiest || vrng.chance(0.6)) v.discount_pct = vrng.int(0, 20);
      if (vrng.chance(0.3)) v.website = `https://${slug(account.productName!)}.${account.region.key}.${CUSTOMER_DOMAIN}`;
      if (vrng.chance(0.4)) v.employees = vrng.int(2, 40) * 25;
      if (vrng.chance(0.2)) v.yearly_revenue = vrng.int(5, 300) * 1_000_000;
      if (vrng.chance(0.2)) v.year_established = vrng.int(1990, 2020);
      if (account === busiest || vrng.chance(0.45)) v.csm_notes = vrng.pick(NOTES);
      if (vrng.chance(0.2)) delete v.date_acquired;
      if (account === overrideProduct) v.mrr_override = Math.round(account.mrr * 0.85);
    }
    for (const key of Object.keys(v)) if (v[key] === null || v[key] === undefined) delete v[key];
    finalValues.set(account, v);
  }
  return finalValues;
}

/** An earlier plausible value of an attribute, for history chains that end in the current value. */
function previousValue(vrng: Random, key: string, value: unknown, account: Account): unknown {
  switch (key) {
    case "seats":
      return Math.max(1, (value as number) - vrng.int(3, 40));
    case "arr":
      return Math.round(((value as number) * vrng.float(0.8, 0.95)) / 100) * 100;
    case "renewal_date":
      return isoDay(Date.parse(`${value}T00:00:00Z`) - 365 * DAY);
    case "segment":
      return value === "Enterprise" ? "Mid-Market" : value === "SMB" ? "Mid-Market" : vrng.pick(["SMB", "Enterprise"]);
    case "discount_pct":
      return clamp((value as number) + vrng.pick([-5, -3, 2, 4, 5]), 0, 30);
    case "csm_notes":
      return vrng.pick(NOTES.filter((n) => n !== value));
    case "executive_summary":
      return `${account.name}: ${account.line?.focus ?? "group platform"}. Rollout in progress.`;
    case "is_strategic":
      return !value;
    case "employees":
      return Math.max(10, (value as number) - vrng.int(1, 10) * 25);
    case "deal_stage": {
      const stages = ["Discovery", "Proposal", "Negotiation", "Verbal commit"];
      return stages[Math.max(0, stages.indexOf(value as string) - 1)];
    }
    case "probability":
      return Math.max(10, (value as number) - 20);
    case "amount":
      return Math.round(((value as number) * vrng.float(0.6, 0.9)) / 1000) * 1000;
    case "close_date":
      return isoDay(Date.parse(`${value}T00:00:00Z`) - vrng.int(20, 60) * DAY);
    default:
      return null;
  }
}

/** The history of every value: the import, then for some accounts a few edits in the last year (recent ones on ~35 accounts). */
function buildHistory(
  { now, yearAgo, store }: DemoContext,
  vrng: Random,
  { accounts, lobs, products, busiest, regions }: Hierarchy,
  { attributeIds, attributeLabels, privilegedKeys }: Definitions,
  finalValues: AttributeValues,
  { admin, csmOf, teamOf }: Roster,
  { stamp }: Lifecycles,
  addTimeline: AddTimeline,
): void {
  const recentAccounts = new Set<Account>([busiest, regions.emea, ...vrng.sample(products, 30), ...vrng.sample(lobs, 4)]);
  for (const account of accounts) {
    const values = finalValues.get(account)!;
    const typeAttrIds = attributeIds[account.type];
    const importAt = account.createdAt + 2 * HOUR;
    const active = account === busiest || account.type === "opportunity" || recentAccounts.has(account) || vrng.chance(0.55);
    const mutable = Object.keys(values).filter((k) => (account.type === "opportunity" ? ["amount", "close_date", "deal_stage", "probability"] : MUTABLE).includes(k));
    const changing = new Set(active ? vrng.sample(mutable, account === busiest ? mutable.length : vrng.int(1, 4)) : []);
    const windowStart = Math.max(account.createdAt + 10 * DAY, yearAgo);
    for (const key of Object.keys(values)) {
      const attributeId = typeAttrIds[key];
      // The chain of values, oldest first, ending with the current one.
      const chain: unknown[] = [values[key]];
      let times: number[] = [];
      const people = teamOf(account);
      if (key === "mrr_override") {
        // Set once, by hand, a few weeks ago: the import never had it.
        const at = stamp(now - 19 * DAY);
        const by = csmOf(account);
        store.add(s.attributeChanges, { accountId: account.id, attributeId, oldValue: null, newValue: values[key], changedBy: by.id, changedAt: new Date(at), source: "app" });
        store.add(s.attributeValues, { accountId: account.id, attributeId, value: values[key], version: 1, updatedBy: by.id, updatedAt: new Date(at) });
        addTimeline(account, "attribute_change", at, `${attributeLabels[key]} set`, { attributeKey: key, label: attributeLabels[key], old: null, new: values[key] }, attributeId, by);
        continue;
      }
      if (changing.has(key) && windowStart < now - DAY) {
        const steps = account === busiest ? vrng.int(2, 4) : vrng.int(1, 3);
        for (let i = 0; i < steps; i++) {
          const earlier = previousValue(vrng, key, chain[0], account);
          // A step that would not change anything is no change at all.
          if (earlier === null || JSON.stringify(earlier) === JSON.stringify(chain[0])) break;
          chain.unshift(earlier);
        }
        times = Array.from({ length: chain.length - 1 }, () => windowStart + Math.floor(vrng.next() * (now - HOUR - windowStart))).sort((a, b) => a - b);
        if (recentAccounts.has(account) && times.length) times[times.length - 1] = now - vrng.int(2, 6 * 24) * HOUR;
        times.sort((a, b) => a - b);
      }
      // The import: the first value, without an author.
      store.add(s.attributeChanges, { accountId: account.id, attributeId, oldValue: null, newValue: chain[0], changedBy: null, changedAt: new Date(importAt), source: "import" });
      let lastBy: Staff | null = null;
      let lastAt = importAt;
      for (let i = 1; i < chain.length; i++) {
        const by = people.length ? vrng.pick(people) : admin;
        const at = Math.max(times[i - 1], lastAt + 60_000);
        store.add(s.attributeChanges, { accountId: account.id, attributeId, oldValue: chain[i - 1], newValue: chain[i], changedBy: by.id, changedAt: new Date(at), source: "app" });
        // Privileged values stay out of the timeline, which every viewer of the account may read.
        if (!privilegedKeys.has(key)) {
          addTimeline(account, "attribute_change", at, `${attributeLabels[key]} changed`, { attributeKey: key, label: attributeLabels[key], old: chain[i - 1], new: chain[i] }, attributeId, by);
        }
        lastBy = by;
        lastAt = at;
      }
      store.add(s.attributeValues, { accountId: account.id, attributeId, value: values[key], version: chain.length, updatedBy: lastBy?.id ?? null, updatedAt: new Date(lastAt) });
    }
  }
}
