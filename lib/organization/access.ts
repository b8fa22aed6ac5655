import "server-only";
import { withOrg } from "@/db";
import { requireMemberRole, type Principal } from "@/lib/auth/principal";
import { CONSOLE_ROLES } from "@/lib/auth/roles";
import { now } from "@/lib/clock";
import { periodOf } from "@/lib/periods/rules";
import { getOrganizationOverview, type OrganizationOverview } from "./queries";

/** The Overview page: the org's headline figures for the current period (console roles, R3). */
export async function getOverview(principal: Principal): Promise<OrganizationOverview & { period: string }> {
  const { orgId } = requireMemberRole(principal, CONSOLE_ROLES);
  const period = periodOf(now());
  const overview = await withOrg(orgId, (tx) => getOrganizationOverview(tx, { orgId, period }));
  return { ...overview, period };
}
