// The cluster test's ingestion load: a few clients sending POST /api/v1/usage through the load
// balancer for a bounded time, each event under its own idempotency key. A connection error or
// a 5xx is retried with the same key and body (what R30 asks of clients), so a request the
// balancer lost mid-flight is either replayed or recorded once.
import { randomUUID } from "node:crypto";
import { sleep } from "./processes";

export type SentEvent = {
  idempotencyKey: string;
  member: string;
  credits: string;
  /** The final answer's status; null when every attempt failed until the give-up time. */
  status: number | null;
  /** The event id a 2xx answer carried. */
  eventId: string | null;
  attempts: number;
};

export type LoadResult = {
  events: SentEvent[];
  /** When each final answer (anything but a 5xx or 429) arrived, ms since the epoch. */
  answerTimes: number[];
  /** Attempts that failed with a connection error or 5xx, by cause. */
  failures: Map<string, number>;
};

export type Load = { stop(): void; done: Promise<LoadResult> };

const RETRY_PAUSE_MS = 150;
/** A request still unanswered this long after its first attempt is given up (and reported). */
const GIVE_UP_MS = 30_000;

export function startLoad(params: {
  url: string;
  apiKey: string;
  members: string[];
  clients: number;
  until: number;
}): Load {
  let stopped = false;
  const result: LoadResult = { events: [], answerTimes: [], failures: new Map() };
  const fail = (cause: string) => result.failures.set(cause, (result.failures.get(cause) ?? 0) + 1);

  async function sendOne(): Promise<SentEvent> {
    const member = params.members[Math.floor(Math.random() * params.members.length)]!;
    const credits = (1 + Math.random() * 4).toFixed(2);
    const event: SentEvent = {
      idempotencyKey: randomUUID(),
      member,
      credits,
      status: null,
      eventId: null,
      attempts: 0,
    };
    const body = JSON.stringify({ member, credits, idempotencyKey: event.idempotencyKey });
    const started = Date.now();
    while (Date.now() - started < GIVE_UP_MS) {
      event.attempts += 1;
      try {
        const response = await fetch(params.url, {
          method: "POST",
          headers: { Authorization: `Bearer ${params.apiKey}`, "Content-Type": "application/json" },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        const answer = (await response.json().catch(() => null)) as { eventId?: string } | null;
        if (response.status < 500 && response.status !== 429) {
          event.status = response.status;
          if (response.ok) event.eventId = answer?.eventId ?? null;
          result.answerTimes.push(Date.now());
          return event;
        }
        fail(`HTTP ${response.status}`);
      } catch (error) {
        fail(error instanceof Error && error.name === "TimeoutError" ? "timeout" : "connection error");
      }
      await sleep(RETRY_PAUSE_MS);
    }
    return event;
  }

  async function client(): Promise<void> {
    while (!stopped && Date.now() < params.until) result.events.push(await sendOne());
  }

  const done = Promise.all(Array.from({ length: params.clients }, client)).then(() => result);
  return {
    stop() {
      stopped = true;
    },
    done,
  };
}

/** The longest stretch, in ms, between two answers: how long the cluster answered nobody. */
export function longestGapMs(answerTimes: number[]): number {
  const sorted = [...answerTimes].sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < sorted.length; i++) longest = Math.max(longest, sorted[i]! - sorted[i - 1]!);
  return longest;
}
