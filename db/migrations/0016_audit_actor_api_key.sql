-- R44 (issue 17): an admin API change is audited under the key's name; the key's id lets the
-- Audit Log's Actor filter pick it. Keys are never deleted (only revoked), so the link stays.
ALTER TABLE "audit_log" ADD COLUMN "actor_api_key_id" uuid;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_org_id_actor_api_key_id_api_keys_org_id_id_fk" FOREIGN KEY ("org_id","actor_api_key_id") REFERENCES "public"."api_keys"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_org_actor_key_idx" ON "audit_log" USING btree ("org_id","actor_api_key_id","created_at") WHERE "audit_log"."actor_api_key_id" is not null;