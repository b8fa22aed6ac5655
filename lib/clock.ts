// The only module that knows "now". Tests (and e2e runs started with LEDGERLINE_TEST_CLOCK=1)
// can move it, so month boundaries (R22, R23) are testable without waiting for one.

type ClockState = { fixed?: Date; offsetMs: number };

/**
 * A test cluster's processes (consoles and workers, `npm run test:cluster`) are started with the
 * same LEDGERLINE_TEST_CLOCK_OFFSET_MS, so they share one clock that runs ahead of the real one,
 * a restarted process included: a month boundary passes for all of them at the same moment.
 */
function startingOffsetMs(): number {
  if (!clockIsAdjustable()) return 0;
  const offset = Number(process.env.LEDGERLINE_TEST_CLOCK_OFFSET_MS ?? 0);
  return Number.isFinite(offset) ? offset : 0;
}

const globalForClock = globalThis as unknown as { ledgerlineClock?: ClockState };
globalForClock.ledgerlineClock ??= { offsetMs: startingOffsetMs() };
const state: ClockState = globalForClock.ledgerlineClock;

export function now(): Date {
  if (state.fixed) return new Date(state.fixed.getTime());
  return new Date(Date.now() + state.offsetMs);
}

/** Pins the clock to an instant (tests only); null lets it run again, from where it started. */
export function setClock(instant: Date | null): void {
  state.fixed = instant ?? undefined;
  state.offsetMs = instant ? 0 : startingOffsetMs();
}

/** Is the clock allowed to be moved from outside (test route)? Never in a normal production run. */
export function clockIsAdjustable(): boolean {
  return process.env.LEDGERLINE_TEST_CLOCK === "1";
}
