ALTER TYPE "public"."attribute_data_type" ADD VALUE 'long_text';--> statement-breakpoint
ALTER TYPE "public"."attribute_data_type" ADD VALUE 'percent';--> statement-breakpoint
ALTER TYPE "public"."attribute_data_type" ADD VALUE 'multi_select';--> statement-breakpoint
ALTER TYPE "public"."attribute_data_type" ADD VALUE 'user';--> statement-breakpoint
CREATE TABLE "usage_activity_aliases" (
	"module_key" text NOT NULL,
	"activity_key" text NOT NULL,
	"activity_id" uuid NOT NULL,
	CONSTRAINT "usage_activity_aliases_module_key_activity_key_pk" PRIMARY KEY("module_key","activity_key")
);
--> statement-breakpoint
ALTER TABLE "lifecycle_stages" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "usage_activities" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_modules" ADD COLUMN "hidden" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_modules" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_activity_aliases" ADD CONSTRAINT "usage_activity_aliases_activity_id_usage_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."usage_activities"("id") ON DELETE cascade ON UPDATE no action;