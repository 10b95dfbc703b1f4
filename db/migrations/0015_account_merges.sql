CREATE TABLE "account_merges" (
	"merged_account_id" uuid PRIMARY KEY NOT NULL,
	"kept_account_id" uuid NOT NULL,
	"merged_name" text NOT NULL,
	"merged_at" timestamp with time zone DEFAULT now() NOT NULL,
	"merged_by" uuid
);
--> statement-breakpoint
ALTER TABLE "account_merges" ADD CONSTRAINT "account_merges_kept_account_id_accounts_id_fk" FOREIGN KEY ("kept_account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account_merges" ADD CONSTRAINT "account_merges_merged_by_users_id_fk" FOREIGN KEY ("merged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_merges_kept_idx" ON "account_merges" USING btree ("kept_account_id");