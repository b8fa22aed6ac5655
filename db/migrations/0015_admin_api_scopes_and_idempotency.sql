CREATE TABLE "api_idempotency_records" (
	"org_id" uuid NOT NULL,
	"api_key_id" uuid NOT NULL,
	"key" text NOT NULL,
	"operation" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" integer NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_idempotency_records_org_id_api_key_id_key_pk" PRIMARY KEY("org_id","api_key_id","key"),
	CONSTRAINT "api_idempotency_records_key_len" CHECK (char_length("api_idempotency_records"."key") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "scopes" text[] DEFAULT '{usage,read}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_idempotency_records" ADD CONSTRAINT "api_idempotency_records_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_idempotency_records" ADD CONSTRAINT "api_idempotency_records_org_id_api_key_id_api_keys_org_id_id_fk" FOREIGN KEY ("org_id","api_key_id") REFERENCES "public"."api_keys"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_scopes_known" CHECK (cardinality("api_keys"."scopes") >= 1 and "api_keys"."scopes" <@ array['usage','read','admin']::text[]);--> statement-breakpoint
-- R47: the new tenant table is isolated like every other (0003_row_level_security.sql).
ALTER TABLE "api_idempotency_records" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "api_idempotency_records" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "api_idempotency_records" USING (org_id = ledgerline_current_org()) WITH CHECK (org_id = ledgerline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT ON "api_idempotency_records" TO ledgerline_app;
--> statement-breakpoint
-- R44: the key lookup now answers the key's name (the audit actor) and scopes too. Its result
-- type changes, so it is dropped and made again, with the same narrow grant.
DROP FUNCTION ledgerline_api_key_by_hash(text);
--> statement-breakpoint
CREATE FUNCTION ledgerline_api_key_by_hash(p_hash text)
RETURNS TABLE (id uuid, org_id uuid, secret_hash text, revoked_at timestamptz, last_used_at timestamptz, name text, scopes text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.id, k.org_id, k.secret_hash, k.revoked_at, k.last_used_at, k.name, k.scopes FROM api_keys k WHERE k.secret_hash = p_hash
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_api_key_by_hash(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_api_key_by_hash(text) TO ledgerline_app;
--> statement-breakpoint
-- R44: `POST /api/v1/usage` needs the `usage` scope; a live key without it records nothing and
-- answers {"outcome": "insufficient_scope"} (403), in the same single round trip as before.
CREATE OR REPLACE FUNCTION ledgerline_ingest_usage(
  p_key_hash text,
  p_member_id uuid,
  p_member_email text,
  p_credits bigint,
  p_idempotency_key text,
  p_request_hash text,
  p_period text,
  p_recorded_at timestamptz
) RETURNS json
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE
  v_key record;
BEGIN
  SELECT k.id, k.org_id, k.scopes INTO v_key FROM ledgerline_api_key_by_hash(p_key_hash) k WHERE k.revoked_at IS NULL;
  IF NOT FOUND THEN
    RETURN json_build_object('outcome', 'unauthorized');
  END IF;
  IF NOT ('usage' = ANY (v_key.scopes)) THEN
    RETURN json_build_object('outcome', 'insufficient_scope', 'orgId', v_key.org_id, 'apiKeyId', v_key.id);
  END IF;
  RETURN json_build_object(
    'orgId', v_key.org_id,
    'apiKeyId', v_key.id,
    'result', ledgerline_record_usage(v_key.org_id, v_key.id, p_member_id, p_member_email, p_credits,
      p_idempotency_key, p_request_hash, p_period, p_recorded_at));
END
$$;
