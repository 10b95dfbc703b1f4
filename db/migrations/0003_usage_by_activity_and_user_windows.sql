-- usage_rollup_daily is keyed by activity instead of module; its rows are derived data, so they
-- are emptied and recomputed from usage_daily below (the same statement as rebuildAllRollups).
DELETE FROM "usage_rollup_daily";--> statement-breakpoint
ALTER TABLE "usage_rollup_daily" DROP CONSTRAINT "usage_rollup_daily_account_id_day_module_id_pk";--> statement-breakpoint
ALTER TABLE "usage_rollup_daily" ADD COLUMN "activity_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollup_daily" ADD CONSTRAINT "usage_rollup_daily_account_id_day_activity_id_pk" PRIMARY KEY("account_id","day","activity_id");--> statement-breakpoint
ALTER TABLE "usage_rollup_daily" ADD CONSTRAINT "usage_rollup_daily_activity_id_usage_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."usage_activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "usage_user_windows" (
	"account_id" uuid NOT NULL,
	"period_days" smallint NOT NULL,
	"contact_id" uuid NOT NULL,
	"events" bigint NOT NULL,
	"last_day" date NOT NULL,
	CONSTRAINT "usage_user_windows_account_id_period_days_contact_id_pk" PRIMARY KEY("account_id","period_days","contact_id")
);
--> statement-breakpoint
CREATE TABLE "usage_window_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"as_of" date NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_user_windows" ADD CONSTRAINT "usage_user_windows_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "usage_user_windows_top_idx" ON "usage_user_windows" USING btree ("account_id","period_days","events" DESC NULLS LAST);--> statement-breakpoint
INSERT INTO "usage_rollup_daily" ("account_id", "day", "activity_id", "module_id", "events")
SELECT c.ancestor_id, o.day, o.activity_id, o.module_id, sum(o.events)
FROM (
  SELECT u.account_id, u.day, u.activity_id, u.module_id, sum(u.events) AS events
  FROM usage_daily u JOIN accounts d ON d.id = u.account_id AND d.archived_at IS NULL
  GROUP BY u.account_id, u.day, u.activity_id, u.module_id
) o JOIN account_closure c ON c.descendant_id = o.account_id
GROUP BY c.ancestor_id, o.day, o.activity_id, o.module_id;--> statement-breakpoint
INSERT INTO "usage_window_state" ("id", "as_of") VALUES (1, (now() AT TIME ZONE 'UTC')::date);--> statement-breakpoint
INSERT INTO "usage_user_windows" ("account_id", "period_days", "contact_id", "events", "last_day")
SELECT c.ancestor_id, p.days, o.contact_id, sum(o.events), max(o.day)
FROM (VALUES (7), (30), (90)) AS p(days)
JOIN (
  SELECT u.account_id, u.contact_id, u.day, sum(u.events) AS events
  FROM usage_daily u JOIN accounts d ON d.id = u.account_id AND d.archived_at IS NULL
  WHERE u.contact_id <> '00000000-0000-0000-0000-000000000000'
    AND u.day > (now() AT TIME ZONE 'UTC')::date - 90 AND u.day <= (now() AT TIME ZONE 'UTC')::date
  GROUP BY u.account_id, u.contact_id, u.day
) o ON o.day > (now() AT TIME ZONE 'UTC')::date - p.days
JOIN account_closure c ON c.descendant_id = o.account_id
GROUP BY c.ancestor_id, p.days, o.contact_id;
