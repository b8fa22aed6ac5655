CREATE TYPE "public"."member_role" AS ENUM('admin', 'billing_admin', 'member');--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"billing_group_cap" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "members" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"role" "member_role" DEFAULT 'member' NOT NULL,
	"personal_limit" bigint,
	"billing_group_id" uuid,
	"password_hash" text,
	"deactivated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "members_personal_limit_nonneg" CHECK ("members"."personal_limit" is null or "members"."personal_limit" >= 0),
	CONSTRAINT "members_name_len" CHECK (char_length("members"."name") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "bill_deliveries" (
	"org_id" uuid NOT NULL,
	"billing_group_id" uuid NOT NULL,
	"period" text NOT NULL,
	"email" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bill_deliveries_org_id_billing_group_id_period_email_pk" PRIMARY KEY("org_id","billing_group_id","period","email")
);
--> statement-breakpoint
CREATE TABLE "billing_group_recipients" (
	"org_id" uuid NOT NULL,
	"billing_group_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_group_recipients_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "billing_group_viewers" (
	"org_id" uuid NOT NULL,
	"billing_group_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"granted_by" uuid,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_group_viewers_org_id_billing_group_id_member_id_pk" PRIMARY KEY("org_id","billing_group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "billing_groups" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"period_limit" bigint,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_by" uuid,
	CONSTRAINT "billing_groups_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "billing_groups_name_len" CHECK (char_length("billing_groups"."name") between 1 and 100),
	CONSTRAINT "billing_groups_description_len" CHECK (char_length("billing_groups"."description") <= 500),
	CONSTRAINT "billing_groups_name_not_reserved" CHECK (lower("billing_groups"."name") <> 'unassigned'),
	CONSTRAINT "billing_groups_period_limit_positive" CHECK ("billing_groups"."period_limit" is null or "billing_groups"."period_limit" > 0)
);
--> statement-breakpoint
CREATE TABLE "group_memberships" (
	"org_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_memberships_org_id_group_id_member_id_pk" PRIMARY KEY("org_id","group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "groups_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "groups_name_len" CHECK (char_length("groups"."name") between 1 and 100),
	CONSTRAINT "groups_description_len" CHECK (char_length("groups"."description") <= 500)
);
--> statement-breakpoint
CREATE TABLE "group_period_usage" (
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"billing_group_id" uuid,
	"credits" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "group_period_usage_key" UNIQUE NULLS NOT DISTINCT("org_id","period","billing_group_id"),
	CONSTRAINT "group_period_usage_credits_nonneg" CHECK ("group_period_usage"."credits" >= 0)
);
--> statement-breakpoint
CREATE TABLE "idempotency_records" (
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"event_id" uuid NOT NULL,
	"response" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_records_org_id_key_pk" PRIMARY KEY("org_id","key"),
	CONSTRAINT "idempotency_records_key_len" CHECK (char_length("idempotency_records"."key") between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "member_group_period_usage" (
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"member_id" uuid NOT NULL,
	"billing_group_id" uuid,
	"credits" bigint DEFAULT 0 NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "member_group_period_usage_key" UNIQUE NULLS NOT DISTINCT("org_id","period","billing_group_id","member_id"),
	CONSTRAINT "member_group_period_usage_credits_nonneg" CHECK ("member_group_period_usage"."credits" >= 0)
);
--> statement-breakpoint
CREATE TABLE "member_period_usage" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"period" text NOT NULL,
	"credits" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "member_period_usage_org_id_member_id_period_pk" PRIMARY KEY("org_id","member_id","period"),
	CONSTRAINT "member_period_usage_credits_nonneg" CHECK ("member_period_usage"."credits" >= 0)
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"billing_group_id" uuid,
	"period" text NOT NULL,
	"credits" bigint NOT NULL,
	"api_key_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_events_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "usage_events_credits_positive" CHECK ("usage_events"."credits" > 0),
	CONSTRAINT "usage_events_period_format" CHECK ("usage_events"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "api_keys_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"target_label" text DEFAULT '' NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_billing_group_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_deliveries" ADD CONSTRAINT "bill_deliveries_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill_deliveries" ADD CONSTRAINT "bill_deliveries_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_recipients" ADD CONSTRAINT "billing_group_recipients_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_recipients" ADD CONSTRAINT "billing_group_recipients_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_viewers" ADD CONSTRAINT "billing_group_viewers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_viewers" ADD CONSTRAINT "billing_group_viewers_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_viewers" ADD CONSTRAINT "billing_group_viewers_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_group_viewers" ADD CONSTRAINT "billing_group_viewers_org_id_granted_by_members_org_id_id_fk" FOREIGN KEY ("org_id","granted_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_groups" ADD CONSTRAINT "billing_groups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_groups" ADD CONSTRAINT "billing_groups_created_by_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_groups" ADD CONSTRAINT "billing_groups_deleted_by_fk" FOREIGN KEY ("org_id","deleted_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_org_id_group_id_groups_org_id_id_fk" FOREIGN KEY ("org_id","group_id") REFERENCES "public"."groups"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_memberships" ADD CONSTRAINT "group_memberships_org_id_added_by_members_org_id_id_fk" FOREIGN KEY ("org_id","added_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_org_id_created_by_members_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_period_usage" ADD CONSTRAINT "group_period_usage_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_period_usage" ADD CONSTRAINT "group_period_usage_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_records" ADD CONSTRAINT "idempotency_records_org_id_event_id_usage_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."usage_events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_group_period_usage" ADD CONSTRAINT "member_group_period_usage_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_group_period_usage" ADD CONSTRAINT "member_group_period_usage_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_group_period_usage" ADD CONSTRAINT "member_group_period_usage_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_period_usage" ADD CONSTRAINT "member_period_usage_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_period_usage" ADD CONSTRAINT "member_period_usage_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_org_id_billing_group_id_billing_groups_org_id_id_fk" FOREIGN KEY ("org_id","billing_group_id") REFERENCES "public"."billing_groups"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_events" ADD CONSTRAINT "usage_events_org_id_api_key_id_api_keys_org_id_id_fk" FOREIGN KEY ("org_id","api_key_id") REFERENCES "public"."api_keys"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_created_by_members_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_org_id_revoked_by_members_org_id_id_fk" FOREIGN KEY ("org_id","revoked_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_org_id_actor_id_members_org_id_id_fk" FOREIGN KEY ("org_id","actor_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "members_org_email_key" ON "members" USING btree ("org_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "members_signin_email_key" ON "members" USING btree (lower("email")) WHERE "members"."password_hash" is not null;--> statement-breakpoint
CREATE INDEX "members_org_billing_group_idx" ON "members" USING btree ("org_id","billing_group_id");--> statement-breakpoint
CREATE INDEX "members_org_name_idx" ON "members" USING btree ("org_id","name","id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_group_recipients_email_key" ON "billing_group_recipients" USING btree ("org_id","billing_group_id",lower("email"));--> statement-breakpoint
CREATE INDEX "billing_group_viewers_member_idx" ON "billing_group_viewers" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_groups_org_live_name_key" ON "billing_groups" USING btree ("org_id",lower("name")) WHERE "billing_groups"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "billing_groups_org_created_idx" ON "billing_groups" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "group_memberships_member_idx" ON "group_memberships" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_org_name_key" ON "groups" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE INDEX "member_group_period_usage_member_idx" ON "member_group_period_usage" USING btree ("org_id","member_id","period");--> statement-breakpoint
CREATE INDEX "member_period_usage_period_idx" ON "member_period_usage" USING btree ("org_id","period");--> statement-breakpoint
CREATE INDEX "usage_events_group_period_idx" ON "usage_events" USING btree ("org_id","period","billing_group_id","recorded_at");--> statement-breakpoint
CREATE INDEX "usage_events_member_period_idx" ON "usage_events" USING btree ("org_id","member_id","period","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "api_keys" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "audit_log_org_created_idx" ON "audit_log" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_org_actor_idx" ON "audit_log" USING btree ("org_id","actor_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_org_action_idx" ON "audit_log" USING btree ("org_id","action","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_org_target_idx" ON "audit_log" USING btree ("org_id","target_type","target_id");