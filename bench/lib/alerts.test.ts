import { describe, expect, it } from "vitest";
import { alertsOffDefinition, currentRecordUsageDefinition } from "./alerts";

describe("the alerts benchmark's off definition", () => {
  const { definition: on } = currentRecordUsageDefinition();
  const off = alertsOffDefinition(on);

  it("is the current function without the R40 re-read and threshold loop", () => {
    expect(on).toContain("threshold.crossed");
    expect(off).not.toContain("threshold.crossed");
    expect(off).not.toContain("INTO v_fresh");
    expect(off.length).toBeLessThan(on.length);
  });

  it("keeps everything else the current function does", () => {
    for (const kept of [
      "FOR UPDATE OF m",
      "default_personal_limit",
      "INSERT INTO group_period_usage",
      "INSERT INTO member_period_usage",
      "INSERT INTO group_daily_usage",
      "INSERT INTO idempotency_records",
      "'events', v_events",
    ])
      expect(off).toContain(kept);
  });

  it("refuses a definition whose R40 block it cannot find", () => {
    expect(() => alertsOffDefinition(on.replace("INTO v_fresh", "INTO v_again"))).toThrow(/R40 block/);
  });
});
