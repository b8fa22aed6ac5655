import "server-only";
import { getReplicaDb, withOrg } from "@/db";
import { billFileName } from "./csv";
import { billCsvChunks, billCsvStream, getBillPreview, resolveBillScope, type BillScope } from "./queries";
import { requireExportPeriod } from "./period";
import { getOrganizationCreatedAt } from "@/lib/organization/queries";

export type BillRequest = { orgId: string; period: string | null; billingGroup: string | null };

// Bills, their previews and their scopes read the replica when there is one (issue 20): all three
// from the same place, so the preview's figures are the file's.
async function resolve(request: BillRequest): Promise<{ period: string; scope: BillScope }> {
  return withOrg(
    request.orgId,
    async (tx) => {
      const period = requireExportPeriod(await getOrganizationCreatedAt(tx, { orgId: request.orgId }), request.period);
      const scope = await resolveBillScope(tx, { orgId: request.orgId, billingGroup: request.billingGroup });
      return { period, scope };
    },
    { replica: true },
  );
}

/**
 * The one code path for a CSV bill (R24–R28): the console's Download CSV and the export API both
 * answer with this response, so they serve the same bytes.
 */
export async function billCsvResponse(request: BillRequest): Promise<Response> {
  const { period, scope } = await resolve(request);
  const fileName = billFileName(period, scope);
  const stream = billCsvStream(billCsvChunks(getReplicaDb().$client, { orgId: request.orgId, period, scope }));
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export async function billPreview(request: BillRequest) {
  const { period, scope } = await resolve(request);
  const preview = await withOrg(request.orgId, (tx) => getBillPreview(tx, { orgId: request.orgId, period, scope }), {
    replica: true,
  });
  return {
    period,
    scope: scope.kind === "group" ? { kind: scope.kind, id: scope.id, name: scope.name } : scope,
    fileName: billFileName(period, scope),
    ...preview,
  };
}
