CREATE TABLE "health_dirty" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "health_dirty_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_external_scores" (
	"account_id" uuid NOT NULL,
	"week_start" date NOT NULL,
	"score" real NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "health_external_scores_account_id_week_start_pk" PRIMARY KEY("account_id","week_start")
);
--> statement-breakpoint
CREATE TABLE "health_recomputes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scheme_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"weeks" integer NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"cursor_week" integer DEFAULT 1 NOT NULL,
	"cursor_account" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "health_scheme_versions" (
	"scheme_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "health_scheme_versions_scheme_id_version_pk" PRIMARY KEY("scheme_id","version")
);
--> statement-breakpoint
CREATE TABLE "health_sweep" (
	"id" integer PRIMARY KEY NOT NULL,
	"last_day" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "health_upsells" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "health_upsells_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"amount" numeric(14, 2),
	"source" text NOT NULL,
	"contract_id" uuid
);
--> statement-breakpoint
ALTER TABLE "health_schemes" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "health_schemes" ADD COLUMN "parent_scoring" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "health_schemes" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "health_snapshots" ADD COLUMN "source" text DEFAULT 'scheme' NOT NULL;--> statement-breakpoint
ALTER TABLE "health_snapshots" ADD COLUMN "scheme_version" integer;--> statement-breakpoint
ALTER TABLE "health_external_scores" ADD CONSTRAINT "health_external_scores_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_recomputes" ADD CONSTRAINT "health_recomputes_scheme_id_health_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."health_schemes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_scheme_versions" ADD CONSTRAINT "health_scheme_versions_scheme_id_health_schemes_id_fk" FOREIGN KEY ("scheme_id") REFERENCES "public"."health_schemes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_scheme_versions" ADD CONSTRAINT "health_scheme_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_upsells" ADD CONSTRAINT "health_upsells_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "health_upsells_account_idx" ON "health_upsells" USING btree ("account_id","occurred_at");--> statement-breakpoint
-- hand-written: rules of the old narrow kinds (written by earlier demo and large seeds) become the engine's kinds
UPDATE "health_dimensions" SET "rule" = CASE "rule"->>'kind'
	WHEN 'usage_trend' THEN jsonb_build_object('kind', 'usage', 'measure', 'events', 'days', coalesce(("rule"->>'windowDays')::int, 30), 'basis', 'trend', 'poor', 70, 'good', 100)
	WHEN 'touchpoint_recency' THEN jsonb_build_object('kind', 'engagement', 'measure', 'days_since', 'touchpointTypes', jsonb_build_array('call', 'meeting', 'qbr', 'email'), 'poor', 2 * coalesce(("rule"->>'days')::int, 30), 'good', coalesce(("rule"->>'days')::int, 30))
	WHEN 'open_tickets' THEN jsonb_build_object('kind', 'support', 'measure', 'open', 'days', 30, 'poor', coalesce(("rule"->>'max')::int, 5), 'good', 1)
	WHEN 'survey_score' THEN CASE WHEN "rule"->>'survey' = 'csat'
		THEN jsonb_build_object('kind', 'sentiment', 'survey', 'csat', 'measure', 'average', 'days', 365, 'poor', 3, 'good', 4)
		ELSE jsonb_build_object('kind', 'sentiment', 'survey', 'nps', 'measure', 'average', 'days', 365, 'poor', 0, 'good', 30) END
	ELSE "rule" END
WHERE "rule"->>'kind' IN ('usage_trend', 'touchpoint_recency', 'open_tickets', 'survey_score');--> statement-breakpoint
DELETE FROM "health_dimensions" WHERE "rule"->>'kind' = 'manual';--> statement-breakpoint
INSERT INTO "health_scheme_versions" ("scheme_id", "version", "definition")
SELECT s."id", s."version", jsonb_build_object('poorBelow', s."poor_below", 'goodFrom', s."good_from", 'parentScoring', s."parent_scoring",
	'dimensions', coalesce((SELECT jsonb_agg(jsonb_build_object('key', d."key", 'label', d."label", 'weight', d."weight", 'rule', d."rule") ORDER BY d."position") FROM "health_dimensions" d WHERE d."scheme_id" = s."id"), '[]'::jsonb))
FROM "health_schemes" s ON CONFLICT DO NOTHING;--> statement-breakpoint
-- the daily re-score of every account starts tomorrow: today's snapshots are those already stored
INSERT INTO "health_sweep" ("id", "last_day") VALUES (1, current_date) ON CONFLICT DO NOTHING;
