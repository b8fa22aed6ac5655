import { describe, expect, it } from "vitest";
import { billFileName, billHeaderCsv, billRowsCsv } from "./csv";

const row = (billingGroup: string, memberName: string, email: string, credits: string) => ({ billingGroup, memberName, email, credits });

describe("bill CSV (R25, R27)", () => {
  it("has exactly the header of R25, CRLF-terminated", () => {
    expect(billHeaderCsv()).toBe("Billing Group,Member Name,Email,Credits Consumption\r\n");
  });

  it("quotes per RFC 4180 only where needed", () => {
    expect(billRowsCsv([row("Sales, EMEA", 'Ann "Nan" Lee', "ann@example.com", "12.5")])).toBe(
      '"Sales, EMEA","Ann ""Nan"" Lee",ann@example.com,12.5\r\n',
    );
    expect(billRowsCsv([row("Ops", "Line\nBreak", "x@example.com", "3")])).toBe('Ops,"Line\nBreak",x@example.com,3\r\n');
    expect(billRowsCsv([row("Équipe", "Zoë Ødegård", "zoe@example.com", "0.25")])).toBe("Équipe,Zoë Ødegård,zoe@example.com,0.25\r\n");
  });

  it("neutralises cells a spreadsheet would execute, including a leading LF", () => {
    const cells = ["=SUM(A1)", "+1", "-1", "@cmd", "\tTab", "\rCR", "\nLF", "=1\n2"];
    const csv = billRowsCsv(cells.map((c) => row(c, "Name", "e@example.com", "1")));
    const expected = ["'=SUM(A1)", "'+1", "'-1", "'@cmd", "'\tTab", "'\rCR", "'\nLF", "'=1\n2"].map((c) => `"${c}",Name,e@example.com,1\r\n`);
    expect(csv).toBe(expected.join(""));
  });

  it("leaves Credits as plain numbers", () => {
    expect(billRowsCsv([row("A", "B", "c@example.com", "1234567.89")])).toBe("A,B,c@example.com,1234567.89\r\n");
  });

  it("writes nothing for no rows", () => {
    expect(billRowsCsv([])).toBe("");
  });

  it("names the file by period and scope (R26)", () => {
    expect(billFileName("2026-10", { kind: "all" })).toBe("billing-group-bills_2026-10_all.csv");
    expect(billFileName("2026-10", { kind: "unassigned" })).toBe("billing-group-bills_2026-10_unassigned.csv");
    expect(billFileName("2026-10", { kind: "group", name: "Data Science / ML", id: "x" })).toBe("billing-group-bills_2026-10_data-science-ml.csv");
    expect(billFileName("2026-10", { kind: "group", name: "経理", id: "abc" })).toBe("billing-group-bills_2026-10_abc.csv");
  });
});
