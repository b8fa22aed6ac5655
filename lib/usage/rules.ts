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

/** Credits left under `limit` (never below 0: usage may exceed a limit lowered after it); null without one. */
export function remainingCredits(used: bigint, limit: bigint | null): bigint | null {
  return limit === null ? null : limit > used ? limit - used : 0n;
}

export function figures(used: bigint, limit: bigint | null): Figures {
  const remaining = remainingCredits(used, limit);
  return {
    used: formatCredits(used),
    limit: limit === null ? null : formatCredits(limit),
    remaining: remaining === null ? null : formatCredits(remaining),
  };
}

/** R42: where the personal limit that applies to a member comes from. */
export const PERSONAL_LIMIT_SOURCES = ["personal", "billing_group_default"] as const;
export type PersonalLimitSource = (typeof PERSONAL_LIMIT_SOURCES)[number];

/** The personal limit that applies, and its source; both null when none does (R18: blocked). */
export type ApplyingPersonalLimit = { limit: bigint | null; source: PersonalLimitSource | null };

/**
 * R42: a member's own limit (0 included) wins; without one, their billing group's Default Personal
 * Limit applies (`groupDefault` is null for Unassigned, which has none). The database enforces the
 * same rule (ledgerline_applying_personal_limit, migration 0013); an integration test proves they agree.
 */
export function applyingPersonalLimit(own: bigint | null, groupDefault: bigint | null): ApplyingPersonalLimit {
  if (own !== null) return { limit: own, source: "personal" };
  if (groupDefault !== null) return { limit: groupDefault, source: "billing_group_default" };
  return { limit: null, source: null };
}

/** The applying personal limit as the console shows it: Credits as text, and its source (R42). */
export type PersonalLimitView = { limit: string | null; source: PersonalLimitSource | null };

export function personalLimitView(own: bigint | null, groupDefault: bigint | null): PersonalLimitView {
  const { limit, source } = applyingPersonalLimit(own, groupDefault);
  return { limit: limit === null ? null : formatCredits(limit), source };
}

/** The personal figures of the API (R30, R32): usage against the applying limit, and its source (R42). */
export type PersonalFigures = Figures & { limitSource: PersonalLimitSource | null };

export function personalFigures(used: bigint, applying: ApplyingPersonalLimit): PersonalFigures {
  return { ...figures(used, applying.limit), limitSource: applying.source };
}

/**
 * The console's "why blocked" line for an entitlement (issue 5): the same reason the API gives,
 * with the figures that make it so. Null when the member can use Credits.
 */
export function blockedExplanation(entitlement: {
  reason: RejectionCode | null;
  billingGroup: { name: string };
  personal: Figures & { limitSource?: PersonalLimitSource | null };
  group: Figures;
}): string | null {
  const inherited = entitlement.personal.limitSource === "billing_group_default";
  const groupDefault = `the default personal limit of billing group ${entitlement.billingGroup.name}`;
  switch (entitlement.reason) {
    case null:
      return null;
    case "personal_limit_not_configured":
      return inherited
        ? `Blocked: the member has no personal usage limit of their own and ${groupDefault} is 0 (a limit above 0 is needed to use Credits).`
        : "Blocked: no personal usage limit is configured (a limit above 0 is needed to use Credits).";
    case "personal_limit_reached":
      return inherited
        ? `Blocked: ${groupDefault} is reached (${entitlement.personal.used} of ${entitlement.personal.limit} Credits this period).`
        : `Blocked: the personal usage limit is reached (${entitlement.personal.used} of ${entitlement.personal.limit} Credits this period).`;
    case "group_limit_reached":
      return `Blocked: billing group ${entitlement.billingGroup.name} has reached its period usage limit (${entitlement.group.used} of ${entitlement.group.limit} Credits).`;
  }
}

/** My usage (issue 18): where the applying limit comes from, told to the member it applies to (R18, R42). */
export function ownLimitSourceLabel(source: PersonalLimitSource | null, billingGroupName: string | null): string {
  switch (source) {
    case "personal":
      return "Your own limit";
    case "billing_group_default":
      return `Default of billing group ${billingGroupName ?? "Unassigned"}`;
    case null:
      return "No limit: you cannot use Credits";
  }
}

/**
 * My usage: whether the member can use Credits now and, if not, why, in their words. The group's
 * figures stay out: a member may learn that their group's limit stops them, not the group's usage.
 */
export function ownStandingMessage(standing: {
  reason: RejectionCode | null;
  remaining: string | null;
  billingGroupName: string | null;
}): string {
  const untilRaised = "until an admin raises it or the next period starts";
  switch (standing.reason) {
    case null:
      return `You can use Credits: ${standing.remaining} left this period.`;
    case "personal_limit_not_configured":
      return "You cannot use Credits until an admin sets a personal usage limit above 0 for you.";
    case "personal_limit_reached":
      return `You have used all the Credits your limit allows this period: Credits are refused ${untilRaised}.`;
    case "group_limit_reached":
      return `Billing group ${standing.billingGroupName ?? "Unassigned"} has reached its period usage limit: Credits are refused ${untilRaised}.`;
  }
}
