// Issue 22 item 4: sessions that end. Pure, so the rule is unit-tested without a database.

/**
 * A session is valid only if it carries its sign-in time and that time is strictly after the
 * member's session cutoff (moved by sign-out, deactivation, reactivation, role and password
 * changes). Both sides have millisecond precision: the sign-in time is a JWT NumericDate with a
 * fractional part, fixed at sign-in and never renewed when next-auth re-issues the cookie, so a
 * copied cookie cannot be refreshed past a sign-out, and a token signed in the same second as the
 * cutoff but before it is refused. A session without a sign-in time never outlives a cutoff; the
 * session reads in options.ts refuse such tokens (minted before this rule) outright.
 */
export function sessionStillValid(signedInAtSeconds: number | undefined, cutoff: Date | null): boolean {
  if (!cutoff) return true;
  if (signedInAtSeconds === undefined || !Number.isFinite(signedInAtSeconds)) return false;
  return Math.round(signedInAtSeconds * 1000) > cutoff.getTime();
}
