import { logFailure, logInfo, logWarning } from "@/lib/log";
import { requestsDrained, requestsInFlight, stopAcceptingRequests } from "./request-hooks";

// Graceful shutdown of a web instance (issue 20). On SIGTERM (a rolling restart, `docker stop`):
// /api/ready turns 503 so the balancer stops sending; the servers stop accepting connections;
// requests in flight get up to LEDGERLINE_SHUTDOWN_TIMEOUT_MS to finish; then the job sender and
// the database pool close and the process exits (0 when every request finished, 1 otherwise). A
// usage request cut off by the bound never half-records: its transaction dies with the connection,
// and the client's retry with the same idempotency key records it once (R30).

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** LEDGERLINE_SHUTDOWN_TIMEOUT_MS when it is a whole number of ms from 1 s to 10 min, else 25 s. */
export function shutdownTimeoutMs(value = process.env.LEDGERLINE_SHUTDOWN_TIMEOUT_MS): number {
  const ms = Number(value);
  return Number.isInteger(ms) && ms >= 1_000 && ms <= 600_000 ? ms : DEFAULT_SHUTDOWN_TIMEOUT_MS;
}

const globalForShutdown = globalThis as unknown as { ledgerlineShuttingDown?: boolean; ledgerlineShutdown?: boolean };

/** True from the first SIGTERM on: /api/ready answers 503. */
export function isShuttingDown(): boolean {
  return globalForShutdown.ledgerlineShuttingDown === true;
}

/**
 * Installs the SIGTERM/SIGINT handler once per process. `closeResources` closes what the process
 * holds open (job sender, database pool) after the last request.
 */
export function installGracefulShutdown(closeResources: () => Promise<void>): void {
  if (globalForShutdown.ledgerlineShutdown) return;
  globalForShutdown.ledgerlineShutdown = true;
  if (!process.env.NEXT_MANUAL_SIG_HANDLE) {
    // Next's own handler would also run: it waits for every connection without a bound, then exits.
    logWarning("shutdown", "NEXT_MANUAL_SIG_HANDLE is not set: Next.js also handles SIGTERM (no time bound)");
  }
  const onSignal = (signal: NodeJS.Signals) => {
    if (isShuttingDown()) return;
    globalForShutdown.ledgerlineShuttingDown = true;
    void shutDown(signal, closeResources);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

async function shutDown(signal: NodeJS.Signals, closeResources: () => Promise<void>): Promise<void> {
  const timeoutMs = shutdownTimeoutMs();
  logInfo("shutdown", { signal, inFlight: requestsInFlight(), timeoutMs });
  stopAcceptingRequests();
  const drained = await requestsDrained(timeoutMs);
  if (!drained) logWarning("shutdown", `${requestsInFlight()} request(s) still in flight after ${timeoutMs} ms`);
  try {
    await closeResources();
  } catch (error) {
    logFailure("shutdown", error);
  }
  logInfo("shutdown", { done: true, drained });
  process.exit(drained ? 0 : 1);
}
