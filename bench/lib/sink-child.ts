// The statements benchmark's SMTP sink, in a process of its own (bench/lib/sink-process.ts forks
// it): a statement's receiver is another machine's work, so its SMTP handling must not run on the
// sending process's one JavaScript thread. It tallies each message and drops it.
import { startSmtpSink } from "../../lib/mail/sink";

type Tally = { messages: number; mailedBytes: number; expected: number; handedAtEpochMs: number };
export type SinkRequest = { type: "reset"; expected: number } | { type: "tally" } | { type: "close" };
export type SinkReply = { type: "ready"; url: string } | { type: "tally"; tally: Tally } | { type: "reset" };

const send = (reply: SinkReply) => process.send?.(reply);
const tally: Tally = { messages: 0, mailedBytes: 0, expected: 0, handedAtEpochMs: 0 };
const sink = await startSmtpSink({
  port: Number(process.env.BENCH_SINK_PORT ?? 0),
  onRaw: (raw) => {
    tally.messages += 1;
    tally.mailedBytes += raw.length;
    // Wall-clock time with sub-millisecond precision, comparable with the parent's.
    if (tally.messages === tally.expected) tally.handedAtEpochMs = performance.timeOrigin + performance.now();
  },
});
process.on("message", async (request: SinkRequest) => {
  if (request.type === "reset") {
    Object.assign(tally, { messages: 0, mailedBytes: 0, expected: request.expected, handedAtEpochMs: 0 });
    send({ type: "reset" });
  } else if (request.type === "tally") send({ type: "tally", tally: { ...tally } });
  else {
    await sink.close();
    process.exit(0);
  }
});
// The benchmark died without closing it: go too, rather than hold the port.
process.on("disconnect", () => process.exit(0));
send({ type: "ready", url: sink.url });
