// The one home of the app's caps and page sizes. Rules that must hold under concurrency (usage
// limits R18–R20, the per-org billing group cap R11) are enforced by the database; these are the
// sizes of what one request reads or changes, and the texts that explain them.

/** One bulk change (assign to a billing group, set a personal limit) touches at most this many members. */
export const MAX_MEMBERS_PER_BULK_CHANGE = 5_000;
export const BULK_CHANGE_MESSAGE = `Select at most ${MAX_MEMBERS_PER_BULK_CHANGE.toLocaleString("en-US")} members.`;

/** R43: one Members import file — at most this many rows and bytes (checked while it is read). */
export const MAX_IMPORT_ROWS = 50_000;
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Rows per page of the import preview. */
export const IMPORT_PREVIEW_PAGE_SIZE = 50;

/** Rows per page of the console lists. */
export const BILLING_GROUPS_PAGE_SIZE = 25;
export const GROUPS_PAGE_SIZE = 25;
export const MEMBERS_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE = 50;

/** Pickers and drawers show a bounded slice; search narrows large orgs. */
export const MEMBER_SEARCH_LIMIT = 50;
export const GROUP_CANDIDATES_LIMIT = 25;
export const GROUP_MEMBERS_SHOWN = 500;
export const DETAILS_LIST_LIMIT = 100;
export const RECENT_EVENTS_LIMIT = 50;

/** R39: statement recipients of one billing group (Unassigned included), enforced in the service under a lock. */
export const MAX_RECIPIENTS_PER_BILLING_GROUP = 10;

/** Metering API (R30–R32a). */
export const MAX_BATCH_EVENTS = 1_000;
export const MAX_USAGE_BODY_BYTES = 16 * 1024;
export const MAX_BATCH_BODY_BYTES = 1024 * 1024;
export const API_MEMBERS_PAGE_DEFAULT = 100;
export const API_MEMBERS_PAGE_MAX = 500;

/** R11: the default number of live billing groups per org (a per-org setting, enforced in the service under a lock). */
export function billingGroupCapMessage(cap: number): string {
  return `Your organization already has the maximum of ${cap} billing groups. Delete one you no longer need, or ask support to raise the limit.`;
}

/** R41: webhook endpoints per org (enforced in the service under a per-org lock), and the delivery log's page. */
export const MAX_WEBHOOK_ENDPOINTS_PER_ORG = 20;
export const WEBHOOK_DELIVERIES_PAGE_SIZE = 25;

/** R44: an admin API body; 1,000 members by email fit with room to spare. */
export const MAX_ADMIN_BODY_BYTES = 512 * 1024;

/** R45: how many periods a billing group's usage chart shows, the selected one last. */
export const TREND_PERIODS = 12;
