CREATE TABLE "usage_drop_sweep" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"day" date NOT NULL,
	"cursor" uuid,
	"finished" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_drops" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"dropped_on" date NOT NULL,
	"recent_events" bigint NOT NULL,
	"baseline_weekly" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "usage_drops" ADD CONSTRAINT "usage_drops_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stage_changes_changed_at_idx" ON "stage_changes" USING btree ("changed_at");