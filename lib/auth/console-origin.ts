import "server-only";
import { headers } from "next/headers";

/**
 * The console's own origin, against which redirect targets are judged: the configured public URL
 * (NEXTAUTH_URL, which `npm start` always sets), else the origin this request was addressed to.
 */
export async function consoleOrigin(): Promise<string> {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // A malformed NEXTAUTH_URL falls through to the request's own origin.
    }
  }
  const list = await headers();
  const host = list.get("host") ?? "localhost";
  const proto = list.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host}`;
}
