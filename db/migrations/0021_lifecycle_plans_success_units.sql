CREATE TABLE "success_unit_changes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "success_unit_changes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"module_id" uuid NOT NULL,
	"from_colour" text,
	"to_colour" text,
	"active_users" integer,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "success_unit_queue" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "success_unit_rollups" (
	"account_id" uuid PRIMARY KEY NOT NULL,
	"red" integer DEFAULT 0 NOT NULL,
	"amber" integer DEFAULT 0 NOT NULL,
	"green" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "success_unit_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"swept_on" text
);
--> statement-breakpoint
CREATE TABLE "success_unit_thresholds" (
	"module_id" uuid PRIMARY KEY NOT NULL,
	"amber_min" integer NOT NULL,
	"green_min" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "success_units" (
	"account_id" uuid NOT NULL,
	"module_id" uuid NOT NULL,
	"colour" text NOT NULL,
	"active_users" integer NOT NULL,
	"since" timestamp with time zone DEFAULT now() NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "success_units_account_id_module_id_pk" PRIMARY KEY("account_id","module_id")
);
--> statement-breakpoint
ALTER TABLE "stage_changes" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "stage_changes" ADD COLUMN "source" text DEFAULT 'app' NOT NULL;--> statement-breakpoint
ALTER TABLE "objectives" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "success_plans" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "success_unit_changes" ADD CONSTRAINT "success_unit_changes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_unit_changes" ADD CONSTRAINT "success_unit_changes_module_id_usage_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."usage_modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_unit_queue" ADD CONSTRAINT "success_unit_queue_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_unit_rollups" ADD CONSTRAINT "success_unit_rollups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_unit_thresholds" ADD CONSTRAINT "success_unit_thresholds_module_id_usage_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."usage_modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_unit_thresholds" ADD CONSTRAINT "success_unit_thresholds_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_units" ADD CONSTRAINT "success_units_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "success_units" ADD CONSTRAINT "success_units_module_id_usage_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."usage_modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "success_unit_changes_account_idx" ON "success_unit_changes" USING btree ("account_id","changed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tasks_objective_idx" ON "tasks" USING btree ("objective_id");