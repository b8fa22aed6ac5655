// The security headers every console page carries (R47). Pure, so the policy is unit-tested and
// the proxy only wires it in. Authorization never happens here: every page, action and route
// handler checks access itself on the server (R4).

/** HSTS for two years once the console is served over https; never on plain http (it would be ignored or, worse, pin a dev host). */
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/**
 * A strict, nonce-based CSP: Next's own inline scripts carry the per-request nonce, anything
 * injected does not and is refused. `'unsafe-eval'` only in development (React's dev tools).
 */
export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes come from Radix positioning; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The headers a page response gets: the CSP always, HSTS when the public URL is https. */
export function pageSecurityHeaders(options: {
  nonce: string;
  dev: boolean;
  publicUrl: string | undefined;
}): Record<string, string> {
  const headers: Record<string, string> = { "Content-Security-Policy": contentSecurityPolicy(options.nonce, options) };
  if (servedOverHttps(options.publicUrl)) headers["Strict-Transport-Security"] = HSTS_VALUE;
  return headers;
}

export function servedOverHttps(publicUrl: string | undefined): boolean {
  if (!publicUrl) return false;
  try {
    return new URL(publicUrl).protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Which request paths the proxy decorates: every page, including `/api-keys` (a prefix test for
 * "api" once skipped it — the page that shows new secrets), but not the JSON/CSV API under `/api/`
 * (next.config.mjs gives those `default-src 'none'`) or static build assets.
 */
export const PAGE_MATCHER_SOURCE = "/((?!api/|api$|_next/static|_next/image|favicon.ico).*)";
