// `npm run bench`: builds the console, serves the production build on the database that
// `npm run seed:large` filled (embedded on LEDGERLINE_DATA_DIR, or DATABASE_URL), runs bench/run.ts
// against it, then stops everything it started. `-- --only pages,export` runs some sections;
// `-- --no-build` reuses an existing build (only when it is known to match the code); `-- --no-profile`
// skips the profiling pass that follows a run with the ingest section. The
// statements and alerts sections run the product's code in the benchmark's own process:
// `--only statements,alerts` builds and serves nothing.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BIN, ROOT, onShutdown, run, runTs, startGroup } from "./lib/processes.mjs";
import { freePort, startEmbeddedPostgres } from "./lib/embedded.mjs";
import {
  STANDALONE,
  STANDALONE_SERVER,
  assembleStandalone,
  standaloneIsAssembled,
  standaloneServerEnv,
} from "./lib/standalone.mjs";
import { ensureRuntimeLogin } from "./lib/runtime-role.mjs";

const args = process.argv.slice(2);
const flag = (name) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? "") : undefined;
};
const dataDir = process.env.LEDGERLINE_DATA_DIR ?? ".data";
const stops = [];
onShutdown(async () => {
  for (const stop of stops.reverse()) await stop();
});

async function waitForHealth(base, server) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error("The console exited while starting.");
    try {
      const response = await fetch(`${base}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The console did not answer at ${base} within 2 minutes.`);
}

let code = 0;
try {
  let databaseUrl = process.env.DATABASE_URL;
  let appUrl = process.env.DATABASE_APP_URL || undefined;
  let authSecret = process.env.AUTH_SECRET;
  if (!databaseUrl) {
    const db = await startEmbeddedPostgres({ dataDir });
    stops.push(db.stop);
    databaseUrl = db.url;
    appUrl = db.appUrl;
    const file = path.resolve(ROOT, dataDir, "auth-secret");
    if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
    authSecret ??= readFileSync(file, "utf8").trim();
  }
  authSecret ??= randomBytes(32).toString("base64url");
  const port = await freePort(Number(process.env.BENCH_PORT ?? 3900));
  const base = `http://localhost:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: authSecret,
    NEXTAUTH_URL: base,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  await runTs("db/migrate-cli.ts", [], { env });
  // The console under measurement queries as the runtime login role, as `npm start` runs it (R47).
  if (appUrl) await ensureRuntimeLogin(databaseUrl, appUrl, { resetPassword: !process.env.DATABASE_URL });
  const only = flag("only");
  const benchEnv = { ...env, ...(appUrl ? { DATABASE_APP_URL: appUrl } : {}), ...(only ? { BENCH_ONLY: only } : {}) };
  const needsConsole =
    only === undefined || only.split(",").some((section) => section !== "statements" && section !== "alerts");
  const profile = flag("no-profile") === undefined && (only === undefined || only.split(",").includes("ingest"));
  let serverEnv;
  /**
   * The production console as `npm start` and the image run it — the standalone `server.js`
   * (issue 20) — optionally under `node --cpu-prof` (writing its profile into `profileDir` when it exits).
   */
  const startConsole = async (profileDir) => {
    const profiler = profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${profileDir}`] : [];
    const server = startGroup(process.execPath, [...profiler, STANDALONE_SERVER], {
      cwd: STANDALONE,
      env: standaloneServerEnv(serverEnv, port, "::"),
      stdio: ["ignore", "ignore", "inherit"],
    });
    const stop = () => server.stop();
    stops.push(stop);
    await waitForHealth(base, server);
    return { server, stop };
  };
  let stopConsole;
  if (needsConsole) {
    serverEnv = { ...env, PORT: String(port) };
    if (appUrl) {
      serverEnv.DATABASE_APP_URL = appUrl;
      delete serverEnv.DATABASE_URL;
    }
    if (flag("no-build") === undefined || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
      console.log("Building the production console…");
      await run(BIN("next"), ["build"], { env });
    }
    if (!standaloneIsAssembled()) await assembleStandalone();
    const { server, stop } = await startConsole();
    stopConsole = stop;
    console.log(`Console up at ${base}; benchmarking.\n`);
    Object.assign(benchEnv, {
      BENCH_BASE_URL: base,
      BENCH_SERVER_PGID: String(server.child.pid),
      LEDGERLINE_URL: base,
    });
  }
  await runTs("bench/run.ts", [], { env: benchEnv });
  // Issue 19, item 3: a second, separate pass with the console under `node --cpu-prof`, so the
  // profiler's own cost never touches the figures above. bench/run.ts stops it and reads the profile.
  if (profile && stopConsole) {
    await stopConsole();
    stops.splice(stops.indexOf(stopConsole), 1);
    const profileDir = mkdtempSync(path.join(os.tmpdir(), "ledgerline-profile-"));
    const { server } = await startConsole(profileDir);
    console.log("\nConsole up again under node --cpu-prof; profiling single events.");
    await runTs("bench/run.ts", [], {
      env: {
        ...benchEnv,
        BENCH_ONLY: "profile",
        BENCH_SERVER_PGID: String(server.child.pid),
        BENCH_PROFILE_DIR: profileDir,
      },
    });
    rmSync(profileDir, { recursive: true, force: true });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  for (const stop of stops.reverse()) await stop();
}
process.exit(code);
