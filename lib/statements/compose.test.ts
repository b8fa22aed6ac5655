import { describe, expect, it } from "vitest";
import { composeStatement } from "./compose";

describe("statement email (R39)", () => {
  const content = {
    groupName: "Research",
    period: "2026-11",
    fileName: "billing-group-bills_2026-11_research.csv",
    csv: Buffer.from("Billing Group,Member Name,Email,Credits Consumption\r\nResearch,Ada,ada@example.com,12.5\r\n"),
    totalCredits: "12.5",
    membersWithUsage: 1,
    consoleUrl: "https://ledgerline.example.com/billing-groups?period=2026-11",
  };
  const message = composeStatement({
    content,
    deliveryId: "6b0d",
    to: "finance@example.com",
    from: "Ledgerline <statements@example.com>",
    date: new Date("2026-12-01T00:01:00Z"),
  });

  it("has the exact subject, the recipient and a Message-ID stable for the delivery", () => {
    expect(message.subject).toBe("Ledgerline statement: Research, 2026-11");
    expect(message.to).toBe("finance@example.com");
    expect(message.messageId).toBe("<statement.6b0d@example.com>");
  });

  it("says the total Credits, the members with usage and where the console is", () => {
    expect(message.text).toContain("Total Credits: 12.5");
    expect(message.text).toContain("Members with usage: 1 member");
    expect(message.text).toContain("https://ledgerline.example.com/billing-groups?period=2026-11");
    expect(message.text).toContain("November 2026");
  });

  it("attaches the CSV bytes unchanged under the export's file name", () => {
    expect(message.attachments).toEqual([
      { filename: content.fileName, content: content.csv, contentType: "text/csv; charset=utf-8" },
    ]);
  });
});
