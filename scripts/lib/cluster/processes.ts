// The cluster test's child processes: each started in its own process group with its output in a
// log file, remembered by pid, and stopped by pid (the group), whatever happens to the test.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type Tracked = {
  name: string;
  pid: number;
  logFile: string;
  exited: Promise<Exit>;
  /** Still running (no exit seen). */
  alive(): boolean;
};

/** Who to run a command as: the unprivileged owner of the PostgreSQL data when we are root. */
export type RunAs = { uid: number; gid: number } | undefined;

export class ProcessTracker {
  private readonly running = new Map<number, { tracked: Tracked; child: ChildProcess }>();

  constructor(private readonly logDir: string) {}

  start(
    name: string,
    command: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; runAs?: RunAs; cwd?: string } = {},
  ): Tracked {
    const logFile = path.join(this.logDir, `${name}.log`);
    const out = openSync(logFile, "a");
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ["ignore", out, out],
      ...(options.runAs ?? {}),
    });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`${name} did not start (${command})`);
    let exit: Exit | undefined;
    const exited = new Promise<Exit>((resolve) => {
      child.on("exit", (code, signal) => {
        exit = { code, signal };
        this.running.delete(child.pid!);
        resolve(exit);
      });
      child.on("error", () => {
        exit ??= { code: -1, signal: null };
        this.running.delete(child.pid!);
        resolve(exit);
      });
    });
    const tracked: Tracked = { name, pid: child.pid, logFile, exited, alive: () => exit === undefined };
    this.running.set(child.pid, { tracked, child });
    return tracked;
  }

  /** Sends `signal` to the process group of `tracked` (its pid), then SIGKILL after `graceMs`. */
  async stop(tracked: Tracked, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<Exit> {
    if (!tracked.alive()) return tracked.exited;
    signalGroup(tracked.pid, signal);
    const timer = setTimeout(() => signalGroup(tracked.pid, "SIGKILL"), graceMs);
    const exit = await tracked.exited;
    clearTimeout(timer);
    return exit;
  }

  /** `kill -9` of the group, as a crash would. */
  kill(tracked: Tracked): Promise<Exit> {
    return this.stop(tracked, "SIGKILL", 0);
  }

  /** Stops what is still running (or `only` those), newest first, all at once, by pid. */
  async stopAll(options: { signal?: NodeJS.Signals; only?: (tracked: Tracked) => boolean } = {}): Promise<void> {
    const chosen = this.list().filter(options.only ?? (() => true));
    await Promise.all(chosen.reverse().map((tracked) => this.stop(tracked, options.signal ?? "SIGTERM", 10_000)));
  }

  /** Every process started and still running, for the report on failure. */
  list(): Tracked[] {
    return [...this.running.values()].map((entry) => entry.tracked);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Runs a command to completion (its output in the log); rejects with the log's tail on failure. */
export async function runToCompletion(
  tracker: ProcessTracker,
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; runAs?: RunAs; cwd?: string } = {},
): Promise<void> {
  const tracked = tracker.start(name, command, args, options);
  const { code, signal } = await tracked.exited;
  if (code !== 0) throw new Error(`${name} failed (${signal ?? `exit ${code}`}):\n${tailOf(tracked.logFile)}`);
}

export function tailOf(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Polls `url` until it answers 200, the process dies, or `timeoutMs` passes. */
export async function waitForHealthy(url: string, timeoutMs: number, tracked?: Tracked): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (tracked && !tracked.alive()) throw new Error(`${tracked.name} exited:\n${tailOf(tracked.logFile)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
