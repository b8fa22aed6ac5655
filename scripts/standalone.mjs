// `npm run standalone:smoke` (issue 20): on the host, every step the Dockerfile runs, then what a
// rolling restart does to it. Builds (unless --skip-build) and assembles .next/standalone as the
// image's build stage does; migrates a fresh database with the image's release command
// (`node db/migrate.mjs`); starts `node worker.mjs` and `node server.js` with only the runtime's
// login; waits for /api/ready; drives a short flow (a page, sign-in, a signed-in page, usage with
// an API key, failing requests); then SIGTERMs the server with usage requests in flight and checks
// that each is recorded once or can be retried with its idempotency key, that the server exits
// within the shutdown bound, and that the logs carry request ids and none of the run's secrets.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import postgres from "postgres";
import { BIN, ROOT, onShutdown, run } from "./lib/processes.mjs";
import {
  STANDALONE,
  STANDALONE_MIGRATE,
  STANDALONE_SERVER,
  STANDALONE_WORKER,
  assembleStandalone,
  standaloneServerEnv,
} from "./lib/standalone.mjs";
import { createTestDatabase } from "./lib/test-database.mjs";

const PORT = Number(process.env.STANDALONE_PORT ?? 3410);
const BASE = `http://127.0.0.1:${PORT}`;
const SHUTDOWN_MS = 8_000;
const DEMO = { email: "admin@example.com", password: "demo-admin" };
const LOG_FILE = path.join(ROOT, ".next", "standalone-smoke.log");

const output = [];
const children = new Set();
let database;

function check(condition, message) {
  if (!condition) throw new Error(`standalone smoke: ${message}`);
  console.log(`  ok  ${message}`);
}

/** Starts `node <file>` in the standalone folder, as the image does; its output is kept for the log checks. */
function startNode(file, env) {
  const child = spawn(process.execPath, [file], { cwd: STANDALONE, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      children.delete(child);
      resolve({ code, signal, at: Date.now() });
    }),
  );
  for (const stream of [child.stdout, child.stderr]) stream.on("data", (chunk) => output.push(chunk.toString()));
  return { child, exited };
}

let owner;
async function stopAll() {
  for (const child of children) child.kill("SIGKILL");
  await owner?.end();
  writeFileSync(LOG_FILE, output.join(""));
  await database?.drop();
}
onShutdown(stopAll);

/** Runs a command and returns its stdout (stderr passes through). */
function capture(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] });
    let text = "";
    child.stdout.on("data", (chunk) => (text += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`${args.join(" ")} failed`))));
  });
}

async function until(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`standalone smoke: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function cookiesOf(response) {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
}

/**
 * A usage POST sent in two halves over its own connection: the server has the request (and counts
 * it in flight) after the first, and cannot answer before the second. Resolves with the status
 * and body, or with the connection error a client would see.
 */
function slowUsage(key, idempotencyKey) {
  const body = JSON.stringify({ member: "dev@example.com", credits: "1.25", idempotencyKey });
  const half = Math.floor(body.length / 2);
  const request = http.request(`${BASE}/api/v1/usage`, {
    method: "POST",
    agent: false,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Content-Length": body.length },
  });
  const answered = new Promise((resolve) => {
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode, body: text }));
    });
    request.on("error", (error) => resolve({ status: 0, error: error.code ?? error.message }));
  });
  request.write(body.slice(0, half));
  return { answered, finish: () => request.end(body.slice(half)) };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function postUsage(key, idempotencyKey, extra = {}) {
  return fetch(`${BASE}/api/v1/usage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", ...extra },
    body: JSON.stringify({ member: "dev@example.com", credits: "1.25", idempotencyKey }),
  });
}

let code = 0;
try {
  const started = Date.now();
  if (!process.argv.includes("--skip-build")) {
    console.log("--- next build (output: standalone)");
    await run(BIN("next"), ["build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  }
  console.log("--- assemble .next/standalone (the image's build stage)");
  await assembleStandalone();

  console.log("--- release step: node db/migrate.mjs on a fresh database");
  database = await createTestDatabase({
    label: "standalone",
    migrate: (url) =>
      run(process.execPath, [STANDALONE_MIGRATE], { cwd: STANDALONE, env: { ...process.env, DATABASE_URL: url } }),
  });
  await run(BIN("tsx"), ["--conditions=react-server", "db/seed/cli.ts"], {
    env: { ...process.env, DATABASE_URL: database.url },
  });
  const { secret: apiKey } = JSON.parse(
    await capture(BIN("tsx"), ["--conditions=react-server", "scripts/lib/mint-demo-api-key.ts"], {
      ...process.env,
      DATABASE_URL: database.url,
    }),
  );

  owner = postgres(database.url, { max: 1, onnotice: () => {} });
  const [{ events: eventsBefore }] = await owner`select count(*)::int as events from usage_events`;

  // What the container gets: the runtime's login only, never the owner's (R47).
  const authSecret = randomBytes(32).toString("base64url");
  const env = {
    PATH: process.env.PATH ?? "",
    DATABASE_APP_URL: database.appUrl,
    AUTH_SECRET: authSecret,
    NEXTAUTH_URL: BASE,
    NEXT_TELEMETRY_DISABLED: "1",
    LEDGERLINE_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS),
  };
  const startServer = () => startNode(STANDALONE_SERVER, standaloneServerEnv(env, PORT));
  const worker = startNode(STANDALONE_WORKER, { ...env, NODE_ENV: "production" });
  let server = startServer();

  console.log("--- node server.js + node worker.mjs");
  await until(async () => (await fetch(`${BASE}/api/ready`)).status === 200, 90_000, "/api/ready");
  check((await (await fetch(`${BASE}/api/health`)).json()).status === "ok", "GET /api/health answers ok");
  const ready = await (await fetch(`${BASE}/api/ready`)).json();
  check(
    ready.migrations === "current" && ready.jobRunner === "running",
    "GET /api/ready: migrations current, job runner running",
  );

  const page = await fetch(`${BASE}/sign-in`, { headers: { "X-Request-Id": "smoke-sign-in-page" } });
  check(
    page.status === 200 && page.headers.get("x-request-id") === "smoke-sign-in-page",
    "a page keeps the caller's X-Request-Id",
  );

  const csrf = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const signIn = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email: DEMO.email, password: DEMO.password, json: "true" }),
  });
  const session = cookiesOf(signIn).find((cookie) => cookie.startsWith("next-auth.session-token="));
  check(Boolean(session), "signs in with the demo password");
  const overview = await fetch(`${BASE}/billing-groups`, { headers: { Cookie: session } });
  check(overview.status === 200, "a signed-in page renders");

  check((await postUsage(apiKey, "smoke-flow-1")).status === 201, "records usage with an API key");
  const badKey = await postUsage(`ll_${"x".repeat(40)}`, "smoke-flow-2");
  const badKeyBody = await badKey.json();
  check(
    badKey.status === 401 &&
      badKeyBody.error === "unauthorized" &&
      badKeyBody.requestId === badKey.headers.get("x-request-id"),
    "a 401 keeps its error shape and carries the request id",
  );
  const invalid = await fetch(`${BASE}/api/v1/usage`, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json", "X-Request-Id": "smoke-invalid" },
    body: "{not json",
  });
  check(
    invalid.status === 400 && (await invalid.json()).requestId === "smoke-invalid",
    "a 400 body carries the caller's request id",
  );

  console.log("--- SIGTERM with a usage request in flight");
  const finishing = slowUsage(apiKey, "smoke-in-flight-finished");
  await sleep(500);
  const termAt = Date.now();
  server.child.kill("SIGTERM");
  await sleep(500);
  const refused = await fetch(`${BASE}/api/health`).then(
    () => false,
    () => true,
  );
  check(refused, "stops accepting new connections at once");
  finishing.finish();
  const finished = await finishing.answered;
  check(finished.status === 201, `the request in flight completes (${finished.status})`);
  const exit = await server.exited;
  check(exit.code === 0 && exit.at - termAt < SHUTDOWN_MS, `exits 0 after draining (${exit.at - termAt} ms)`);

  console.log("--- SIGTERM with a request that outlives the bound");
  server = startServer();
  await until(async () => (await fetch(`${BASE}/api/ready`)).status === 200, 60_000, "/api/ready after restart");
  const stuck = slowUsage(apiKey, "smoke-in-flight-cut");
  await sleep(500);
  const secondTermAt = Date.now();
  server.child.kill("SIGTERM");
  const cut = await stuck.answered;
  const secondExit = await server.exited;
  const tookMs = secondExit.at - secondTermAt;
  check(cut.status === 0, `the request cut off at the bound gets a connection error (${cut.error})`);
  check(
    secondExit.code === 1 && tookMs >= SHUTDOWN_MS && tookMs < SHUTDOWN_MS + 5_000,
    `exits 1 at the bound (${tookMs} ms)`,
  );

  console.log("--- retries with the same idempotency keys");
  server = startServer();
  await until(async () => (await fetch(`${BASE}/api/ready`)).status === 200, 60_000, "/api/ready after restart");
  check(
    (await postUsage(apiKey, "smoke-in-flight-finished")).status === 200,
    "the completed request's retry replays (200)",
  );
  check(
    (await postUsage(apiKey, "smoke-in-flight-cut")).status === 201,
    "the cut-off request's retry records it (201)",
  );
  const [{ events }] = await owner`select count(*)::int as events from usage_events`;
  const keys = await owner`select key from idempotency_records where key like 'smoke-%' order by key`;
  check(
    events === eventsBefore + 3 && keys.length === 3,
    `3 events recorded for 3 idempotency keys, none twice (${keys.map((row) => row.key).join(", ")})`,
  );

  server.child.kill("SIGTERM");
  worker.child.kill("SIGTERM");
  const [serverExit, workerExit] = await Promise.all([server.exited, worker.exited]);
  check(serverExit.code === 0 && workerExit.code === 0, "server and worker stop cleanly on SIGTERM");

  console.log("--- logs");
  const text = output.join("");
  const lines = text.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
  const requests = lines.filter((line) => line.msg === "request");
  check(
    requests.length >= 10 && requests.every((line) => typeof line.requestId === "string"),
    `${requests.length} request lines, each with a request id`,
  );
  check(
    requests.some((line) => line.requestId === "smoke-sign-in-page" && line.route === "/sign-in"),
    "the caller's request id is in the log",
  );
  check(
    requests.some((line) => typeof line.orgId === "string" && line.route === "/api/v1/usage"),
    "API requests are logged with their org id",
  );
  check(
    requests.every((line) => Number.isInteger(line.status) && Number.isInteger(line.durationMs)),
    "each with status and duration",
  );
  const secrets = {
    "the password": DEMO.password,
    "the API key": apiKey,
    "the API key's secret part": apiKey.slice(-24),
    "the session token": session.split("=")[1],
    AUTH_SECRET: authSecret,
    "the database password": new URL(database.appUrl).password,
  };
  for (const [name, value] of Object.entries(secrets)) check(!text.includes(value), `the logs never contain ${name}`);
  console.log(`Standalone smoke passed in ${Math.round((Date.now() - started) / 1000)} s.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await stopAll();
  console.log(`Server and worker output: ${path.relative(ROOT, LOG_FILE)}`);
}
process.exit(code);
