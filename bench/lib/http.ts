import http from "node:http";
// HTTP plumbing for the benchmarks: signing in through next-auth's own endpoints (as a browser
// does), timed GETs of server-rendered pages, and timed server-action calls. Loopback only.
import { readFileSync } from "node:fs";
import path from "node:path";

export type Session = { cookie: string; label: string };

/**
 * A GET through node:http, its body counted as it arrives and never decoded: with
 * `Accept-Encoding: identity` the bytes the product streams, with `gzip` what crosses the wire
 * compressed (fetch would decompress it in this process, on cores the server shares).
 */
export function download(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        let bytes = 0;
        response.on("data", (chunk: Buffer) => (bytes += chunk.length));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, bytes }));
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!);
}

/** Signs in with email and password through next-auth's credentials callback; returns the cookie. */
export async function signIn(base: string, email: string, password: string): Promise<Session> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesOf(csrf);
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const session = cookiesOf(response).find((c) => /session-token=/.test(c));
  if (!session)
    throw new Error(`Sign-in as ${email} failed (HTTP ${response.status}). Is the org seeded (npm run seed:large)?`);
  return { cookie: [...jar, session].join("; "), label: email };
}

/** Milliseconds from request to the last byte of the body; fails on anything but 200. */
export async function timedGet(
  base: string,
  pathAndQuery: string,
  session: Session,
): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${pathAndQuery}`, { headers: { Cookie: session.cookie }, redirect: "manual" });
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${pathAndQuery} as ${session.label}: HTTP ${response.status}`);
  return { ms, bytes: body.byteLength };
}

/** The id of a server action by its exported name, from the production build's manifest. */
export function serverActionId(exportName: string, pageHint: string): string {
  const manifestPath = path.join(process.cwd(), ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    node?: Record<string, { workers: Record<string, unknown>; exportedName?: string }>;
  };
  const matches = Object.entries(manifest.node ?? {}).filter(
    ([, entry]) => entry.exportedName === exportName && Object.keys(entry.workers).some((w) => w.includes(pageHint)),
  );
  if (matches.length === 0) throw new Error(`No server action "${exportName}" for ${pageHint} in ${manifestPath}.`);
  return matches[0]![0];
}

/** Calls a server action the way the browser's React client does (POST with Next-Action). */
export async function timedAction(
  base: string,
  page: string,
  actionId: string,
  args: unknown[],
  session: Session,
): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${base}${page}`, {
    method: "POST",
    headers: {
      Cookie: session.cookie,
      "Next-Action": actionId,
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Origin: base,
    },
    body: JSON.stringify(args),
    redirect: "manual",
  });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200 || !body.includes('"ok":true')) {
    throw new Error(`action ${actionId} on ${page} as ${session.label}: HTTP ${response.status} ${body.slice(0, 200)}`);
  }
  return { ms, bytes: body.length };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
