// A fresh, migrated database for one test run: on DATABASE_URL's server when set (e.g. the CI
// machine's PostgreSQL 15), otherwise on a throwaway embedded PostgreSQL. Like `npm start`, the
// run gets a runtime login (SPEC R47) of its own, named after its database, so parallel runs on
// one server never share or overwrite a role; it is dropped with the database.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { ROOT, runTs } from "./processes.mjs";
import { startEmbeddedPostgres } from "./embedded.mjs";
import { dropRuntimeLogin, ensureRuntimeLogin, generatePassword, withLogin } from "./runtime-role.mjs";

function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** `migrate(url)` applies the migrations (default: db/migrate-cli.ts through tsx). */
export async function createTestDatabase({ label = "test", log = console.log, migrate } = {}) {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  let dataDir;
  if (!serverUrl) {
    dataDir = path.join(ROOT, `.data-${label}`, randomBytes(4).toString("hex"));
    const server = await startEmbeddedPostgres({ dataDir, preferredPort: 0, log: () => {} });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  const name = `ledgerline_${label}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const [{ version }] = await admin`select current_setting('server_version') as version`;
  const url = withDatabase(serverUrl, name);
  log(`Test database ${name} on PostgreSQL ${version}${dataDir ? " (embedded)" : ""}`);
  if (migrate) await migrate(url);
  else await runTs("db/migrate-cli.ts", [], { env: { ...process.env, DATABASE_URL: url } });
  const runtimeUser = `${name}_runtime`;
  const appUrl = withLogin(url, { user: runtimeUser, password: generatePassword() });
  await ensureRuntimeLogin(url, appUrl, { resetPassword: true });
  return {
    url,
    appUrl,
    adminUrl: serverUrl,
    version,
    async drop() {
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await dropRuntimeLogin(admin, runtimeUser);
      } finally {
        await admin.end();
        await stopServer();
        if (dataDir) rmSync(path.dirname(dataDir), { recursive: true, force: true });
      }
    },
  };
}
