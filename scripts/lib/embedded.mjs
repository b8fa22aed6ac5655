// Starts (or reuses) the embedded PostgreSQL server for a data folder, as its own process.
import { existsSync, readFileSync, mkdirSync, statSync, chmodSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import postgres from "postgres";
import { ROOT, startGroup } from "./processes.mjs";
import { generatePassword, scramVerifier, withLogin } from "./runtime-role.mjs";

export const EMBEDDED_USER = "postgres";
export const EMBEDDED_DATABASE = "ledgerline";
/** The runtime's login role on the embedded server (R47); the server is this data folder's alone. */
export const EMBEDDED_RUNTIME_USER = "ledgerline_runtime";
/** The fixed superuser password of data folders made before issue 22; replaced at their next start. */
const LEGACY_PASSWORD = "ledgerline-local";
/** The child process reads the superuser password from here, never from its command line. */
export const PASSWORD_ENV = "LEDGERLINE_EMBEDDED_PASSWORD";

function embeddedUrl(port, password, database = EMBEDDED_DATABASE) {
  return withLogin(`postgres://127.0.0.1:${port}/${database}`, { user: EMBEDDED_USER, password });
}

/**
 * The embedded server's passwords (superuser and runtime), generated on first start and kept in the
 * data folder, readable by its owner only (mode 0600).
 */
function embeddedCredentials(dataDir) {
  const file = path.join(dataDir, "postgres-credentials.json");
  if (existsSync(file)) {
    chmodSync(file, 0o600);
    return JSON.parse(readFileSync(file, "utf8"));
  }
  const credentials = { superuserPassword: generatePassword(), runtimePassword: generatePassword() };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  return credentials;
}

async function withSuperuser(port, password, work) {
  const admin = postgres(embeddedUrl(port, password, "postgres"), { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

const isWrongPassword = (error) => error?.code === "28P01";

/**
 * Makes sure the superuser has the stored password (a data folder made before issue 22 still has
 * the fixed one: it is replaced now) and that the application database exists.
 */
async function prepareServer(port, credentials) {
  const ensureDatabase = async (admin) => {
    const exists = await admin`select 1 from pg_database where datname = ${EMBEDDED_DATABASE}`;
    if (exists.length === 0) await admin.unsafe(`create database ${EMBEDDED_DATABASE}`);
  };
  try {
    await withSuperuser(port, credentials.superuserPassword, ensureDatabase);
    return;
  } catch (error) {
    if (!isWrongPassword(error)) throw error;
  }
  try {
    await withSuperuser(port, LEGACY_PASSWORD, (admin) =>
      admin.unsafe(`ALTER ROLE ${EMBEDDED_USER} PASSWORD '${scramVerifier(credentials.superuserPassword)}'`),
    );
  } catch (error) {
    if (!isWrongPassword(error)) throw error;
    throw new Error(
      "The embedded PostgreSQL refused the password kept in its data folder (postgres-credentials.json): restore that file, or start on a new LEDGERLINE_DATA_DIR.",
    );
  }
  await withSuperuser(port, credentials.superuserPassword, ensureDatabase);
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
 * Returns { url, appUrl, port, stop() }: `url` logs in as the superuser, who owns the database
 * (migrations, seeds); `appUrl` as the runtime role, which the caller provisions after migrating
 * (scripts/lib/runtime-role.mjs). Reuses a server already running on the folder (and then leaves
 * it running on stop); otherwise starts one in its own process group and stops it cleanly.
 */
export async function startEmbeddedPostgres({ dataDir, preferredPort = 54329, log = console.log }) {
  const absolute = path.resolve(ROOT, dataDir);
  mkdirSync(absolute, { recursive: true });
  makeAncestorsTraversable(absolute);
  const pgDir = path.join(absolute, "pg");
  const credentials = embeddedCredentials(absolute);
  const urls = (port) => ({
    url: embeddedUrl(port, credentials.superuserPassword),
    appUrl: withLogin(embeddedUrl(port, credentials.superuserPassword), {
      user: EMBEDDED_RUNTIME_USER,
      password: credentials.runtimePassword,
    }),
  });
  const running = runningServer(pgDir);
  if (running) {
    log(`Reusing the embedded PostgreSQL already running on ${dataDir} (port ${running.port}).`);
    await prepareServer(running.port, credentials);
    return { ...urls(running.port), port: running.port, stop: async () => {} };
  }
  const port = await freePort(preferredPort);
  const server = startGroup(
    process.execPath,
    [path.join(ROOT, "scripts/embedded-db.mjs"), pgDir, String(port), String(process.pid)],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, [PASSWORD_ENV]: credentials.superuserPassword },
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
  try {
    await prepareServer(port, credentials);
  } catch (error) {
    await server.stop(20_000);
    throw error;
  }
  return { ...urls(port), port, stop: () => server.stop(20_000) };
}
