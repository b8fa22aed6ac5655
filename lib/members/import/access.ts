import "server-only";
import { withOrg } from "@/db";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { DomainError } from "@/lib/errors";
import { csvLine } from "@/lib/export/csv";
import { requireCurrentPeriod } from "@/lib/periods/page-period";
import { CONTROL_CHARACTER_MESSAGE, findControlCharacter } from "@/lib/validation/control-characters";
import { formatCredits } from "@/lib/credits/rules";
import { MAX_IMPORT_BYTES } from "@/lib/limits";
import { IMPORT_HEADER, ImportTooLargeError, UNASSIGNED_NAME } from "./file";
import { listMemberAssignments } from "./queries";
import { readImportCsv } from "./read";
import { applyMemberImport, previewMemberImport } from "./service";

// R43: the Members import for admins and billing admins (R3: a billing admin may set a member's
// billing group and personal limit), in the current period only (R23). The upload is read and
// checked before any transaction opens, so a slow or bad upload holds no database connection.

type Upload = { period: string | null; body: ReadableStream<Uint8Array> | null; fingerprint: string | null };

/**
 * What an import request carries: the CSV as the body (`Content-Type: text/csv`, at most 10 MB —
 * a declared larger length is refused before a byte is read), the period its page showed and,
 * for Apply, the preview's fingerprint, both in the query string.
 */
export function importUploadOf(request: Request): Upload {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "text/csv") throw new DomainError("invalid_input", "Send the file as text/csv.");
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > MAX_IMPORT_BYTES) throw new ImportTooLargeError();
  const query = new URL(request.url).searchParams;
  // R47: a control character in the query string is a 400 naming the parameter.
  const tainted = findControlCharacter(query);
  if (tainted !== null) throw new DomainError("invalid_input", `${tainted}: ${CONTROL_CHARACTER_MESSAGE}`);
  return { period: query.get("period"), fingerprint: query.get("fingerprint"), body: request.body };
}

function importer(principal: Principal, period: string | null) {
  const { orgId, actor } = requireMemberRole(principal, BILLING_ROLES);
  requireCurrentPeriod(period);
  return { orgId, actor };
}

export async function previewMembersImport(principal: Principal, upload: Upload) {
  const scope = importer(principal, upload.period);
  const rows = await readImportCsv(upload.body);
  return withOrg(scope.orgId, (tx) => previewMemberImport(tx, { ...scope, rows }));
}

const FINGERPRINT = /^[0-9a-f]{64}$/;

export async function applyMembersImport(principal: Principal, upload: Upload) {
  const scope = importer(principal, upload.period);
  if (!upload.fingerprint || !FINGERPRINT.test(upload.fingerprint))
    throw new DomainError("invalid_input", "Preview the file first, then press Apply.");
  const rows = await readImportCsv(upload.body);
  const fingerprint = upload.fingerprint;
  return withOrg(scope.orgId, (tx) => applyMemberImport(tx, { ...scope, rows, fingerprint }));
}

/**
 * Download current assignments: `Email,Billing Group,Personal Usage Limit` for every active member,
 * the format Import reads (the round trip: download, edit, import). Cells a spreadsheet would take
 * for a formula are neutralised as in the bills (R27); Import takes the `'` off again. A UTF-8 BOM
 * leads the file so that spreadsheets read non-ASCII names correctly; Import accepts it.
 */
export async function downloadMemberAssignments(principal: Principal): Promise<Response> {
  const { orgId } = requireMemberRole(principal, BILLING_ROLES);
  const rows = await withOrg(orgId, (tx) => listMemberAssignments(tx, { orgId }));
  let csv = `\ufeff${csvLine(IMPORT_HEADER)}`;
  for (const row of rows)
    csv += csvLine([
      row.email,
      row.billing_group ?? UNASSIGNED_NAME,
      row.personal_limit === null ? "" : formatCredits(BigInt(row.personal_limit)),
    ]);
  const fileName = `member-assignments_${now().toISOString().slice(0, 10)}.csv`;
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
