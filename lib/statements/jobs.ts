import "server-only";
import type { StatementTarget } from "./sender";

/** At most one waiting send job per group and period (the queue is `short` on this key). */
export function statementSendKey(target: StatementTarget): string {
  return `${target.orgId}:${target.billingGroupId ?? "unassigned"}:${target.period}`;
}

/** A send job's data, checked: jobs are data from the database, not from a trusted caller. */
export function parseStatementTarget(data: unknown): StatementTarget {
  const value = data as Partial<StatementTarget> | null;
  if (
    !value ||
    typeof value.orgId !== "string" ||
    typeof value.period !== "string" ||
    !(value.billingGroupId === null || typeof value.billingGroupId === "string")
  ) {
    throw new Error("statements.send job without orgId, billingGroupId and period");
  }
  return { orgId: value.orgId, billingGroupId: value.billingGroupId, period: value.period };
}
