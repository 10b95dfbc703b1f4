import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { byText, day, fromDay, int, oneOf, resource, text, toDay, uuidField } from "./define";

/**
 * Usage per day, module and activity: an account's own events (usage_daily, summed over end
 * users) or its whole subtree's (usage_rollup_daily, maintained on ingest), chosen by `include`.
 * Both read the tables' primary keys, which start with (account, day, activity).
 */
export const usageRead = resource({
  name: "UsageAggregate",
  path: "/api/v1/usage-aggregates",
  scope: "usage:read",
  summary: "List usage per day, module and activity",
  description:
    "Events per account, day and activity (with its module). include=subtree (the default) counts each account with everything below it; include=own only the account's own events. Filter by accountId for one account.",
  from: (filters) =>
    filters.include === "own"
      ? sql`(select account_id, day, activity_id, module_id, sum(events)::bigint as events, 'own' as include from usage_daily group by account_id, day, activity_id, module_id) r
          join accounts a on a.id = r.account_id join usage_activities act on act.id = r.activity_id join usage_modules m on m.id = act.module_id`
      : sql`(select account_id, day, activity_id, module_id, events, 'subtree' as include from usage_rollup_daily) r
          join accounts a on a.id = r.account_id join usage_activities act on act.id = r.activity_id join usage_modules m on m.id = act.module_id`,
  accountBound: true,
  fields: {
    accountId: uuidField(sql`r.account_id`),
    day: day(sql`r.day`),
    module: text(sql`m.key`),
    activity: text(sql`act.key`),
    events: int(sql`r.events`),
    include: oneOf(sql`r.include`, ["own", "subtree"]),
  },
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.day`, type: "date" },
    { sql: sql`r.activity_id`, type: "uuid" },
  ],
  order: "asc",
  filters: {
    include: {
      description: "subtree (default): the account and everything below it; own: the account's own events.",
      schema: z.enum(["own", "subtree"], { error: "Use own or subtree." }),
      openapi: { type: "string", enum: ["own", "subtree"] },
      where: () => sql`true`,
    },
    from: fromDay("Days on or after this date.", sql`r.day`),
    to: toDay("Days on or before this date.", sql`r.day`),
    module: byText("Only this module (key).", sql`m.key`),
    activity: byText("Only this activity (key).", sql`act.key`),
  },
  one: false,
});
