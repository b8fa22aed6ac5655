import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Transaction } from "@/db";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { assertRole, limitText, type MemberActor, memberLabel } from "@/lib/members/service";
import { diffImport, type ImportDiff, importFingerprintSource, type ImportPreview, type ImportResult } from "./diff";
import type { ImportRow } from "./file";
import { loadImportState } from "./queries";

type Scope = { orgId: string; actor: MemberActor };

export class StaleImportError extends DomainError {
  constructor() {
    super(
      "stale_write",
      "Members or billing groups changed since the preview, so nothing was applied. The preview has been recomputed: check it and press Apply again.",
    );
  }
}

function fingerprintOf(diff: ImportDiff): string {
  return createHash("sha256").update(importFingerprintSource(diff)).digest("hex");
}

function previewOf(diff: ImportDiff): ImportPreview {
  return { rows: diff.rows, totals: diff.totals, changes: diff.changes.length, fingerprint: fingerprintOf(diff) };
}

/** R43 preview: every row's Move / Set limit / No change or errors. Reads only; takes no lock. */
export async function previewMemberImport(tx: Transaction, { orgId, actor, rows }: Scope & { rows: ImportRow[] }) {
  assertRole(actor, BILLING_ROLES);
  return previewOf(diffImport(rows, await loadImportState(tx, { orgId, rows, lock: false })));
}

/**
 * R43 Apply: all rows in this one transaction or none. Takes the single assignment's locks (named
 * live billing groups FOR SHARE, then the members FOR UPDATE, in id order), computes the changes
 * again under them and refuses unless they are exactly what the preview showed. Writes one audit
 * entry per change (a move and a limit are two), each carrying the same import id.
 */
export async function applyMemberImport(
  tx: Transaction,
  { orgId, actor, rows, fingerprint }: Scope & { rows: ImportRow[]; fingerprint: string },
): Promise<ImportResult> {
  assertRole(actor, BILLING_ROLES);
  const diff = diffImport(rows, await loadImportState(tx, { orgId, rows, lock: true }));
  if (fingerprintOf(diff) !== fingerprint) throw new StaleImportError();
  if (diff.totals.error > 0)
    throw new DomainError("invalid_input", "Some rows have errors: fix them in the file and preview it again.");
  const result: ImportResult = {
    importId: null,
    moved: diff.totals.move,
    limitsSet: diff.totals.setLimit,
    unchanged: diff.totals.noChange,
  };
  if (diff.changes.length === 0) return result;
  result.importId = randomUUID();
  await writeImportChanges(tx, { orgId, actor, importId: result.importId, diff });
  return result;
}

/**
 * The changes as three set-based statements (one UPDATE, two INSERTs) over arrays, however many
 * rows: the entries are exactly what `recordAudit` writes for a single assignment or limit change
 * (lib/members/service.ts), plus `importId` in `after`.
 */
async function writeImportChanges(
  tx: Transaction,
  { orgId, actor, importId, diff }: Scope & { importId: string; diff: ImportDiff },
) {
  const ids: string[] = [];
  // null = unchanged, "" = Unassigned, else the billing group id.
  const moveTo: (string | null)[] = [];
  const newLimit: (string | null)[] = [];
  const moves = {
    ids: [] as string[],
    labels: [] as string[],
    fromIds: [] as (string | null)[],
    fromNames: [] as string[],
    toIds: [] as (string | null)[],
    toNames: [] as string[],
  };
  const limits = { ids: [] as string[], labels: [] as string[], from: [] as (string | null)[], to: [] as string[] };
  for (const change of diff.changes) {
    const label = memberLabel(change.member);
    ids.push(change.member.id);
    moveTo.push(change.move ? (change.move.toId ?? "") : null);
    newLimit.push(change.limit ? change.limit.to.toString() : null);
    if (change.move) {
      moves.ids.push(change.member.id);
      moves.labels.push(label);
      moves.fromIds.push(change.move.fromId);
      moves.fromNames.push(change.move.fromName);
      moves.toIds.push(change.move.toId);
      moves.toNames.push(change.move.toName);
    }
    if (change.limit) {
      limits.ids.push(change.member.id);
      limits.labels.push(label);
      limits.from.push(limitText(change.limit.from));
      limits.to.push(limitText(change.limit.to)!);
    }
  }
  await tx.execute(sql`
    update members m set
      billing_group_id = case when c.move_to is null then m.billing_group_id else nullif(c.move_to, '')::uuid end,
      personal_limit = coalesce(c.new_limit::bigint, m.personal_limit),
      updated_at = now()
    from unnest(${sql.param(ids)}::uuid[], ${sql.param(moveTo)}::text[], ${sql.param(newLimit)}::text[])
      as c(id, move_to, new_limit)
    where m.org_id = ${orgId} and m.id = c.id`);
  const actorColumns = sql`${orgId}::uuid, ${actor.id}::uuid, ${actor.label}`;
  if (moves.ids.length > 0)
    await tx.execute(sql`
      insert into audit_log (org_id, actor_id, actor_label, action, target_type, target_id, target_label, before, after)
      select ${actorColumns}, 'member.billing_group_assigned', 'member', c.id, c.label,
             jsonb_build_object('billingGroupId', c.from_id, 'billingGroup', c.from_name),
             jsonb_build_object('billingGroupId', c.to_id, 'billingGroup', c.to_name, 'importId', ${importId}::text)
      from unnest(${sql.param(moves.ids)}::text[], ${sql.param(moves.labels)}::text[], ${sql.param(moves.fromIds)}::text[],
                  ${sql.param(moves.fromNames)}::text[], ${sql.param(moves.toIds)}::text[], ${sql.param(moves.toNames)}::text[])
        as c(id, label, from_id, from_name, to_id, to_name)`);
  if (limits.ids.length > 0)
    await tx.execute(sql`
      insert into audit_log (org_id, actor_id, actor_label, action, target_type, target_id, target_label, before, after)
      select ${actorColumns}, 'member.personal_limit_set', 'member', c.id, c.label,
             jsonb_build_object('personalLimit', c.limit_from),
             jsonb_build_object('personalLimit', c.limit_to, 'importId', ${importId}::text)
      from unnest(${sql.param(limits.ids)}::text[], ${sql.param(limits.labels)}::text[], ${sql.param(limits.from)}::text[],
                  ${sql.param(limits.to)}::text[])
        as c(id, label, limit_from, limit_to)`);
}
