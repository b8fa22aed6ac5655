-- R43 (issue 16): the Audit Log's Import filter. Only entries written by a Members import carry
-- after.importId; the partial expression index finds one import's entries newest first.
CREATE INDEX "audit_log_org_import_idx" ON "audit_log" USING btree ("org_id",("after" ->> 'importId'),"created_at") WHERE ("audit_log"."after" ->> 'importId') is not null;