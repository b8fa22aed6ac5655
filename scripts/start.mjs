// `npm start`: the console on the embedded PostgreSQL (or DATABASE_URL), migrated, seeded on
// first run, built when no production build exists. `--dev` runs `next dev` instead. The app
// server queries as the runtime login role (DATABASE_APP_URL, SPEC R47), never as the owner.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BIN, ROOT, onShutdown, run, runTs, startGroup } from "./lib/processes.mjs";
import { startEmbeddedPostgres } from "./lib/embedded.mjs";
import {
  STANDALONE,
  STANDALONE_SERVER,
  assembleStandalone,
  standaloneIsAssembled,
  standaloneServerEnv,
} from "./lib/standalone.mjs";
import { ensureRuntimeLogin, loginOf, withLogin } from "./lib/runtime-role.mjs";

const dev = process.argv.includes("--dev");
const port = process.env.PORT ?? "3000";
const dataDir = process.env.LEDGERLINE_DATA_DIR ?? ".data";
const external = Boolean(process.env.DATABASE_URL);

// The web server and the worker stop together — the server within seconds, the worker may finish
// a job for up to 35 s — and the embedded database only after both. (One after the other, a slow
// worker kept the server up past the e2e runner's shutdown timeout; the runner then killed this
// process and the orphaned server held its output pipe open, so the run never ended.)
const stops = [];
let stopDatabase;
async function stopEverything() {
  await Promise.all(stops.map((stop) => stop()));
  await stopDatabase?.();
}
onShutdown(stopEverything);

function localAuthSecret() {
  // The embedded default is a local install: keep a generated secret beside its data.
  const file = path.resolve(ROOT, dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

try {
  let databaseUrl = process.env.DATABASE_URL;
  // R47: the runtime's own login. Given only DATABASE_URL, the app switches roles and warns (db/index.ts).
  let appUrl = process.env.DATABASE_APP_URL || undefined;
  if (!external) {
    const db = await startEmbeddedPostgres({ dataDir });
    stopDatabase = db.stop;
    databaseUrl = db.url;
    appUrl = db.appUrl;
  }
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
  };
  if (!external && !env.AUTH_SECRET) env.AUTH_SECRET = localAuthSecret();
  if (external && !dev && !env.AUTH_SECRET) {
    throw new Error("AUTH_SECRET must be set (at least 32 characters) when running on DATABASE_URL.");
  }

  // The owner migrates and seeds; the app server only ever gets the runtime login.
  await runTs("db/migrate-cli.ts", [], { env });
  if (appUrl) await ensureRuntimeLogin(databaseUrl, appUrl, { resetPassword: !external });
  // The demo seed only ever runs by itself on the embedded default (SPEC §11).
  if (!external) await runTs("db/seed/cli.ts", ["--if-empty"], { env });
  const appEnv = { ...env };
  if (appUrl) {
    appEnv.DATABASE_APP_URL = appUrl;
    delete appEnv.DATABASE_URL;
    // Issue 20: roles are cluster-wide and replicate, so the runtime login exists on the replica
    // too; reports log in there as it, never with the owner's replica URL.
    if (env.DATABASE_REPLICA_URL && !env.DATABASE_REPLICA_APP_URL) {
      appEnv.DATABASE_REPLICA_APP_URL = withLogin(env.DATABASE_REPLICA_URL, loginOf(appUrl));
    }
    delete appEnv.DATABASE_REPLICA_URL;
  } else delete appEnv.DATABASE_APP_URL;

  if (!dev && !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    console.log("No production build found: building (a few minutes the first time)…");
    await run(BIN("next"), ["build"], { env: appEnv });
  }
  if (!dev && !standaloneIsAssembled()) await assembleStandalone();

  // Production runs the standalone server.js, exactly what the image runs (issue 20); the request
  // hooks it loads (instrumentation.ts) give the app each connection's address (R47).
  const next = dev
    ? startGroup(BIN("next"), ["dev", "-p", port], { env: appEnv, stdio: "inherit" })
    : startGroup(process.execPath, [STANDALONE_SERVER], {
        cwd: STANDALONE,
        env: standaloneServerEnv(appEnv, port, "::"),
        stdio: "inherit",
      });
  stops.push(() => next.stop());
  // The background jobs (statements at period close, R39) beside the web server, stopped with it;
  // `npm run worker` runs more of them elsewhere on the same database.
  const worker = startGroup(BIN("tsx"), ["--conditions=react-server", path.join(ROOT, "scripts", "worker.ts")], {
    env: appEnv,
    stdio: "inherit",
  });
  stops.push(() => worker.stop(35_000));
  console.log(`\nLedgerline is starting at http://localhost:${port}`);
  if (!external) console.log("Demo sign-in: admin@example.com / demo-admin\n");
  // Either one ending ends both: a console without its worker would quietly stop mailing.
  const { name, code, signal } = await Promise.race([
    next.exited.then((exit) => ({ name: "web server", ...exit })),
    worker.exited.then((exit) => ({ name: "worker", ...exit })),
  ]);
  console.error(`The ${name} ended (${signal ?? `exit ${code}`}): stopping the rest.`);
  await stopEverything();
  process.exit(code ?? 1);
} catch (error) {
  console.error(`\nLedgerline could not start: ${error instanceof Error ? error.message : error}`);
  await stopEverything();
  process.exit(1);
}
