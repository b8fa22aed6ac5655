import { createHash } from "node:crypto";
import { formatCredits } from "@/lib/credits/rules";

export type RejectionCode = "personal_limit_not_configured" | "personal_limit_reached" | "group_limit_reached";

export const REJECTION_MESSAGES: Record<RejectionCode, string> = {
  personal_limit_not_configured: "This member has no personal usage limit, so they cannot use Credits.",
  personal_limit_reached: "This event would take the member past their personal usage limit for the period.",
  group_limit_reached: "This event would take the member's billing group past its period usage limit.",
};

export { isUuid, UNASSIGNED_ID } from "@/lib/ids";

/**
 * R30: "the same body" is judged on what the event means — member (case-insensitive) and the exact
 * Credits — so `"1.5"` and `"1.50"` replay each other while another member or amount conflicts.
 */
export function usageRequestHash(input: { member: string; credits: bigint }): string {
  return createHash("sha256")
    .update(JSON.stringify([input.member.trim().toLowerCase(), input.credits.toString()]))
    .digest("hex");
}

export type Figures = { used: string; limit: string | null; remaining: string | null };

export function figures(used: bigint, limit: bigint | null): Figures {
  return {
    used: formatCredits(used),
    limit: limit === null ? null : formatCredits(limit),
    remaining: limit === null ? null : formatCredits(limit > used ? limit - used : 0n),
  };
}

/**
 * The console's "why blocked" line for an entitlement (issue 5): the same reason the API gives,
 * with the figures that make it so. Null when the member can use Credits.
 */
export function blockedExplanation(entitlement: {
  reason: RejectionCode | null;
  billingGroup: { name: string };
  personal: Figures;
  group: Figures;
}): string | null {
  switch (entitlement.reason) {
    case null:
      return null;
    case "personal_limit_not_configured":
      return "Blocked: no personal usage limit is configured (a limit above 0 is needed to use Credits).";
    case "personal_limit_reached":
      return `Blocked: the personal usage limit is reached (${entitlement.personal.used} of ${entitlement.personal.limit} Credits this period).`;
    case "group_limit_reached":
      return `Blocked: billing group ${entitlement.billingGroup.name} has reached its period usage limit (${entitlement.group.used} of ${entitlement.group.limit} Credits).`;
  }
}
