// The runnable standalone build (issue 20), as the Dockerfile's build stage leaves it and as
// `npm start`, e2e and scripts/standalone.mjs run it: Next's `.next/standalone/server.js` with
// its traced node_modules, plus what Next leaves out — the static assets, `public/`, and two
// bundled entry points of our own: `db/migrate.mjs` (the release step, with the SQL migrations
// beside it) and `worker.mjs` (the job runner). Nothing else from the source tree is needed.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./processes.mjs";

export const STANDALONE = path.join(ROOT, ".next", "standalone");
export const STANDALONE_SERVER = path.join(STANDALONE, "server.js");
export const STANDALONE_MIGRATE = path.join(STANDALONE, "db", "migrate.mjs");
export const STANDALONE_WORKER = path.join(STANDALONE, "worker.mjs");

// Already in the standalone node_modules (Next traced them for the server): used from there.
const TRACED = ["pg-boss", "pino", "nodemailer", "@node-rs/argon2"];

/** The build the standalone folder was assembled from, or null. */
function assembledBuild() {
  const marker = path.join(STANDALONE, ".next", "BUILD_ID");
  return existsSync(marker) && existsSync(STANDALONE_WORKER) ? readFileSync(marker, "utf8") : null;
}

/** True when `.next` holds a production build whose standalone folder is complete. */
export function standaloneIsAssembled() {
  const build = path.join(ROOT, ".next", "BUILD_ID");
  return existsSync(build) && assembledBuild() === readFileSync(build, "utf8") && existsSync(STANDALONE_SERVER);
}

/** Copies the static assets beside server.js and bundles the migration and worker entry points. */
export async function assembleStandalone() {
  if (!existsSync(STANDALONE_SERVER)) throw new Error("No .next/standalone/server.js: run `next build` first.");
  const staticDir = path.join(STANDALONE, ".next", "static");
  rmSync(staticDir, { recursive: true, force: true });
  cpSync(path.join(ROOT, ".next", "static"), staticDir, { recursive: true });
  if (existsSync(path.join(ROOT, "public")))
    cpSync(path.join(ROOT, "public"), path.join(STANDALONE, "public"), { recursive: true });
  const migrations = path.join(STANDALONE, "db", "migrations");
  rmSync(migrations, { recursive: true, force: true });
  cpSync(path.join(ROOT, "db", "migrations"), migrations, { recursive: true });

  const { build } = await import("esbuild");
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // `server-only` resolves to its no-op under this condition, as under tsx in `npm run worker`.
    conditions: ["react-server"],
    external: [...TRACED, "pg-native"],
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    logLevel: "warning",
  };
  await build({ ...common, entryPoints: ["db/migrate-cli.ts"], outfile: STANDALONE_MIGRATE });
  await build({ ...common, entryPoints: ["scripts/worker.ts"], outfile: STANDALONE_WORKER });
}

/**
 * The environment the standalone server runs with: `host` is every IPv4 interface by default (the
 * image's); `npm start` passes "::" for IPv6 and IPv4, like `next start`. SIGTERM is ours only.
 */
export function standaloneServerEnv(env, port, host = "0.0.0.0") {
  return { ...env, NODE_ENV: "production", PORT: String(port), HOSTNAME: host, NEXT_MANUAL_SIG_HANDLE: "true" };
}

// `node scripts/lib/standalone.mjs`: what the Dockerfile's build stage runs after `next build`.
if (process.argv[1] && path.resolve(process.argv[1]) === path.join(ROOT, "scripts", "lib", "standalone.mjs")) {
  await assembleStandalone();
  console.log("Assembled .next/standalone (server.js, worker.mjs, db/migrate.mjs).");
}
