// Shared by the start, test and e2e scripts: child processes in their own process groups,
// stopped cleanly (the whole group) when we exit.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = (name) => path.join(ROOT, "node_modules", ".bin", name);

/** Runs a command to completion, inheriting stdio. Rejects with a readable error on failure. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", ...options });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(command)} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** Runs TypeScript through tsx with the react-server condition, so `server-only` modules load. */
export function runTs(file, args = [], options = {}) {
  return run(BIN("tsx"), ["--conditions=react-server", file, ...args], options);
}

/** Starts a long-running child in its own process group. */
export function startGroup(command, args, options = {}) {
  const child = spawn(command, args, { cwd: ROOT, detached: true, ...options });
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    /** SIGTERM to the whole group, SIGKILL if it has not gone within `graceMs`. */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Calls `cleanup` once on SIGINT/SIGTERM/SIGHUP, then exits with the conventional code. */
export function onShutdown(cleanup) {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      try {
        await cleanup();
      } finally {
        process.exit(signal === "SIGINT" ? 130 : 143);
      }
    });
  }
}
