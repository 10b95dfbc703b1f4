ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_account_id_accounts_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_events" DROP CONSTRAINT "usage_events_contact_id_contacts_id_fk";
