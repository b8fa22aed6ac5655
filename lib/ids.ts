// The one home for ids: every UUID check of the app (URL segments, filters, API member
// references, cursors) goes through here, so they all accept and normalize ids the same way.

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

/** A UUID as the database stores it (lower case), or null when `value` is not one. */
export function parseUuid(value: unknown): string | null {
  return isUuid(value) ? value.toLowerCase() : null;
}

/** The id the URLs and the API use for the system billing group (R10, R32a). */
export const UNASSIGNED_ID = "unassigned";

/** A billing group reference from a URL or API query: a billing group id, `unassigned`, or null. */
export function parseBillingGroupRef(value: unknown): string | null {
  return value === UNASSIGNED_ID ? UNASSIGNED_ID : parseUuid(value);
}
