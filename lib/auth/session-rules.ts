// Issue 22 item 4: sessions that end. Pure, so the rule is unit-tested without a database.

/**
 * A session is valid only if it carries its sign-in time and that time is strictly after the
 * member's session cutoff (moved by sign-out, deactivation, reactivation, role and password
 * changes). Both sides have millisecond precision: the sign-in time is a JWT NumericDate with a
 * fractional part, fixed at sign-in and never renewed when next-auth re-issues the cookie, so a
 * copied cookie cannot be refreshed past a sign-out, and a token signed in the same second as the
 * cutoff but before it is refused. Without a sign-in time (a token minted before this rule) the
 * session is refused: its holder signs in again once.
 */
export function sessionStillValid(signedInAtSeconds: number | undefined, cutoff: Date | null): boolean {
  if (signedInAtSeconds === undefined || !Number.isFinite(signedInAtSeconds)) return false;
  if (!cutoff) return true;
  return Math.round(signedInAtSeconds * 1000) > cutoff.getTime();
}
