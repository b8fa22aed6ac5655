import { describe, expect, it } from "vitest";
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, shutdownTimeoutMs } from "./shutdown";

describe("the shutdown bound (issue 20)", () => {
  it("takes LEDGERLINE_SHUTDOWN_TIMEOUT_MS from 1 s to 10 min, else 25 s", () => {
    expect(shutdownTimeoutMs(undefined)).toBe(DEFAULT_SHUTDOWN_TIMEOUT_MS);
    expect(shutdownTimeoutMs("8000")).toBe(8_000);
    for (const bad of ["", "abc", "999", "600001", "2.5"]) expect(shutdownTimeoutMs(bad)).toBe(25_000);
  });
});
