ALTER TYPE "public"."timeline_kind" ADD VALUE 'revenue';--> statement-breakpoint
ALTER TYPE "public"."timeline_kind" ADD VALUE 'collection_record';