import "server-only";
import { withOrg } from "@/db";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { ADMIN_ONLY } from "@/lib/auth/roles";
import { parseAuditFilters, type SearchParams } from "./filters";
import { getAuditFilterOptions, listAuditEntries } from "./queries";

/**
 * The Audit Log page (R36, admins only): filter choices, the filters read from the URL, one page of
 * entries. A report: read on the replica when there is one (issue 20), so an entry written a moment
 * ago can appear after the replication delay.
 */
export async function browseAuditLog(principal: Principal, params: { searchParams: SearchParams }) {
  const { orgId } = requireMemberRole(principal, ADMIN_ONLY);
  return withOrg(
    orgId,
    async (tx) => {
      const options = await getAuditFilterOptions(tx, { orgId });
      const filters = parseAuditFilters(params.searchParams, options);
      return { options, filters, page: await listAuditEntries(tx, { orgId, ...filters.query }) };
    },
    { replica: true },
  );
}
