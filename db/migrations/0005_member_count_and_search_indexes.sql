-- Trigram operator classes for the Members search indexes (pg_trgm is a trusted contrib extension).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "members_active_billing_group_idx" ON "members" USING btree ("org_id","billing_group_id") WHERE "members"."deactivated_at" is null;--> statement-breakpoint
CREATE INDEX "members_name_trgm_idx" ON "members" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "members_email_trgm_idx" ON "members" USING gin ("email" gin_trgm_ops);