// R43: each row of an import file against the organization as it is now → Move, Set limit, No
// change, or the row's errors. Pure: the preview and Apply (which runs it again under its locks)
// compute the same thing from the same inputs, and the fingerprint tells whether they agree.
import { formatCredits } from "@/lib/credits/rules";
import {
  deletedGroupMessage,
  duplicateMessage,
  type ImportRow,
  UNASSIGNED_NAME,
  unknownEmailMessage,
  unknownGroupMessage,
} from "./file";

/** A member as the import sees them (read, or locked at Apply). */
export type ImportMemberState = {
  id: string;
  name: string;
  email: string;
  billingGroupId: string | null;
  billingGroupName: string | null;
  personalLimit: bigint | null;
  deactivated: boolean;
};

/** A billing group name of the file: the live group it names, or "deleted" when only a deleted one has it. */
export type ImportGroupState = { id: string; name: string } | "deleted";

export type ImportState = {
  /** The member of each row's email (same index as the rows), if any. */
  members: (ImportMemberState | undefined)[];
  /** By the name exactly as the file writes it (trimmed). */
  groups: Map<string, ImportGroupState>;
};

export type ImportChange = {
  line: number;
  member: { id: string; name: string; email: string };
  move: { fromId: string | null; fromName: string; toId: string | null; toName: string } | null;
  limit: { from: bigint | null; to: bigint } | null;
};

/**
 * One row of the `Import preview` table. Credits are decimal text; a limit's null "from" is no
 * limit of the member's own (R42: their billing group's default may apply).
 */
export type ImportPreviewRow = {
  line: number;
  email: string;
  member: string | null;
  move: { from: string; to: string } | null;
  limit: { from: string | null; to: string } | null;
  errors: string[];
};

export type ImportTotals = { move: number; setLimit: number; noChange: number; error: number };

export type ImportDiff = {
  rows: ImportPreviewRow[];
  changes: ImportChange[];
  totals: ImportTotals;
};

export type ImportPreview = {
  rows: ImportPreviewRow[];
  totals: ImportTotals;
  /** Rows that change something (a row that moves and sets a limit counts once). */
  changes: number;
  /** Sent back with Apply: the hash of every change and error the admin was shown. */
  fingerprint: string;
};

export type ImportResult = {
  /** Shared by every audit entry of this import (null when nothing changed, so nothing was written). */
  importId: string | null;
  moved: number;
  limitsSet: number;
  unchanged: number;
};

const DEACTIVATED_MESSAGE = "This member is deactivated: reactivate them first to change their billing group or limit.";
/** Cells are shown, never evaluated; a huge cell is shortened so one row cannot bloat the preview. */
const shown = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

export function diffImport(rows: ImportRow[], state: ImportState): ImportDiff {
  const totals: ImportTotals = { move: 0, setLimit: 0, noChange: 0, error: 0 };
  const preview: ImportPreviewRow[] = [];
  const changes: ImportChange[] = [];
  // Two spellings of one email that the database folds together are still one member twice.
  const memberLines = new Map<string, number[]>();
  for (const [index, row] of rows.entries()) {
    const id = state.members[index]?.id;
    if (!id || !row.email) continue;
    memberLines.set(id, [...(memberLines.get(id) ?? []), row.line]);
  }

  for (const [index, row] of rows.entries()) {
    const member = state.members[index];
    const errors = [...row.errors];
    if (row.email && !member) errors.push(unknownEmailMessage(row.email));
    if (member?.deactivated) errors.push(DEACTIVATED_MESSAGE);
    const sameMember = member ? (memberLines.get(member.id) ?? []) : [];
    if (sameMember.length > 1 && !errors.some((e) => e.startsWith("Duplicate email")))
      errors.push(duplicateMessage(sameMember.filter((line) => line !== row.line)));

    let target: { id: string | null; name: string } | null = null;
    if (row.billingGroup.kind === "unassigned") target = { id: null, name: UNASSIGNED_NAME };
    else if (row.billingGroup.kind === "named") {
      const group = state.groups.get(row.billingGroup.name);
      if (group === "deleted") errors.push(deletedGroupMessage(row.billingGroup.name));
      else if (!group) errors.push(unknownGroupMessage(row.billingGroup.name));
      else target = { id: group.id, name: group.name };
    }

    const out: ImportPreviewRow = {
      line: row.line,
      email: shown(row.email || member?.email || ""),
      member: member?.name ?? null,
      move: null,
      limit: null,
      errors,
    };
    preview.push(out);
    if (errors.length > 0 || !member) {
      totals.error += 1;
      continue;
    }
    const move =
      target && target.id !== member.billingGroupId
        ? {
            fromId: member.billingGroupId,
            fromName: member.billingGroupName ?? UNASSIGNED_NAME,
            toId: target.id,
            toName: target.name,
          }
        : null;
    const limit =
      row.personalLimit.kind === "set" && row.personalLimit.value !== member.personalLimit
        ? { from: member.personalLimit, to: row.personalLimit.value }
        : null;
    if (move) {
      out.move = { from: move.fromName, to: move.toName };
      totals.move += 1;
    }
    if (limit) {
      out.limit = { from: limit.from === null ? null : formatCredits(limit.from), to: formatCredits(limit.to) };
      totals.setLimit += 1;
    }
    if (move || limit)
      changes.push({ line: row.line, member: { id: member.id, name: member.name, email: member.email }, move, limit });
    else totals.noChange += 1;
  }
  return { rows: preview, changes, totals };
}

/**
 * What the admin saw, as text: every change (member, from → to) and every line in error. The
 * preview sends its hash; Apply recomputes it under its locks and refuses when it differs, so
 * nothing is applied that the admin did not see (R43: a member moved or a group deleted since).
 */
export function importFingerprintSource(diff: ImportDiff): string {
  const parts: string[] = [];
  for (const change of diff.changes) {
    const move = change.move ? `${change.move.fromId ?? "-"}>${change.move.toId ?? "-"}` : "=";
    const limit = change.limit ? `${change.limit.from ?? "-"}>${change.limit.to}` : "=";
    parts.push(`${change.line}:${change.member.id}:${move}:${limit}`);
  }
  for (const row of diff.rows) if (row.errors.length > 0) parts.push(`${row.line}:error`);
  return parts.join("\n");
}
