import "server-only";
import { sql } from "drizzle-orm";
import { healthBand, timelineKind } from "@/db/schema";
import { accountRecords, byEnum, byText, fromDay, object, since, text, toDay, until, type Column } from "./define";

/*
 * What changes over time: health (current and weekly), lifecycle stages (current and changes) and
 * the timeline. History is append-only in the product, so these are read-only in the API.
 */

// The schema's own enums: a kind added there is readable (and documented) here at once.
const BANDS = healthBand.enumValues;
const TIMELINE_KINDS = timelineKind.enumValues;

const healthColumns: Record<string, Column> = {
  accountId: "uuid", weekStart: "day", score: "num", band: BANDS, dimensions: object(sql`r.dimensions`, "Score and band by dimension key."),
  upsell: "bool", upsellAmount: "num?", computedAt: "time",
};

export const healthRead = accountRecords({
  name: "Health", path: "/api/v1/health", scope: "health:read",
  table: "(select distinct on (account_id) * from health_snapshots order by account_id, week_start desc)",
  doc: ["List current health", "The latest weekly health snapshot of each account the token may see; GET /api/v1/health/{accountId} reads one account's."],
  columns: healthColumns,
  key: [{ sql: sql`r.account_id`, type: "uuid" }],
  filters: { band: byEnum("Accounts in this health band.", sql`r.band`, BANDS) },
});

export const healthHistoryRead = accountRecords({
  name: "HealthSnapshot", path: "/api/v1/health-snapshots", scope: "health:read", table: "health_snapshots",
  doc: ["List weekly health history", "One health snapshot per account and ISO week (Monday), by account then week."],
  columns: healthColumns,
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.week_start`, type: "date" },
  ],
  filters: {
    band: byEnum("Snapshots in this health band.", sql`r.band`, BANDS),
    weekFrom: fromDay("Weeks starting on or after this date.", sql`r.week_start`),
    weekTo: toDay("Weeks starting on or before this date.", sql`r.week_start`),
  },
});

export const lifecycleStagesRead = accountRecords({
  name: "LifecycleStage", path: "/api/v1/lifecycle-stages", scope: "lifecycle:read", table: "account_stages",
  joins: "join lifecycles l on l.id = r.lifecycle_id join lifecycle_stages s on s.id = r.stage_id",
  doc: ["List current lifecycle stages", "The stage each account the token may see is at, in each lifecycle, since when."],
  columns: { accountId: "uuid", lifecycle: text(sql`l.key`), lifecycleName: text(sql`l.name`), stage: text(sql`s.key`), stageName: text(sql`s.name`), since: "time" },
  key: [
    { sql: sql`r.account_id`, type: "uuid" },
    { sql: sql`r.lifecycle_id`, type: "uuid" },
  ],
  filters: { lifecycle: byText("Stages in the lifecycle with this key.", sql`l.key`), stage: byText("Accounts at the stage with this key.", sql`s.key`) },
});

export const stageChangesRead = accountRecords({
  name: "StageChange", path: "/api/v1/lifecycle-stage-changes", scope: "lifecycle:read", table: "stage_changes",
  joins: "join lifecycles l on l.id = r.lifecycle_id join lifecycle_stages ts on ts.id = r.to_stage_id left join lifecycle_stages fs on fs.id = r.from_stage_id left join users u on u.id = r.changed_by",
  doc: ["List lifecycle stage changes", "Every stage change of the accounts the token may see, newest first."],
  columns: { id: "bigint", accountId: "uuid", lifecycle: text(sql`l.key`), fromStage: text(sql`fs.key`, true), toStage: text(sql`ts.key`), changedByEmail: text(sql`u.email`, true), changedAt: "time" },
  key: [{ sql: sql`r.id`, type: "bigint" }],
  order: "desc",
  filters: {
    lifecycle: byText("Changes in the lifecycle with this key.", sql`l.key`),
    since: since("Changed at or after this time.", sql`r.changed_at`),
    until: until("Changed before this time.", sql`r.changed_at`),
  },
});

export const timelineRead = accountRecords({
  name: "TimelineEntry", path: "/api/v1/timeline", scope: "activity:read", table: "timeline_entries",
  doc: ["List timeline entries", "The accounts' history as one stream, newest first. Each entry keeps a snapshot of the record as it was; privileged values are never on the timeline."],
  columns: {
    id: "bigint", accountId: "uuid", kind: TIMELINE_KINDS, refId: "text?", actorId: "uuid?", title: "text",
    snapshot: object(sql`r.snapshot`, "The record as it was when the entry was written."), occurredAt: "time",
  },
  key: [{ sql: sql`r.id`, type: "bigint" }],
  order: "desc",
  filters: {
    kind: byEnum("Entries of this kind.", sql`r.kind`, TIMELINE_KINDS),
    since: since("Occurred at or after this time.", sql`r.occurred_at`),
    until: until("Occurred before this time.", sql`r.occurred_at`),
  },
});
