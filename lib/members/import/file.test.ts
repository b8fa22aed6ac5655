import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import {
  ImportFileError,
  ImportFileReader,
  importCell,
  mapImportHeader,
  parseImportRow,
  type HeaderMapping,
} from "./file";

const FULL: HeaderMapping = { width: 3, email: 0, billingGroup: 1, personalLimit: 2 };

function read(csv: string, maxRows?: number) {
  const reader = new ImportFileReader(maxRows);
  for (const cells of Papa.parse<string[]>(csv, { delimiter: "," }).data) reader.accept(cells);
  return reader.finish();
}

function fileError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as Error).message;
  }
  throw new Error("expected an ImportFileError");
}

describe("mapImportHeader (R43)", () => {
  it("maps the three columns in any order, case-insensitively, ignoring spaces and a BOM", () => {
    expect(mapImportHeader(["Email", "Billing Group", "Personal Usage Limit"])).toEqual(FULL);
    expect(mapImportHeader(["\ufeffpersonal usage limit", " EMAIL ", "billing  group"])).toEqual({
      width: 3,
      email: 1,
      billingGroup: 2,
      personalLimit: 0,
    });
  });

  it("accepts Email with only one of the other two", () => {
    expect(mapImportHeader(["Email", "Personal Usage Limit"])).toEqual({
      width: 2,
      email: 0,
      billingGroup: null,
      personalLimit: 1,
    });
    expect(mapImportHeader(["Billing Group", "Email"])).toEqual({
      width: 2,
      email: 1,
      billingGroup: 0,
      personalLimit: null,
    });
  });

  it("names unknown and unnamed columns", () => {
    expect(fileError(() => mapImportHeader(["Email", "Billing Group", "Name", "Role", ""]))).toBe(
      "Unknown columns in the header: “Name”, “Role”, column 5 (no name). The header is Email,Billing Group,Personal Usage Limit (in any order).",
    );
    expect(fileError(() => mapImportHeader(["Email", "Limit"]))).toMatch(/^Unknown column in the header: “Limit”\./);
  });

  it("refuses a repeated column, a missing Email, and Email alone", () => {
    expect(fileError(() => mapImportHeader(["Email", "email", "Billing Group"]))).toBe(
      "The column “Email” appears twice in the header.",
    );
    expect(fileError(() => mapImportHeader(["Billing Group", "Personal Usage Limit"]))).toMatch(/no Email column/);
    expect(fileError(() => mapImportHeader(["Email"]))).toMatch(/needs a Billing Group column/);
  });

  it("says so when the file is separated by semicolons or tabs", () => {
    expect(fileError(() => mapImportHeader(["Email;Billing Group;Personal Usage Limit"]))).toMatch(
      /separated by commas \(this file uses “;”\)/,
    );
    expect(fileError(() => mapImportHeader(["Email\tBilling Group"]))).toMatch(/this file uses tabs/);
  });
});

describe("importCell", () => {
  it("trims, and takes off the quote that Download current assignments puts before a formula-looking value", () => {
    expect(importCell("  Design ")).toBe("Design");
    expect(importCell("'=Ops")).toBe("=Ops");
    expect(importCell("'-5")).toBe("-5");
    expect(importCell("'Quoted")).toBe("'Quoted");
    expect(importCell("=SUM(A1:A9)")).toBe("=SUM(A1:A9)");
    expect(importCell(undefined)).toBe("");
  });
});

describe("parseImportRow: Credits (R17) and the empty cell (R43)", () => {
  const limitOf = (text: string) => parseImportRow(["a@example.test", "", text], FULL, 2);

  it("reads Credits exactly as hundredths", () => {
    expect(limitOf("250").personalLimit).toEqual({ kind: "set", value: 25_000n });
    expect(limitOf("12.5").personalLimit).toEqual({ kind: "set", value: 1_250n });
    expect(limitOf(" 0.25 ").personalLimit).toEqual({ kind: "set", value: 25n });
    expect(limitOf("0").personalLimit).toEqual({ kind: "set", value: 0n });
    expect(limitOf("12.50").personalLimit).toEqual({ kind: "set", value: 1_250n });
  });

  it("leaves empty cells unchanged", () => {
    const row = parseImportRow(["a@example.test", " ", ""], FULL, 2);
    expect(row).toEqual({
      line: 2,
      email: "a@example.test",
      billingGroup: { kind: "unchanged" },
      personalLimit: { kind: "unchanged" },
      errors: [],
    });
  });

  it("refuses bad Credits with a clear message", () => {
    for (const text of ["1,000", "12.345", "abc", "1e3", "Infinity", "99999999999999999"])
      expect(limitOf(text).errors, text).toEqual([
        `Personal Usage Limit “${text}” is not Credits: use a number with at most 2 decimals, e.g. 250 or 12.5.`,
      ]);
    expect(limitOf("-5").errors).toEqual(["Personal Usage Limit cannot be negative (“-5”)."]);
    expect(limitOf("=1+1").errors[0]).toMatch(
      /It looks like a spreadsheet formula; it was read as text, never evaluated\./,
    );
  });
});

describe("parseImportRow: every row error of the file itself", () => {
  it("Unassigned in any case, or a billing group by name", () => {
    expect(parseImportRow(["a@example.test", "unassigned", ""], FULL, 2).billingGroup).toEqual({ kind: "unassigned" });
    expect(parseImportRow(["a@example.test", "  Data Science ", ""], FULL, 2).billingGroup).toEqual({
      kind: "named",
      name: "Data Science",
    });
  });

  it("an empty email", () => {
    expect(parseImportRow(["", "Design", ""], FULL, 7).errors).toEqual(["Email is empty."]);
  });

  it("a row whose cell count differs from the header's", () => {
    expect(parseImportRow(["a@example.test", "Design"], FULL, 3)).toMatchObject({
      email: "a@example.test",
      errors: ["This row has 2 cells; the header has 3."],
    });
    expect(parseImportRow(["a@example.test", "Design", "1", "x"], FULL, 3).errors).toEqual([
      "This row has 4 cells; the header has 3.",
    ]);
  });

  it("control characters, named by column, never passed on", () => {
    const row = parseImportRow(["a@example.test\u0000", "De\u0007sign", "1"], FULL, 4);
    expect(row.email).toBe("");
    expect(row.billingGroup).toEqual({ kind: "unchanged" });
    expect(row.errors).toEqual([
      "Email: remove control characters (such as NUL) from this cell.",
      "Billing Group: remove control characters (such as NUL) from this cell.",
    ]);
  });

  it("an overlong email or billing group name", () => {
    expect(parseImportRow([`${"x".repeat(320)}@a.b`, "", ""], FULL, 2).errors[0]).toMatch(/longer than 320/);
    expect(parseImportRow(["a@example.test", "G".repeat(101), ""], FULL, 2).errors[0]).toMatch(
      /^No billing group is named/,
    );
  });
});

describe("ImportFileReader", () => {
  it("numbers lines as a spreadsheet does, skipping blank rows but counting them", () => {
    const rows = read("Email,Billing Group,Personal Usage Limit\r\na@x.test,Design,1\r\n\r\n,,\r\nb@x.test,,2\r\n");
    expect(rows.map((r) => [r.line, r.email])).toEqual([
      [2, "a@x.test"],
      [5, "b@x.test"],
    ]);
  });

  it("keeps quoted cells with commas, quotes and line breaks as text", () => {
    const [row] = read('Email,Billing Group\n"a@x.test","R&D, ""North""\nwing"\n');
    expect(row!.billingGroup).toEqual({ kind: "named", name: 'R&D, "North"\nwing' });
  });

  it("marks every line of a duplicate email, case-insensitively", () => {
    const rows = read("Email,Billing Group\na@x.test,Design\nb@x.test,Design\nA@X.test,Sales\na@x.test,\n");
    expect(rows.map((r) => r.errors)).toEqual([
      ["Duplicate email: also on lines 4, 5."],
      [],
      ["Duplicate email: also on lines 2, 5."],
      ["Duplicate email: also on lines 2, 4."],
    ]);
  });

  it("refuses an empty file, a missing header, a header without rows, and too many rows", () => {
    expect(fileError(() => new ImportFileReader().finish())).toMatch(/^The file is empty\./);
    expect(fileError(() => read(",,\na@x.test,Design,1\n"))).toMatch(/^The first line must be the header/);
    expect(fileError(() => read("Email,Billing Group\n\n"))).toBe("The file has a header but no rows to import.");
    expect(read("Email,Billing Group\na@x,G\nb@x,G\nc@x,G\n", 3)).toHaveLength(3);
    expect(fileError(() => read("Email,Billing Group\na@x,G\nb@x,G\nc@x,G\nd@x,G\n", 3))).toBe(
      "The file has more than 3 rows. Split it into files of at most 3 rows.",
    );
  });
});
