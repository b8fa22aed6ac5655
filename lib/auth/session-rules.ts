/**
 * A session is valid unless it was issued before the member's session cutoff (set at sign-out).
 * JWT issue times have one-second resolution, so a token issued in the cutoff's own second still
 * counts: signing in again right after signing out must work.
 */
export function sessionStillValid(issuedAtSeconds: number | undefined, cutoff: Date | null): boolean {
  if (!cutoff) return true;
  if (issuedAtSeconds === undefined) return false;
  return issuedAtSeconds >= Math.floor(cutoff.getTime() / 1000);
}
