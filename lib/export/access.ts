import "server-only";
import { withOrg } from "@/db";
import {
  BILLING_READ_ROLES,
  canSeeBillingScope,
  getBillingAccess,
  requireBillingScope,
} from "@/lib/auth/billing-access";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { ForbiddenError } from "@/lib/errors";
import { requireExportPeriod } from "./period";
import { listBillScopeOptions } from "./queries";
import { billCsvResponse, billPreview, type BillRequest } from "./service";

// R24–R28, R32a: bills for members with billing access (a viewer only for granted groups, R33)
// and for API keys (the whole org). The org is the principal's, never the request's.

type BillParams = { period: string | null; billingGroup: string | null };

/** `?period=YYYY-MM&billingGroup=all|unassigned|<id>` as every bill route reads it. */
export function billParamsOf(request: Request): BillParams {
  const url = new URL(request.url);
  return { period: url.searchParams.get("period"), billingGroup: url.searchParams.get("billingGroup") };
}

/** The org whose bills `principal` may read for `billingGroup`; throws Forbidden otherwise. */
async function authorizedBill(principal: Principal, params: BillParams): Promise<BillRequest> {
  if (principal.kind === "member") {
    const reader = requireMemberRole(principal, BILLING_READ_ROLES);
    requireBillingScope(await getBillingAccess(reader.member), params.billingGroup);
  }
  return { orgId: principal.orgId, period: params.period, billingGroup: params.billingGroup };
}

/** The CSV file, streamed (the console's Download CSV and the export API serve the same bytes). */
export async function downloadBillCsv(principal: Principal, params: BillParams): Promise<Response> {
  return billCsvResponse(await authorizedBill(principal, params));
}

/** The export drawer's preview: first rows, row count, Credits per billing group and overall. */
export async function previewBill(principal: Principal, params: BillParams) {
  return billPreview(await authorizedBill(principal, params));
}

/** The export drawer's Billing Group choices for a period; a viewer is offered only their groups. */
export async function listBillScopes(principal: Principal, params: { period: string | null }) {
  const reader = requireMemberRole(principal, BILLING_READ_ROLES);
  const access = await getBillingAccess(reader.member);
  if (access.kind === "none") throw new ForbiddenError();
  const { orgId } = reader;
  const period = requireExportPeriod(reader.member.orgCreatedAt, params.period);
  const all = await withOrg(orgId, (tx) => listBillScopeOptions(tx, { orgId, period }));
  return { period, options: all.filter((o) => canSeeBillingScope(access, o.value)) };
}
