// Issue 18: an audit entry as a sentence a person reads ("Ada Admin moved Bo Li from Design to
// Sales"), written from what the entry itself stores — actor and target labels as they were at
// the time, and the before/after snapshots, which hold names, not only ids. Pure; the raw change
// stays one click away on the Audit Log.

import { ROLE_LABELS, type Role } from "@/lib/auth/roles";

export type AuditEntryForSentence = {
  action: string;
  actorLabel: string;
  targetType: string;
  targetLabel: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
};

type Snapshot = Record<string, unknown>;

const record = (value: unknown): Snapshot =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Snapshot) : {};
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** A member's label is stored as "Name <email>": a sentence names the person. */
function personOf(label: string | null): string {
  if (!label) return "a member";
  const match = /^(.*) <[^>]+>$/.exec(label);
  return match?.[1]?.trim() || label;
}

const credits = (value: unknown) => (text(value) === null ? "no limit" : `${text(value)} Credits`);
const roleLabel = (value: unknown) => ROLE_LABELS[value as Role] ?? String(value ?? "—");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** At most three names, then "and N more". */
function names(list: unknown): string {
  const people = (Array.isArray(list) ? list : []).map((m) => text(record(m).name) ?? text(record(m).email) ?? "?");
  if (people.length <= 3) return people.join(", ").replace(/, ([^,]*)$/, " and $1");
  return `${people.slice(0, 3).join(", ")} and ${people.length - 3} more`;
}

/** What changed in an edit, as "renamed it from A to B" or "changed its description, default personal limit". */
function edited(before: Snapshot, after: Snapshot, labels: Record<string, string>): string {
  const changed = Object.keys(labels).filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  const parts: string[] = [];
  if (changed.includes("name")) parts.push(`renamed it from ${text(before.name) ?? "—"} to ${text(after.name) ?? "—"}`);
  const others = changed.filter((key) => key !== "name").map((key) => labels[key]!);
  if (others.length > 0) parts.push(`changed its ${others.join(", ").replace(/, ([^,]*)$/, " and $1")}`);
  return parts.length > 0 ? `: ${parts.join("; ")}` : " (no field changed)";
}

/** The entry as one sentence, without a final full stop. Unknown actions get a plain fallback. */
export function describeAuditEntry(entry: AuditEntryForSentence): string {
  // Actors are stored as "Name <email>" too (an API key as its name): the sentence uses the name.
  const actor = entry.actorLabel ? personOf(entry.actorLabel) : "Someone";
  const target = entry.targetLabel || entry.targetId || entry.targetType;
  const before = record(entry.before);
  const after = record(entry.after);
  const person = personOf(entry.targetLabel);
  switch (entry.action) {
    case "member.created":
      return `${actor} added ${text(after.name) ?? person} as ${roleLabel(after.role)}${text(after.personalLimit) ? `, with a personal usage limit of ${credits(after.personalLimit)}` : ""}`;
    case "member.billing_group_assigned":
      return `${actor} moved ${person} from ${text(before.billingGroup) ?? "Unassigned"} to ${text(after.billingGroup) ?? "Unassigned"}`;
    case "member.personal_limit_set":
      return `${actor} set ${person}'s personal usage limit to ${credits(after.personalLimit)} (was ${credits(before.personalLimit)})`;
    case "member.role_changed":
      return `${actor} changed ${person}'s role from ${roleLabel(before.role)} to ${roleLabel(after.role)}`;
    case "member.deactivated": {
      const revoked = typeof after.apiKeysRevoked === "number" ? after.apiKeysRevoked : 0;
      return `${actor} deactivated ${person}${revoked > 0 ? ` and revoked ${plural(revoked, "API key")}` : ""}`;
    }
    case "member.reactivated":
      return `${actor} reactivated ${person}`;
    case "member.sign_in_locked":
      return `${actor} locked sign-in for ${target} for ${after.minutes ?? "?"} minutes after ${after.failures ?? "repeated"} failed attempts${text(after.scope) ? ` (${text(after.scope)})` : ""}`;
    case "billing_group.created":
      return `${actor} created billing group ${target}${text(after.periodLimit) ? ` with a period limit of ${credits(after.periodLimit)}` : ""}`;
    case "billing_group.updated":
      return `${actor} edited billing group ${target}${edited(before, after, {
        name: "name",
        description: "description",
        defaultPersonalLimit: "default personal limit",
        periodLimit: "period limit",
      })}`;
    case "billing_group.period_limit_set":
      return `${actor} set ${target}'s period limit to ${credits(after.periodLimit)} (was ${credits(before.periodLimit)})`;
    case "billing_group.alert_thresholds_set": {
      const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? `${value.join(", ")} %` : "none");
      return `${actor} set ${target}'s alert thresholds to ${list(after.alertThresholds)} (were ${list(before.alertThresholds)})`;
    }
    case "billing_group.deleted": {
      const moved = typeof before.members === "number" ? before.members : 0;
      return `${actor} deleted billing group ${target}; ${plural(moved, "member")} returned to Unassigned`;
    }
    case "billing_group.recipient_added":
      return `${actor} added ${text(record(after.recipient).email) ?? "a recipient"} to ${target}'s statement recipients`;
    case "billing_group.recipient_removed":
      return `${actor} removed ${text(record(before.recipient).email) ?? "a recipient"} from ${target}'s statement recipients`;
    case "billing_group.statement_sent": {
      const count = Array.isArray(after.recipients) ? after.recipients.length : 0;
      return `${actor} sent ${target}'s ${text(after.period) ?? ""} statement to ${plural(count, "recipient")}`.replace(
        "  ",
        " ",
      );
    }
    case "billing_group.viewer_added":
      return `${actor} let ${text(record(after.viewer).name) ?? "a member"} view ${target}`;
    case "billing_group.viewer_removed":
      return `${actor} removed ${text(record(before.viewer).name) ?? "a member"}'s access to ${target}`;
    case "group.created":
      return `${actor} created group ${target}`;
    case "group.updated":
      return `${actor} edited group ${target}${edited(before, after, { name: "name", description: "description" })}`;
    case "group.deleted": {
      const count = typeof before.memberCount === "number" ? before.memberCount : 0;
      return `${actor} deleted group ${target} and its ${plural(count, "membership")}`;
    }
    case "group.members_added":
      return `${actor} added ${names(after.members)} to group ${target}`;
    case "group.member_removed":
      return `${actor} removed ${text(record(before.member).name) ?? "a member"} from group ${target}`;
    case "api_key.created": {
      const scopes = Array.isArray(after.scopes) ? ` with scopes ${after.scopes.join(", ")}` : "";
      return `${actor} created API key ${target}${scopes}`;
    }
    case "api_key.revoked":
      return `${actor} revoked API key ${target}`;
    case "webhook.created":
      return `${actor} added webhook endpoint ${target}`;
    case "webhook.updated": {
      if (typeof after.enabled === "boolean")
        return `${actor} ${after.enabled ? "enabled" : "disabled"} webhook endpoint ${target}${after.eventTypes ? " and changed its events" : ""}`;
      return `${actor} changed the events of webhook endpoint ${target}`;
    }
    case "webhook.secret_rotated":
      return `${actor} rotated the signing secret of webhook endpoint ${target}`;
    case "webhook.deleted":
      return `${actor} deleted webhook endpoint ${target}`;
    case "webhook.resent":
      return `${actor} resent event ${text(after.eventId) ?? ""} to webhook endpoint ${target}`.replace("  ", " ");
    case "webhook.test_sent":
      return `${actor} sent a test event to webhook endpoint ${target}`;
    default:
      return `${actor}: ${entry.action} on ${entry.targetType} ${target}`;
  }
}
