CREATE TABLE "attribute_rollups" (
	"account_id" uuid NOT NULL,
	"source_key" text NOT NULL,
	"own_present" boolean DEFAULT false NOT NULL,
	"own_number" numeric,
	"count_below" integer DEFAULT 0 NOT NULL,
	"numbers_below" integer DEFAULT 0 NOT NULL,
	"sum_below" numeric DEFAULT '0' NOT NULL,
	"min_below" numeric,
	"max_below" numeric,
	CONSTRAINT "attribute_rollups_account_id_source_key_pk" PRIMARY KEY("account_id","source_key")
);
--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_mrr" numeric(16, 2) DEFAULT '0' NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_open_tickets" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_urgent_tickets" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_nps_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_nps_promoters" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_nps_detractors" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_csat_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_csat_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "account_rollups" ADD COLUMN "own_health" "health_band";--> statement-breakpoint
ALTER TABLE "attribute_rollups" ADD CONSTRAINT "attribute_rollups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill for databases seeded before this migration: each rollup row's own numbers, from raw data
-- (the same definitions as lib/rollups/rebuild.ts), so incremental upkeep starts from the truth.
UPDATE "account_rollups" r SET
  "own_mrr" = coalesce(
    (select round((v.value #>> '{}')::numeric, 2) from attribute_values v
       join attribute_definitions d on d.id = v.attribute_id
      where v.account_id = r.account_id and d.key = 'mrr_override' and v.value is not null
        and jsonb_typeof(v.value) = 'number'
      limit 1),
    (select sum(c.mrr) from contracts c where c.account_id = r.account_id and c.active and not c.excluded),
    0),
  "own_open_tickets" = (select count(*) from support_tickets t where t.account_id = r.account_id and t.status in ('new', 'open', 'pending')),
  "own_urgent_tickets" = (select count(*) from support_tickets t where t.account_id = r.account_id and t.status in ('new', 'open', 'pending') and t.priority = 'urgent'),
  "own_nps_count" = (select count(*) from survey_responses s where s.account_id = r.account_id and s.kind = 'nps'),
  "own_nps_promoters" = (select count(*) from survey_responses s where s.account_id = r.account_id and s.kind = 'nps' and s.score >= 9),
  "own_nps_detractors" = (select count(*) from survey_responses s where s.account_id = r.account_id and s.kind = 'nps' and s.score <= 6),
  "own_csat_count" = (select count(*) from survey_responses s where s.account_id = r.account_id and s.kind = 'csat'),
  "own_csat_sum" = (select coalesce(sum(s.score), 0) from survey_responses s where s.account_id = r.account_id and s.kind = 'csat'),
  "own_health" = (select h.band from health_snapshots h where h.account_id = r.account_id order by h.week_start desc limit 1);
--> statement-breakpoint
INSERT INTO "attribute_rollups" ("account_id", "source_key", "own_present", "own_number", "count_below", "numbers_below", "sum_below", "min_below", "max_below")
WITH tracked AS (
  SELECT DISTINCT rollup_source_key AS key FROM attribute_definitions
  WHERE rollup_rule <> 'none' AND rollup_source_key IS NOT NULL AND deleted_at IS NULL
),
own AS (
  SELECT v.account_id, d.key AS source_key,
    (CASE
      WHEN jsonb_typeof(v.value) = 'number' THEN (v.value #>> '{}')::numeric
      WHEN jsonb_typeof(v.value) = 'string' AND btrim(v.value #>> '{}') ~ '^-?[0-9]+(\.[0-9]+)?$' THEN btrim(v.value #>> '{}')::numeric
    END) AS num
  FROM attribute_values v
  JOIN attribute_definitions d ON d.id = v.attribute_id
  JOIN accounts a ON a.id = v.account_id AND a.type_id = d.account_type_id AND a.archived_at IS NULL
  WHERE d.rollup_rule = 'none' AND d.deleted_at IS NULL AND d.key IN (SELECT key FROM tracked)
    AND v.value IS NOT NULL AND jsonb_typeof(v.value) <> 'null' AND v.value <> '""'::jsonb AND v.value <> '[]'::jsonb
)
SELECT c.ancestor_id, o.source_key,
  coalesce(bool_or(true) FILTER (WHERE c.distance = 0), false),
  max(o.num) FILTER (WHERE c.distance = 0),
  count(*) FILTER (WHERE c.distance > 0),
  count(o.num) FILTER (WHERE c.distance > 0),
  coalesce(sum(o.num) FILTER (WHERE c.distance > 0), 0),
  min(o.num) FILTER (WHERE c.distance > 0),
  max(o.num) FILTER (WHERE c.distance > 0)
FROM own o
JOIN account_closure c ON c.descendant_id = o.account_id
JOIN accounts anc ON anc.id = c.ancestor_id AND anc.archived_at IS NULL
GROUP BY c.ancestor_id, o.source_key;
