DROP INDEX "usage_user_windows_top_idx";--> statement-breakpoint
-- Room on each page for heap-only updates of the windows (most updates leave "bucket" unchanged);
-- set before the column is added, so the rewrite that adding it causes already leaves the room.
ALTER TABLE "usage_user_windows" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "usage_user_windows" ADD COLUMN "bucket" smallint GENERATED ALWAYS AS (floor(ln(greatest(events, 1)) / ln(1.1))::smallint) STORED;--> statement-breakpoint
CREATE INDEX "usage_user_windows_top_idx" ON "usage_user_windows" USING btree ("account_id","period_days","bucket" DESC NULLS LAST);
