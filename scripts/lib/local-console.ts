// Shared by `npm run simulate` and `npm run bench:ingest`: find the running console and its
// database, and mint an API key directly in the database (hash only, like the console does).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "../../db/connection";
import { apiKeys, auditLog } from "../../db/schema";
import { generateApiKey } from "../../lib/api-keys/rules";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** The console this machine runs: http://localhost:${PORT:-3000}. Anything but loopback is refused. */
export function consoleBaseUrl(): string {
  const base = process.env.LEDGERLINE_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`;
  const url = new URL(base);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`Refusing to send traffic to ${url.hostname}: loopback only.`);
  return url.origin;
}

export async function assertConsoleUp(base: string): Promise<void> {
  try {
    const response = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) });
    if (response.ok) return;
  } catch {
    // fall through
  }
  throw new Error(`No console answers at ${base}. Start it first (npm start), or set PORT.`);
}

/**
 * DATABASE_URL, else the embedded server running on LEDGERLINE_DATA_DIR (default .data/), as its
 * superuser with the password generated in that folder (scripts/lib/embedded.mjs).
 */
export function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.LEDGERLINE_DATA_DIR ?? ".data");
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  const credentialsFile = path.join(dataDir, "postgres-credentials.json");
  if (!existsSync(pidFile) || !existsSync(credentialsFile)) {
    throw new Error("Set DATABASE_URL, or start the console on its embedded database first.");
  }
  const port = Number(readFileSync(pidFile, "utf8").split("\n")[3]);
  const { superuserPassword } = JSON.parse(readFileSync(credentialsFile, "utf8")) as { superuserPassword: string };
  return `postgres://postgres:${encodeURIComponent(superuserPassword)}@127.0.0.1:${port}/ledgerline`;
}

export async function mintApiKey(db: Database, orgId: string, name: string, actorLabel: string) {
  const key = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({ orgId, name, prefix: key.prefix, secretHash: key.secretHash })
    .returning({ id: apiKeys.id });
  await db.insert(auditLog).values({
    orgId,
    actorLabel,
    action: "api_key.created",
    targetType: "api_key",
    targetId: row!.id,
    targetLabel: `${name} (${key.prefix})`,
    after: { name, prefix: key.prefix },
  });
  return { id: row!.id, secret: key.secret, prefix: key.prefix };
}

export async function revokeMintedKey(
  db: Database,
  orgId: string,
  key: { id: string; prefix: string },
  name: string,
  actorLabel: string,
) {
  await db.execute(sql`update api_keys set revoked_at = now() where org_id = ${orgId} and id = ${key.id}`);
  await db.insert(auditLog).values({
    orgId,
    actorLabel,
    action: "api_key.revoked",
    targetType: "api_key",
    targetId: key.id,
    targetLabel: `${name} (${key.prefix})`,
    before: { revoked: false },
    after: { revoked: true },
  });
}

export function option(name: string, fallback: number, max: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number.`);
  return Math.min(value, max);
}
