// R47, issue 22 item 1: where a sign-in may send the browser. A prefix check ("starts with / but
// not //") lets `/\host` and `/<TAB>/host` through, because browsers normalise them to `//host`.
// So the value is resolved the way a browser would (WHATWG URL parser), must land on the console's
// own origin, and only its path, query and fragment are passed on. Pure: the sign-in page, the
// client form and next-auth's redirect callback all use this one function.

const FALLBACK = "/";

/**
 * A same-origin path (`/members?q=a#top`) for `callbackUrl`, resolved against `origin` (the
 * console's own, e.g. `https://console.example.com`); `/` for anything else, malformed or empty.
 */
export function safeCallbackPath(callbackUrl: string | null | undefined, origin: string): string {
  if (!callbackUrl) return FALLBACK;
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(callbackUrl, base);
  } catch {
    return FALLBACK;
  }
  if (target.origin !== base.origin) return FALLBACK;
  // `/a/..//evil.example` resolves on our origin to the path `//evil.example`, which a browser
  // would read as another host: collapse leading slashes so the result is always a plain path.
  const path = `/${target.pathname.replace(/^\/+/, "")}${target.search}${target.hash}`;
  // Belt and braces: what we hand on must itself resolve to our origin.
  return new URL(path, base).origin === base.origin ? path : FALLBACK;
}
