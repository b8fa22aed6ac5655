import "server-only";
import { headers } from "next/headers";
import { configuredConsoleOrigin } from "@/lib/console-url";
import { ForbiddenError } from "@/lib/errors";

/**
 * The console's own origin, against which redirect targets are judged: the configured public URL
 * (NEXTAUTH_URL, which `npm start` always sets), else the origin this request was addressed to.
 */
export async function consoleOrigin(): Promise<string> {
  // A malformed NEXTAUTH_URL falls through to the request's own origin.
  const configured = configuredConsoleOrigin();
  if (configured) return configured;
  const list = await headers();
  const host = list.get("host") ?? "localhost";
  const proto = list.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host}`;
}

/**
 * CSRF for the console's own POST route handlers (server actions get the same check from Next):
 * the browser's `Origin` must be this request's host, or the configured public URL. A page on
 * another site cannot make a browser send the console's origin, and `Sec-Fetch-Site`, when the
 * browser sends it, must say same-origin too. Never trusted for anything but this.
 */
export function assertSameOrigin(request: Request): void {
  const refused = () =>
    new ForbiddenError("This request did not come from the console's own pages, so it was refused.");
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") throw refused();
  const origin = request.headers.get("origin");
  if (!origin) throw refused();
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw refused();
  }
  const configured = configuredConsoleOrigin();
  const hosts = [
    request.headers.get("x-forwarded-host"),
    request.headers.get("host"),
    configured && new URL(configured).host,
  ];
  if (!hosts.some((allowed) => allowed && allowed.toLowerCase() === host.toLowerCase())) throw refused();
}
