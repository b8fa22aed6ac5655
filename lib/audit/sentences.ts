// Issue 18: an audit entry as a sentence a person reads ("Ada Admin moved Bo Li from Design to
// Sales"), written from what the entry itself stores — actor and target labels as they were at
// the time, and the before/after snapshots, which hold names, not only ids — plus the few names
// the query looked up for entries that hold only ids (`names`). Pure; the raw change stays one
// click away on the Audit Log.

import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { displayCredits, FALLBACK_LOCALE } from "@/lib/format/locale";

/** Current names for ids an entry stores without a name; null (or empty) when not applicable or gone. */
export type AuditResolvedNames = {
  /** A member target's name: `member.sign_in_locked` is labelled by the email that was typed. */
  targetMember: string | null;
  /** The type of the event a webhook entry (`after.eventId`) sent again. */
  eventType: string | null;
  /** The first members a deleted billing group returned to Unassigned (`after.membersReturnedToUnassigned`). */
  returnedMembers: string[];
};

export type AuditEntryForSentence = {
  action: string;
  actorLabel: string;
  /** R44: set when an API key made the change; its label is then the key's name. */
  actorApiKeyId?: string | null;
  targetType: string;
  targetLabel: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  names?: AuditResolvedNames;
};

export type SentenceOptions = {
  /** The reader's locale for Credits ("1,000.00" in en-US), as everywhere else on screen. */
  locale?: string;
};

type Snapshot = Record<string, unknown>;

const record = (value: unknown): Snapshot =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Snapshot) : {};
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const count = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : Array.isArray(value) ? value.length : null;

/** A member's label is stored as "Name <email>": a sentence names the person. */
function personOf(label: string | null): string {
  if (!label) return "a member";
  const match = /^(.*) <[^>]+>$/.exec(label);
  return match?.[1]?.trim() || label;
}

const roleLabel = (value: unknown) => ROLE_LABELS[value as Role] ?? String(value ?? "—");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (items: string[]) => items.join(", ").replace(/, ([^,]*)$/, " and $1");

/** At most three names, then "and N more" (`total` when only the first names are known). */
function names(people: string[], total = people.length): string {
  const shown = people.slice(0, 3);
  const more = Math.max(total - shown.length, 0);
  return more > 0 ? `${shown.join(", ")} and ${more} more` : list(shown);
}

const memberNames = (members: unknown) =>
  (Array.isArray(members) ? members : []).map((m) => text(record(m).name) ?? text(record(m).email) ?? "a member");

/** What changed in an edit, as "renamed it from A to B" or "changed its description, default personal limit". */
function edited(before: Snapshot, after: Snapshot, labels: Record<string, string>): string {
  const changed = Object.keys(labels).filter(
    (key) => JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null),
  );
  const parts: string[] = [];
  if (changed.includes("name")) parts.push(`renamed it from ${text(before.name) ?? "—"} to ${text(after.name) ?? "—"}`);
  const others = changed.filter((key) => key !== "name").map((key) => labels[key]!);
  if (others.length > 0) parts.push(`changed its ${list(others)}`);
  return parts.length > 0 ? `: ${parts.join("; ")}` : " (no field changed)";
}

/** The entry as one sentence, without a final full stop. Unknown actions get a plain fallback. */
export function describeAuditEntry(entry: AuditEntryForSentence, options: SentenceOptions = {}): string {
  // Members are stored as "Name <email>" (the sentence uses the name), an API key as its name.
  const actor = !entry.actorLabel
    ? "Someone"
    : entry.actorApiKeyId
      ? `${entry.actorLabel} (API key)`
      : personOf(entry.actorLabel);
  const target = entry.targetLabel || entry.targetId || entry.targetType;
  const before = record(entry.before);
  const after = record(entry.after);
  const person = personOf(entry.targetLabel);
  const resolved = entry.names;
  const amount = (value: unknown) => {
    const plain = text(value);
    return plain === null ? null : displayCredits(plain, options.locale ?? FALLBACK_LOCALE);
  };
  // "1,000.00 Credits (was 500.00)": the unit once, "no limit" when there is none.
  const limitChange = (now: unknown, was: unknown) =>
    `${amount(now) === null ? "no limit" : `${amount(now)} Credits`} (was ${amount(was) ?? "no limit"})`;
  switch (entry.action) {
    case "member.created":
      return `${actor} added ${text(after.name) ?? person} as ${roleLabel(after.role)}${amount(after.personalLimit) ? `, with a personal usage limit of ${amount(after.personalLimit)} Credits` : ""}`;
    case "member.billing_group_assigned":
      return `${actor} moved ${person} from ${text(before.billingGroup) ?? "Unassigned"} to ${text(after.billingGroup) ?? "Unassigned"}`;
    case "member.personal_limit_set":
      return `${actor} set ${person}'s personal usage limit to ${limitChange(after.personalLimit, before.personalLimit)}`;
    case "member.role_changed":
      return `${actor} changed ${person}'s role from ${roleLabel(before.role)} to ${roleLabel(after.role)}`;
    case "member.deactivated": {
      const revoked = typeof after.apiKeysRevoked === "number" ? after.apiKeysRevoked : 0;
      return `${actor} deactivated ${person}${revoked > 0 ? ` and revoked ${plural(revoked, "API key")}` : ""}`;
    }
    case "member.reactivated":
      return `${actor} reactivated ${person}`;
    case "member.sign_in_locked":
      // Labelled by the email typed at sign-in; the query found whose account it is.
      return `${actor} locked sign-in for ${resolved?.targetMember ?? target} for ${after.minutes ?? "?"} minutes after ${after.failures ?? "repeated"} failed attempts${text(after.scope) ? ` (${text(after.scope)})` : ""}`;
    case "billing_group.created":
      return `${actor} created billing group ${target}${amount(after.periodLimit) ? ` with a period limit of ${amount(after.periodLimit)} Credits` : ""}`;
    case "billing_group.updated":
      return `${actor} edited billing group ${target}${edited(before, after, {
        name: "name",
        description: "description",
        defaultPersonalLimit: "default personal limit",
        periodLimit: "period limit",
      })}`;
    case "billing_group.period_limit_set":
      return `${actor} set ${target}'s period limit to ${limitChange(after.periodLimit, before.periodLimit)}`;
    case "billing_group.alert_thresholds_set": {
      const percents = (value: unknown) =>
        Array.isArray(value) && value.length > 0 ? `${value.join(", ")} %` : "none";
      return `${actor} set ${target}'s alert thresholds to ${percents(after.alertThresholds)} (were ${percents(before.alertThresholds)})`;
    }
    case "billing_group.deleted": {
      const moved = count(before.members) ?? count(after.membersReturnedToUnassigned) ?? 0;
      const named = resolved?.returnedMembers ?? [];
      if (moved === 0) return `${actor} deleted billing group ${target}; it had no members`;
      if (named.length === 0)
        return `${actor} deleted billing group ${target}; ${plural(moved, "member")} returned to Unassigned`;
      return `${actor} deleted billing group ${target}; ${names(named, moved)} returned to Unassigned`;
    }
    case "billing_group.recipient_added":
      return `${actor} added ${text(record(after.recipient).email) ?? "a recipient"} to ${target}'s statement recipients`;
    case "billing_group.recipient_removed":
      return `${actor} removed ${text(record(before.recipient).email) ?? "a recipient"} from ${target}'s statement recipients`;
    case "billing_group.statement_sent": {
      // `recipients` is the number of deliveries queued (an array in early drafts of R39).
      const recipients = count(after.recipients);
      const to = recipients === null ? "its recipients" : plural(recipients, "recipient");
      const period = text(after.period);
      return `${actor} sent ${target}'s ${period ? `${period} ` : ""}statement to ${to}`;
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
      const memberships = count(before.memberCount) ?? 0;
      return `${actor} deleted group ${target} and its ${plural(memberships, "membership")}`;
    }
    case "group.members_added":
      return `${actor} added ${names(memberNames(after.members))} to group ${target}`;
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
      // The entry stores the event's id; the query looked up its type.
      return `${actor} resent ${resolved?.eventType ? `a ${resolved.eventType} event` : "an event"} to webhook endpoint ${target}`;
    case "webhook.test_sent":
      return `${actor} sent a test event to webhook endpoint ${target}`;
    default:
      return `${actor}: ${entry.action} on ${entry.targetType} ${target}`;
  }
}
