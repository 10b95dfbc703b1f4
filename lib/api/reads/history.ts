import "server-only";
import { sql } from "drizzle-orm";
import { healthBand, timelineKind } from "@/db/schema";
import { bool, byEnum, byText, day, fromDay, num, object, oneOf, resource, since, text, time, toDay, until, uuidField } from "./define";

/*
 * What changes over time: health (current and weekly), lifecycle stages (current and changes) and
 * the timeline. History is append-only in the product, so these are read-only in the API.
 */

// The schema's own enums: a kind added there is readable (and documented) here at once.
const BANDS = healthBand.enumValues;
const TIMELINE_KINDS = timelineKind.enumValues;

const healthFields = {
  accountId: uuidField(sql`r.account_id`),
  weekStart: day(sql`r.week_start`),
  score: num(sql`r.score`),
  band: oneOf(sql`r.band`, BANDS),
  dimensions: object(sql`r.dimensions`, "Score and band by dimension key."),
  upsell: bool(sql`r.upsell`),
  upsellAmount: num(sql`r.upsell_amount`, true),
  computedAt: time(sql`r.computed_at`),
};

export const healthRead = resource({
  name: "Health",
  path: "/api/v1/health",
  scope: "health:read",
  summary: "List current health",
  description: "The latest weekly health snapshot of each account the token may see; GET /api/v1/health/{accountId} reads one account's.",
  from: sql`(select distinct on (account_id) * from health_snapshots order by account_id, week_start desc) r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: healthFields,
  key: [{ sql: sql`r.account_id`, type: "uuid" }],
  order: "asc",
  filters: { band: byEnum("Accounts in this health band.", sql`r.band`, BANDS) },
  one: true,
});

export const healthHistoryRead = resource({
  name: "HealthSnapshot",
  path: "/api/v1/health-snapshots",
  scope: "health:read",
  summary: "List weekly health history",
  description: "One health snapshot per account and ISO week (Monday), by account then week.",
  from: sql`health_snapshots r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: healthFields,
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.week_start`, type: "date" },
  ],
  order: "asc",
  filters: {
    band: byEnum("Snapshots in this health band.", sql`r.band`, BANDS),
    weekFrom: fromDay("Weeks starting on or after this date.", sql`r.week_start`),
    weekTo: toDay("Weeks starting on or before this date.", sql`r.week_start`),
  },
  one: false,
});

export const lifecycleStagesRead = resource({
  name: "LifecycleStage",
  path: "/api/v1/lifecycle-stages",
  scope: "lifecycle:read",
  summary: "List current lifecycle stages",
  description: "The stage each account the token may see is at, in each lifecycle, since when.",
  from: sql`account_stages r join accounts a on a.id = r.account_id join lifecycles l on l.id = r.lifecycle_id join lifecycle_stages s on s.id = r.stage_id`,
  accountBound: true,
  fields: {
    accountId: uuidField(sql`r.account_id`),
    lifecycle: text(sql`l.key`),
    lifecycleName: text(sql`l.name`),
    stage: text(sql`s.key`),
    stageName: text(sql`s.name`),
    since: time(sql`r.since`),
  },
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.lifecycle_id`, type: "uuid" },
  ],
  order: "asc",
  filters: {
    lifecycle: byText("Stages in the lifecycle with this key.", sql`l.key`),
    stage: byText("Accounts at the stage with this key.", sql`s.key`),
  },
  one: false,
});

export const stageChangesRead = resource({
  name: "StageChange",
  path: "/api/v1/lifecycle-stage-changes",
  scope: "lifecycle:read",
  summary: "List lifecycle stage changes",
  description: "Every stage change of the accounts the token may see, newest first.",
  from: sql`stage_changes r join accounts a on a.id = r.account_id join lifecycles l on l.id = r.lifecycle_id
    join lifecycle_stages ts on ts.id = r.to_stage_id left join lifecycle_stages fs on fs.id = r.from_stage_id left join users u on u.id = r.changed_by`,
  accountBound: true,
  fields: {
    id: { sql: sql`r.id`, schema: { type: "integer" } },
    accountId: uuidField(sql`r.account_id`),
    lifecycle: text(sql`l.key`),
    fromStage: text(sql`fs.key`, true),
    toStage: text(sql`ts.key`),
    changedByEmail: text(sql`u.email`, true),
    changedAt: time(sql`r.changed_at`),
  },
  key: [{ sql: sql`r.id`, type: "bigint" }],
  order: "desc",
  filters: {
    lifecycle: byText("Changes in the lifecycle with this key.", sql`l.key`),
    since: since("Changed at or after this time.", sql`r.changed_at`),
    until: until("Changed before this time.", sql`r.changed_at`),
  },
  one: true,
});

export const timelineRead = resource({
  name: "TimelineEntry",
  path: "/api/v1/timeline",
  scope: "activity:read",
  summary: "List timeline entries",
  description: "The accounts' history as one stream, newest first. Each entry keeps a snapshot of the record as it was; privileged values are never on the timeline.",
  from: sql`timeline_entries r join accounts a on a.id = r.account_id`,
  accountBound: true,
  fields: {
    id: { sql: sql`r.id`, schema: { type: "integer" } },
    accountId: uuidField(sql`r.account_id`),
    kind: oneOf(sql`r.kind`, TIMELINE_KINDS),
    refId: text(sql`r.ref_id`, true),
    actorId: uuidField(sql`r.actor_id`, true),
    title: text(sql`r.title`),
    snapshot: object(sql`r.snapshot`, "The record as it was when the entry was written."),
    occurredAt: time(sql`r.occurred_at`),
  },
  key: [{ sql: sql`r.id`, type: "bigint" }],
  order: "desc",
  filters: {
    kind: byEnum("Entries of this kind.", sql`r.kind`, TIMELINE_KINDS),
    since: since("Occurred at or after this time.", sql`r.occurred_at`),
    until: until("Occurred before this time.", sql`r.occurred_at`),
  },
  one: true,
});
