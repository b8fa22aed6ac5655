import { describe, expect, it } from "vitest";
import { describeEvent } from "./describe";

const data = { billingGroup: { id: "g1", name: "Research" }, period: "2026-12", used: "90", limit: "100" };

describe("describeEvent (R40)", () => {
  it("names the group, the threshold and the figures of a crossing", () => {
    expect(describeEvent("threshold.crossed", { ...data, threshold: 90 }, "2026-12")).toEqual({
      title: "Research reached 90% of its period limit",
      detail: "90 of 100 Credits used in December 2026 (current).",
    });
  });

  it("says a resolved threshold is back below it", () => {
    expect(describeEvent("threshold.resolved", { ...data, threshold: 90 }, "2027-01").title).toBe(
      "Research is back below 90% of its period limit",
    );
  });

  it("gives the projection of a forecast", () => {
    expect(describeEvent("forecast.exceeds", { ...data, projected: "140.5" }, "2026-12").detail).toBe(
      "90 of 100 Credits used; 140.5 projected by the end of December 2026 (current).",
    );
  });

  it("reports unreadable data instead of printing undefined", () => {
    expect(describeEvent("threshold.crossed", { nope: 1 }, "2026-12").detail).toBe(
      "This event's details could not be read.",
    );
  });
});
