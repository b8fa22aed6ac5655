import { afterEach, describe, expect, it, vi } from "vitest";

// The module keeps its state on globalThis (hot reloads); each test starts from a fresh one.
async function freshClock(env: Record<string, string | undefined>) {
  vi.resetModules();
  delete (globalThis as { ledgerlineClock?: unknown }).ledgerlineClock;
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return import("./clock");
}

afterEach(() => {
  vi.unstubAllEnvs();
  delete (globalThis as { ledgerlineClock?: unknown }).ledgerlineClock;
});

describe("the clock's starting offset (test clusters)", () => {
  const DAY = 86_400_000;

  it("runs the given offset ahead of real time when the test clock is on, and returns to it after a pin", async () => {
    const clock = await freshClock({ LEDGERLINE_TEST_CLOCK: "1", LEDGERLINE_TEST_CLOCK_OFFSET_MS: String(DAY) });
    expect(clock.now().getTime() - Date.now()).toBeGreaterThan(DAY - 1_000);
    clock.setClock(new Date("2026-01-31T23:59:00Z"));
    expect(clock.now().toISOString()).toBe("2026-01-31T23:59:00.000Z");
    clock.setClock(null);
    expect(clock.now().getTime() - Date.now()).toBeGreaterThan(DAY - 1_000);
  });

  it("ignores the offset unless the test clock is on (a production run keeps real time)", async () => {
    const clock = await freshClock({ LEDGERLINE_TEST_CLOCK: undefined, LEDGERLINE_TEST_CLOCK_OFFSET_MS: String(DAY) });
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1_000);
  });
});
