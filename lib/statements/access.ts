import "server-only";
import type { Principal } from "@/lib/auth/principal";
import type { SendStatementResult, StatementDeliveriesDto } from "./dto";
import type { SendStatementInput } from "./schemas";

// Statements of a billing group (R39): its delivery log, and `Send Statement` for a closed period.

/** The group's deliveries, newest first. Billing roles, and viewers of that group (read only). */
export async function getStatementDeliveries(
  _principal: Principal,
  _params: { billingGroup: string },
): Promise<StatementDeliveriesDto> {
  throw new Error("not implemented yet (issue 14, in progress)");
}

/** Queues the statement of a closed period for every recipient of the group, now. Billing roles. */
export async function sendStatement(_principal: Principal, _input: SendStatementInput): Promise<SendStatementResult> {
  throw new Error("not implemented yet (issue 14, in progress)");
}
