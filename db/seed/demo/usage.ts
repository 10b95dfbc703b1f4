import * as s from "@/db/schema";
import { PRODUCT_MODULE_WEIGHTS, USAGE_MODULES } from "./catalogue";
import type { Contacts } from "./contacts";
import type { Health } from "./health";
import type { DemoContext, Hierarchy } from "./model";
import { DAY, floorDay, isoDay, officeTime } from "./time";

export type UsageActivity = { id: string; moduleKey: string; moduleId: string; key: string; name: string; weight: number };

/** Usage modules and activities, a year of raw usage events per product and their daily totals. */
export function buildUsage({ now, today, yearAgo, root, ids, store }: DemoContext, { products }: Hierarchy, { usersOf }: Contacts, { weekStarts }: Health): { activities: UsageActivity[] } {
  const moduleIds: Record<string, string> = {};
  const activities: UsageActivity[] = [];
  for (const module of USAGE_MODULES) {
    moduleIds[module.key] = ids.uuid();
    store.add(s.usageModules, { id: moduleIds[module.key], key: module.key, name: module.name });
    for (const [key, name, weight] of module.activities) {
      const activity = { id: ids.uuid(), moduleKey: module.key, moduleId: moduleIds[module.key], key, name, weight };
      activities.push(activity);
      store.add(s.usageActivities, { id: activity.id, moduleId: activity.moduleId, key, name });
    }
  }
  const uRng = root.fork("usage");
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(uRng.normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= uRng.next();
    } while (p > limit);
    return k - 1;
  };
  const daily = new Map<string, { accountId: string; day: string; activityId: string; moduleId: string; contactId: string; events: number }>();
  for (const product of products) {
    const moduleWeights = PRODUCT_MODULE_WEIGHTS[product.productName!];
    const weightedActivities = activities
      .filter((a) => moduleWeights[a.moduleKey])
      .map((a) => [a, a.weight * moduleWeights[a.moduleKey]] as const);
    const people = usersOf(product);
    // A few power users do most of the work.
    const weightedPeople = people.map((c, i) => [c, i === 0 ? 5 : 1 + uRng.next() * 3] as const);
    const firstDay = Math.max(floorDay(yearAgo) + DAY, floorDay(product.createdAt) + 14 * DAY);
    for (let day = firstDay; day <= today; day += DAY) {
      const weekday = new Date(day).getUTCDay();
      const weekdayFactor = weekday === 0 || weekday === 6 ? 0.2 : 1.15;
      const trend = 0.8 + (0.4 * (day - yearAgo)) / (365 * DAY);
      const weekIndex = Math.floor((day - weekStarts[0]) / (7 * DAY));
      const dipFactor = product.dip && weekIndex >= product.dip[0] && weekIndex <= product.dip[1] ? 0.4 : 1;
      const rows = poisson(product.busyness * weekdayFactor * trend * dipFactor);
      for (let r = 0; r < rows; r++) {
        const activity = uRng.weighted(weightedActivities);
        const contact = people.length && uRng.chance(0.93) ? uRng.weighted(weightedPeople) : null;
        const occurredAt = officeTime(uRng, day) + uRng.int(0, 59_999);
        if (occurredAt >= now) continue;
        const count = 1 + Math.floor(uRng.next() ** 2 * (product.busyness > 10 ? 25 : 12));
        store.add(s.usageEvents, { accountId: product.id, contactId: contact?.id ?? null, moduleId: activity.moduleId, activityId: activity.id, occurredAt: new Date(occurredAt), count });
        const contactId = contact?.id ?? s.NO_CONTACT;
        const dayKey = isoDay(occurredAt);
        const key = `${product.id}|${dayKey}|${activity.id}|${contactId}`;
        const entry = daily.get(key);
        if (entry) entry.events += count;
        else daily.set(key, { accountId: product.id, day: dayKey, activityId: activity.id, moduleId: activity.moduleId, contactId, events: count });
      }
    }
  }
  for (const row of daily.values()) store.add(s.usageDaily, row);
  return { activities };
}
