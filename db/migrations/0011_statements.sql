-- Issue 14 (R39): recipients for every billing group (Unassigned included) and the statement
-- deliveries. The first release's two placeholder tables were never written to: they are replaced
-- (a group id that may be null for Unassigned, emails unique in any case, a delivery log).
DROP TABLE "bill_deliveries" CASCADE;--> statement-breakpoint
DROP TABLE "billing_group_recipients" CASCADE;--> statement-breakpoint
CREATE TABLE "billing_group_recipients" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"billing_group_id" uuid,
	"email" text NOT NULL,
	"email_key" text GENERATED ALWAYS AS (lower(email)) STORED NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_group_recipients_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "billing_group_recipients_email_key" UNIQUE NULLS NOT DISTINCT("org_id","billing_group_id","email_key"),
	CONSTRAINT "billing_group_recipients_email_len" CHECK (char_length("billing_group_recipients"."email") between 3 and 254)
);
--> statement-breakpoint
CREATE TABLE "statement_deliveries" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"billing_group_id" uuid,
	"billing_group_name" text NOT NULL,
	"period" text NOT NULL,
	"email" text NOT NULL,
	"email_key" text GENERATED ALWAYS AS (lower(email)) STORED NOT NULL,
	"request_id" uuid,
	"requested_by" uuid,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statement_deliveries_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "statement_deliveries_once_key" UNIQUE NULLS NOT DISTINCT("org_id","billing_group_id","period","email_key","request_id"),
	CONSTRAINT "statement_deliveries_status" CHECK ("statement_deliveries"."status" in ('queued', 'sent', 'retrying', 'failed')),
	CONSTRAINT "statement_deliveries_period" CHECK ("statement_deliveries"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "statement_period_closes" (
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"deliveries" integer NOT NULL,
	CONSTRAINT "statement_period_closes_org_id_period_pk" PRIMARY KEY("org_id","period")
);
--> statement-breakpoint
ALTER TABLE "billing_group_recipients" ADD CONSTRAINT "billing_group_recipients_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_recipients" ADD CONSTRAINT "billing_group_recipients_billing_group_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_recipients" ADD CONSTRAINT "billing_group_recipients_created_by_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_deliveries" ADD CONSTRAINT "statement_deliveries_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_deliveries" ADD CONSTRAINT "statement_deliveries_billing_group_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_deliveries" ADD CONSTRAINT "statement_deliveries_requested_by_fk" FOREIGN KEY ("org_id","requested_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_period_closes" ADD CONSTRAINT "statement_period_closes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statement_deliveries_group_idx" ON "statement_deliveries" USING btree ("org_id","billing_group_id","created_at");--> statement-breakpoint
CREATE INDEX "statement_deliveries_due_idx" ON "statement_deliveries" USING btree ("next_attempt_at") WHERE "statement_deliveries"."status" in ('queued', 'retrying');
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['billing_group_recipients', 'statement_deliveries', 'statement_period_closes']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (org_id = ledgerline_current_org()) WITH CHECK (org_id = ledgerline_current_org())', t);
  END LOOP;
END $$;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON billing_group_recipients TO ledgerline_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON statement_deliveries TO ledgerline_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON statement_period_closes TO ledgerline_app;
--> statement-breakpoint
-- The job runner works for every organization, but the runtime role sees one org per transaction.
-- These two answer only what it needs to know before it picks an org: which orgs have not had
-- the given period closed yet, and which orgs have statement deliveries due. Each returns ids only.
CREATE OR REPLACE FUNCTION ledgerline_orgs_awaiting_statement_close(p_period text)
RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT o.id FROM organizations o
  WHERE NOT EXISTS (SELECT 1 FROM statement_period_closes c WHERE c.org_id = o.id AND c.period = p_period)
  ORDER BY o.id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION ledgerline_statement_deliveries_due(p_now timestamptz)
RETURNS TABLE (org_id uuid, billing_group_id uuid, period text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT DISTINCT d.org_id, d.billing_group_id, d.period FROM statement_deliveries d
  WHERE (d.status = 'queued' OR (d.status = 'retrying' AND d.next_attempt_at <= p_now))
    AND (d.lease_until IS NULL OR d.lease_until <= p_now)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ledgerline_orgs_awaiting_statement_close(text), ledgerline_statement_deliveries_due(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ledgerline_orgs_awaiting_statement_close(text), ledgerline_statement_deliveries_due(timestamptz) TO ledgerline_app;
