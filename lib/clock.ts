// The only module that knows "now". Tests (and e2e runs started with LEDGERLINE_TEST_CLOCK=1)
// can move it, so month boundaries (R22, R23) are testable without waiting for one.

type ClockState = { fixed?: Date; offsetMs: number };

const globalForClock = globalThis as unknown as { ledgerlineClock?: ClockState };
globalForClock.ledgerlineClock ??= { offsetMs: 0 };
const state: ClockState = globalForClock.ledgerlineClock;

export function now(): Date {
  if (state.fixed) return new Date(state.fixed.getTime());
  return new Date(Date.now() + state.offsetMs);
}

/** Pins the clock to an instant (tests only). */
export function setClock(instant: Date | null): void {
  state.fixed = instant ?? undefined;
  state.offsetMs = 0;
}

/** Is the clock allowed to be moved from outside (test route)? Never in a normal production run. */
export function clockIsAdjustable(): boolean {
  return process.env.LEDGERLINE_TEST_CLOCK === "1";
}
