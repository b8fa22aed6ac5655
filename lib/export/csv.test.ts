import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { billFileName, billHeaderCsv, billRowsCsv, csvLine, FORMULA_TRIGGER } from "./csv";

const row = (billingGroup: string, memberName: string, email: string, credits: string) => ({
  billingGroup,
  memberName,
  email,
  credits,
});

describe("bill CSV (R25, R27)", () => {
  it("has exactly the header of R25, CRLF-terminated", () => {
    expect(billHeaderCsv()).toBe("Billing Group,Member Name,Email,Credits Consumption\r\n");
  });

  it("quotes per RFC 4180 only where needed", () => {
    expect(billRowsCsv([row("Sales, EMEA", 'Ann "Nan" Lee', "ann@example.com", "12.5")])).toBe(
      '"Sales, EMEA","Ann ""Nan"" Lee",ann@example.com,12.5\r\n',
    );
    expect(billRowsCsv([row("Ops", "Line\nBreak", "x@example.com", "3")])).toBe(
      'Ops,"Line\nBreak",x@example.com,3\r\n',
    );
    expect(billRowsCsv([row("Équipe", "Zoë Ødegård", "zoe@example.com", "0.25")])).toBe(
      "Équipe,Zoë Ødegård,zoe@example.com,0.25\r\n",
    );
  });

  it("neutralises cells a spreadsheet would execute, including a leading LF", () => {
    const cells = ["=SUM(A1)", "+1", "-1", "@cmd", "\tTab", "\rCR", "\nLF", "=1\n2"];
    const csv = billRowsCsv(cells.map((c) => row(c, "Name", "e@example.com", "1")));
    const expected = ["'=SUM(A1)", "'+1", "'-1", "'@cmd", "'\tTab", "'\rCR", "'\nLF", "'=1\n2"].map(
      (c) => `"${c}",Name,e@example.com,1\r\n`,
    );
    expect(csv).toBe(expected.join(""));
  });

  it("writes any row of cells the same way (the Members import's download, R43)", () => {
    const cells = ["a@example.com", "=Ops", "Sales, EMEA", "", "12.5"];
    expect(csvLine(cells)).toBe(
      `${Papa.unparse([cells], { newline: "\r\n", escapeFormulae: FORMULA_TRIGGER, quotes: false })}\r\n`,
    );
    expect(csvLine(cells)).toBe('a@example.com,"\'=Ops","Sales, EMEA",,12.5\r\n');
  });

  it("leaves Credits as plain numbers", () => {
    expect(billRowsCsv([row("A", "B", "c@example.com", "1234567.89")])).toBe("A,B,c@example.com,1234567.89\r\n");
  });

  it("writes nothing for no rows", () => {
    expect(billRowsCsv([])).toBe("");
  });

  it("writes every cell byte for byte as papaparse does", () => {
    // The bill's writer is hand-tuned for speed; papaparse with the bill's options is the reference.
    // Every string of up to three characters over the characters that change quoting or
    // neutralisation (and a few that must not), in every column.
    const alphabet = ["a", " ", ",", '"', "\r", "\n", "\t", "=", "+", "-", "@", "'", "\ufeff", "é", "😀", ";"];
    const cells = [""];
    for (let length = 0, from = 0; length < 3; length++) {
      const to = cells.length;
      for (let i = from; i < to; i++) for (const c of alphabet) cells.push(cells[i] + c);
      from = to;
    }
    const rows = cells.flatMap((c, i) => [
      row(c, "n", "e", "1"),
      row("g", c, "e", "1"),
      row("g", "n", c, "1"),
      row("g", "n", "e", c),
      row(c, c, cells[cells.length - 1 - i]!, c),
    ]);
    const reference = Papa.unparse(
      rows.map((r) => [r.billingGroup, r.memberName, r.email, r.credits]),
      { newline: "\r\n", escapeFormulae: FORMULA_TRIGGER, quotes: false, header: false },
    );
    expect(rows.length).toBeGreaterThan(20_000);
    expect(billRowsCsv(rows)).toBe(`${reference}\r\n`);
  });

  it("names the file by period and scope (R26)", () => {
    expect(billFileName("2026-10", { kind: "all" })).toBe("billing-group-bills_2026-10_all.csv");
    expect(billFileName("2026-10", { kind: "unassigned" })).toBe("billing-group-bills_2026-10_unassigned.csv");
    expect(billFileName("2026-10", { kind: "group", name: "Data Science / ML", id: "x" })).toBe(
      "billing-group-bills_2026-10_data-science-ml.csv",
    );
    expect(billFileName("2026-10", { kind: "group", name: "経理", id: "abc" })).toBe(
      "billing-group-bills_2026-10_abc.csv",
    );
  });
});
