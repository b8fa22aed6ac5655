import { describe, expect, it } from "vitest";
import { composeAlertEmail } from "./alert-email";

describe("alert email (R40)", () => {
  it("says what the Notifications list says, with a stable Message-ID", () => {
    const message = composeAlertEmail({
      event: {
        type: "threshold.crossed",
        data: {
          billingGroup: { id: "g1", name: "Research" },
          period: "2026-12",
          threshold: 90,
          used: "90.00",
          limit: "100.00",
        },
      },
      deliveryId: "d1",
      to: "finance@example.com",
      from: "Ledgerline <statements@example.com>",
      date: new Date("2026-12-10T00:00:00Z"),
      currentPeriod: "2026-12",
      consoleOrigin: "https://console.example.com",
    });
    expect(message.subject).toBe("Ledgerline alert: Research reached 90% of its period limit");
    expect(message.text).toContain("Research reached 90% of its period limit.");
    expect(message.text).toContain("90.00 of 100.00 Credits used in");
    expect(message.text).toContain("https://console.example.com/billing-groups?period=2026-12");
    expect(message.messageId).toBe("<alert.d1@example.com>");
    expect(message.to).toBe("finance@example.com");
  });
});
