// PostgreSQL 15 from Debian's packages for the cluster test: a primary on loopback and one
// streaming replica made with `pg_basebackup -R`, both data directories under the test's
// temporary directory, run as an unprivileged user (PostgreSQL refuses to run as root).
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { type ProcessTracker, type RunAs, runToCompletion, sleep, type Tracked } from "./processes";

export const PG_BIN = "/usr/lib/postgresql/15/bin";
const HAPROXY = "/usr/sbin/haproxy";

/** Installs PostgreSQL 15 and HAProxy from Debian's packages when missing (root only). */
export function ensureSystemPackages(log: (line: string) => void): void {
  const missing = [
    ...(existsSync(path.join(PG_BIN, "postgres")) ? [] : ["postgresql-15"]),
    ...(existsSync(HAPROXY) ? [] : ["haproxy"]),
  ];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing ${missing.join(", ")}: run \`sudo apt-get install -y ${missing.join(" ")}\` first.`);
  }
  log(`Installing ${missing.join(", ")} from Debian's packages…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
}

export const haproxyBinary = () => HAPROXY;

/**
 * Who runs PostgreSQL: ourselves, unless we are root, then the `postgres` user the Debian package
 * creates (or `nobody`). The test directory is handed to that user.
 */
export function databaseUser(dir: string): RunAs {
  if (process.getuid?.() !== 0) return undefined;
  const user = ["postgres", "nobody"].find((name) => {
    try {
      execFileSync("id", ["-u", name], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  });
  if (!user) throw new Error("Running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL.");
  const uid = Number(execFileSync("id", ["-u", user], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", user], { encoding: "utf8" }).trim());
  chownSync(dir, uid, gid);
  return { uid, gid };
}

export type Server = { tracked: Tracked; port: number; dataDir: string };

export type ReplicatedPostgres = {
  primary: Server;
  replica: Server;
  /** The superuser's URL on the primary (owner of the app's database), and on the replica. */
  ownerUrl: string;
  replicaOwnerUrl: string;
};

const DATABASE = "ledgerline";

// Settings both servers share. `hot_standby_feedback` keeps a long export on the replica from
// being cancelled by replay (docs/scaling.md §2); fsync is off because the data is thrown away.
function serverArgs(dataDir: string, port: number): string[] {
  const settings = {
    port: String(port),
    listen_addresses: "127.0.0.1",
    unix_socket_directories: dataDir,
    wal_level: "replica",
    max_wal_senders: "4",
    hot_standby: "on",
    hot_standby_feedback: "on",
    max_connections: "150",
    shared_buffers: "64MB",
    fsync: "off",
    log_min_messages: "warning",
  };
  return ["-D", dataDir, ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`])];
}

export async function startReplicatedPostgres(params: {
  tracker: ProcessTracker;
  dir: string;
  runAs: RunAs;
  ports: { primary: number; replica: number };
  password: string;
}): Promise<ReplicatedPostgres> {
  const { tracker, dir, runAs, ports, password } = params;
  const primaryDir = path.join(dir, "primary");
  const replicaDir = path.join(dir, "replica");
  const pwfile = path.join(dir, "pwfile");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  await runToCompletion(
    tracker,
    "initdb",
    path.join(PG_BIN, "initdb"),
    [
      "-D",
      primaryDir,
      "-U",
      "postgres",
      `--pwfile=${pwfile}`,
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
      "--auth=scram-sha-256",
    ],
    { runAs },
  );
  // Loopback only. The app's logins use passwords (SCRAM); replication from this machine is trusted.
  writeFileSync(
    path.join(primaryDir, "pg_hba.conf"),
    [
      "local all all trust",
      "host replication postgres 127.0.0.1/32 trust",
      "host all all 127.0.0.1/32 scram-sha-256",
      "",
    ].join("\n"),
  );
  const startServer = async (role: "primary" | "replica", dataDir: string, port: number, database: string) => {
    const tracked = tracker.start(`postgres-${role}`, path.join(PG_BIN, "postgres"), serverArgs(dataDir, port), {
      runAs,
    });
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await waitForPostgres(`${url}/${database}`, tracked);
    return { tracked, url };
  };
  const { tracked: primary, url: ownerUrl } = await startServer("primary", primaryDir, ports.primary, "postgres");
  const admin = postgres(`${ownerUrl}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const backup = ["-h", "127.0.0.1", "-p", String(ports.primary), "-U", "postgres", "-D", replicaDir];
  await runToCompletion(
    tracker,
    "pg_basebackup",
    path.join(PG_BIN, "pg_basebackup"),
    [...backup, ...["-R", "-X", "stream", "-c", "fast"]],
    { runAs },
  );
  const { tracked: replica, url: replicaOwnerUrl } = await startServer("replica", replicaDir, ports.replica, DATABASE);
  return {
    primary: { tracked: primary, port: ports.primary, dataDir: primaryDir },
    replica: { tracked: replica, port: ports.replica, dataDir: replicaDir },
    ownerUrl: `${ownerUrl}/${DATABASE}`,
    replicaOwnerUrl: `${replicaOwnerUrl}/${DATABASE}`,
  };
}

async function waitForPostgres(url: string, tracked: Tracked, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!tracked.alive()) throw new Error(`${tracked.name} exited; see ${tracked.logFile}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      await sql.end({ timeout: 1 });
    }
    await sleep(200);
  }
}

/** Waits until the replica has replayed everything the primary had written when this was called. */
export async function waitForReplicaToCatchUp(
  primary: postgres.Sql,
  replica: postgres.Sql,
  timeoutMs = 30_000,
): Promise<{ lsn: string; waitedMs: number }> {
  const started = Date.now();
  const [{ lsn }] = (await primary`select pg_current_wal_lsn()::text as lsn`) as unknown as [{ lsn: string }];
  for (;;) {
    const [{ caughtUp }] = (await replica`
      select coalesce(pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn, false) as "caughtUp"`) as unknown as [
      { caughtUp: boolean },
    ];
    if (caughtUp) return { lsn, waitedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs)
      throw new Error(`The replica did not replay up to ${lsn} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export function makeDir(dir: string, runAs: RunAs): string {
  mkdirSync(dir, { recursive: true });
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}
