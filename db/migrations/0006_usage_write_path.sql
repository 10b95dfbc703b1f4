ALTER TABLE "usage_daily" DROP CONSTRAINT "usage_daily_module_id_usage_modules_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_module_id_usage_modules_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_activity_id_usage_activities_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_rollup_daily" DROP CONSTRAINT "usage_rollup_daily_module_id_usage_modules_id_fk";
--> statement-breakpoint
DROP INDEX "usage_daily_account_day_idx";--> statement-breakpoint
DROP INDEX "usage_rollup_daily_day_idx";--> statement-breakpoint
-- Ingestion adds to existing rows of these two tables in place; free room on each page lets most of
-- those updates stay heap-only (no index writes). Applies to pages written from now on.
ALTER TABLE "usage_daily" SET (fillfactor = 80);
--> statement-breakpoint
ALTER TABLE "usage_rollup_daily" SET (fillfactor = 80);
