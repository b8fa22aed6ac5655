import "server-only";
import { headers } from "next/headers";
import { configuredConsoleOrigin } from "@/lib/console-url";

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
