ALTER TYPE "public"."timeline_kind" ADD VALUE 'assignment';--> statement-breakpoint
CREATE TABLE "assignment_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assignment_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assigned_by" uuid,
	"unassigned_at" timestamp with time zone,
	"unassigned_by" uuid
);
--> statement-breakpoint
CREATE TABLE "assignment_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"grants_privileged" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "archived_by" uuid;--> statement-breakpoint
ALTER TABLE "assignment_history" ADD CONSTRAINT "assignment_history_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_history" ADD CONSTRAINT "assignment_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_history" ADD CONSTRAINT "assignment_history_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_history" ADD CONSTRAINT "assignment_history_unassigned_by_users_id_fk" FOREIGN KEY ("unassigned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_history_account_idx" ON "assignment_history" USING btree ("account_id","assigned_at");--> statement-breakpoint
CREATE INDEX "assignment_history_user_idx" ON "assignment_history" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assignment_roles_name_key" ON "assignment_roles" USING btree ("name");--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_archived_by_users_id_fk" FOREIGN KEY ("archived_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- hand-written: the usual roles, then every role text already in use (kept granting privileged
-- attributes, as every assignment did before roles had a flag), then the history of current assignments.
INSERT INTO "assignment_roles" ("name", "grants_privileged", "position") VALUES
	('CSM', true, 1), ('AE', true, 2), ('SE', false, 3), ('Support manager', false, 4),
	('Executive sponsor', true, 5), ('Account owner', true, 6)
	ON CONFLICT ("name") DO NOTHING;--> statement-breakpoint
INSERT INTO "assignment_roles" ("name", "grants_privileged", "position")
	SELECT r.role, true, 100 + row_number() OVER (ORDER BY r.role) FROM (SELECT DISTINCT "role" FROM "assignments") r
	ON CONFLICT ("name") DO NOTHING;--> statement-breakpoint
INSERT INTO "assignment_history" ("account_id", "user_id", "role", "assigned_at")
	SELECT "account_id", "user_id", "role", "assigned_at" FROM "assignments";
