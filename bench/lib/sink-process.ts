// Starts bench/lib/sink-child.ts in its own process and talks to it over IPC.
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";
import type { SinkReply, SinkRequest } from "./sink-child";

export type SinkProcess = {
  url: string;
  /** Zeroes the tally and says how many messages make a run complete. */
  reset(expected: number): Promise<void>;
  /** Messages and bytes received since the reset, and the wall-clock time the last expected one landed. */
  tally(): Promise<{ messages: number; mailedBytes: number; handedAtEpochMs: number }>;
  close(): Promise<void>;
};

export async function startSinkProcess(port: number): Promise<SinkProcess> {
  // The parent runs under tsx: its execArgv (tsx's loader, the react-server condition) is inherited.
  const child = fork(path.join(import.meta.dirname, "sink-child.ts"), [], {
    env: { ...process.env, BENCH_SINK_PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await reply(child, (r) => r.type === "ready");
  const ask = (request: SinkRequest, type: SinkReply["type"]) => {
    const answer = reply(child, (r) => r.type === type);
    child.send(request);
    return answer;
  };
  return {
    url: (ready as Extract<SinkReply, { type: "ready" }>).url,
    async reset(expected) {
      await ask({ type: "reset", expected }, "reset");
    },
    async tally() {
      return ((await ask({ type: "tally" }, "tally")) as Extract<SinkReply, { type: "tally" }>).tally;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "close" } satisfies SinkRequest);
      await exited;
    },
  };
}

function reply(child: ChildProcess, matches: (reply: SinkReply) => boolean): Promise<SinkReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: SinkReply) => {
      if (!matches(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`The benchmark's SMTP sink exited (code ${code}).`));
    };
    const cleanup = () => {
      child.off("message", onMessage);
      child.off("exit", onExit);
    };
    child.on("message", onMessage);
    child.on("exit", onExit);
  });
}
