// What the app learns about a request while handling it (its organization) for the one access-log
// line lib/runtime/request-hooks.ts writes when the response ends. Keyed by request id on
// globalThis, because Next bundles this module once for instrumentation and again for the routes.
// Only requests the hooks are tracking are noted, so nothing accumulates outside a server.

type RequestNote = { orgId?: string };

const globalForNotes = globalThis as unknown as { ledgerlineRequestNotes?: Map<string, RequestNote> };

export function requestNotes(): Map<string, RequestNote> {
  globalForNotes.ledgerlineRequestNotes ??= new Map();
  return globalForNotes.ledgerlineRequestNotes;
}

/** Records the organization a request acts for (an API key's or a signed-in member's). */
export function noteRequestOrg(headers: Pick<Headers, "get">, orgId: string): void {
  const requestId = headers.get("x-request-id");
  const note = requestId ? requestNotes().get(requestId) : undefined;
  if (note) note.orgId = orgId;
}
