// Starts (or reuses) the embedded PostgreSQL server for a data folder, as its own process.
import { existsSync, readFileSync, mkdirSync, statSync, chmodSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { ROOT, startGroup } from "./processes.mjs";

export const EMBEDDED_USER = "postgres";
export const EMBEDDED_PASSWORD = "ledgerline-local";
export const EMBEDDED_DATABASE = "ledgerline";

export function embeddedUrl(port, database = EMBEDDED_DATABASE) {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to traverse every parent
 * folder of its data folder. Grants only the execute (search) bit, never read.
 */
export function makeAncestorsTraversable(dir) {
  if (process.getuid?.() !== 0) return;
  let current = path.resolve(dir);
  while (true) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A server already running on this data folder (postmaster.pid: line 1 pid, line 4 port). */
function runningServer(pgDir) {
  const pidFile = path.join(pgDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid && port && isAlive(pid) ? { pid, port } : null;
}

export function freePort(preferred) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => {
      const fallback = net.createServer();
      fallback.listen(0, "127.0.0.1", () => {
        const { port } = fallback.address();
        fallback.close(() => resolve(port));
      });
    });
    server.listen(preferred, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Returns { url, stop() }. Reuses a server already running on the folder (and then leaves it
 * running on stop); otherwise starts one in its own process group and stops it cleanly.
 */
export async function startEmbeddedPostgres({ dataDir, preferredPort = 54329, log = console.log }) {
  const absolute = path.resolve(ROOT, dataDir);
  mkdirSync(absolute, { recursive: true });
  makeAncestorsTraversable(absolute);
  const pgDir = path.join(absolute, "pg");
  const running = runningServer(pgDir);
  if (running) {
    log(`Reusing the embedded PostgreSQL already running on ${dataDir} (port ${running.port}).`);
    return { url: embeddedUrl(running.port), port: running.port, stop: async () => {} };
  }
  const port = await freePort(preferredPort);
  const server = startGroup(
    process.execPath,
    [path.join(ROOT, "scripts/embedded-db.mjs"), pgDir, String(port), String(process.pid)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: server.child.stdout });
    lines.on("line", (line) => {
      if (line.startsWith("READY ")) resolve();
      else if (line.trim()) log(`[postgres] ${line}`);
    });
    server.exited.then(({ code }) => reject(new Error(`The embedded PostgreSQL server exited early (code ${code}).`)));
  });
  return { url: embeddedUrl(port), port, stop: () => server.stop(20_000) };
}
