import { describe, expect, it } from "vitest";
import {
  diffImport,
  type ImportGroupState,
  type ImportMemberState,
  type ImportState,
  importFingerprintSource,
} from "./diff";
import { parseImportRow, type HeaderMapping, markDuplicateEmails } from "./file";

const FULL: HeaderMapping = { width: 3, email: 0, billingGroup: 1, personalLimit: 2 };
const DESIGN = { id: "00000000-0000-4000-8000-00000000000d", name: "Design" };
const SALES = { id: "00000000-0000-4000-8000-00000000000s", name: "Sales" };

function member(n: number, overrides: Partial<ImportMemberState> = {}): ImportMemberState {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    name: `Person ${n}`,
    email: `p${n}@x.test`,
    billingGroupId: DESIGN.id,
    billingGroupName: "Design",
    personalLimit: 10_000n,
    deactivated: false,
    ...overrides,
  };
}

function diff(lines: string[][], members: (ImportMemberState | undefined)[], groups?: ImportState["groups"]) {
  const rows = lines.map((cells, i) => parseImportRow(cells, FULL, i + 2));
  markDuplicateEmails(rows);
  return diffImport(rows, {
    members,
    groups:
      groups ??
      new Map<string, ImportGroupState>([
        ["Design", DESIGN],
        ["sales", SALES],
        ["Legacy Ops", "deleted"],
      ]),
  });
}

describe("diffImport (R43): Move, Set limit, No change", () => {
  it("moves from → to and sets old → new, counting each kind", () => {
    const result = diff(
      [
        ["p1@x.test", "sales", ""],
        ["p2@x.test", "", "250"],
        ["p3@x.test", "Unassigned", "12.5"],
        ["p4@x.test", "Design", "100"],
        ["p5@x.test", "", ""],
      ],
      [member(1), member(2, { personalLimit: null }), member(3), member(4), member(5)],
    );
    expect(result.rows).toEqual([
      {
        line: 2,
        email: "p1@x.test",
        member: "Person 1",
        move: { from: "Design", to: "Sales" },
        limit: null,
        errors: [],
      },
      { line: 3, email: "p2@x.test", member: "Person 2", move: null, limit: { from: null, to: "250" }, errors: [] },
      {
        line: 4,
        email: "p3@x.test",
        member: "Person 3",
        move: { from: "Design", to: "Unassigned" },
        limit: { from: "100", to: "12.5" },
        errors: [],
      },
      { line: 5, email: "p4@x.test", member: "Person 4", move: null, limit: null, errors: [] },
      { line: 6, email: "p5@x.test", member: "Person 5", move: null, limit: null, errors: [] },
    ]);
    expect(result.totals).toEqual({ move: 2, setLimit: 2, noChange: 2, error: 0 });
    expect(result.changes.map((c) => [c.line, c.move?.toId, c.limit?.to])).toEqual([
      [2, SALES.id, undefined],
      [3, undefined, 25_000n],
      [4, null, 1_250n],
    ]);
  });

  it("from Unassigned, and to the group a member is already in, is no move", () => {
    const result = diff(
      [
        ["p1@x.test", "Design", ""],
        ["p2@x.test", "unassigned", ""],
        ["p3@x.test", "Design", ""],
      ],
      [member(1, { billingGroupId: null, billingGroupName: null }), member(2, { billingGroupId: null }), member(3)],
    );
    expect(result.rows.map((r) => r.move)).toEqual([{ from: "Unassigned", to: "Design" }, null, null]);
    expect(result.totals).toEqual({ move: 1, setLimit: 0, noChange: 2, error: 0 });
  });
});

describe("diffImport: every row error", () => {
  it("unknown member, deactivated member, unknown and deleted billing group", () => {
    const result = diff(
      [
        ["ghost@x.test", "Design", ""],
        ["p2@x.test", "Design", "5"],
        ["p3@x.test", "Marketing", ""],
        ["p4@x.test", "Legacy Ops", ""],
        ['=HYPERLINK("http://evil")', "", "1"],
      ],
      [undefined, member(2, { deactivated: true }), member(3), member(4), undefined],
    );
    expect(result.rows.map((r) => r.errors)).toEqual([
      ["No member has the email “ghost@x.test”."],
      ["This member is deactivated: reactivate them first to change their billing group or limit."],
      ["No billing group is named “Marketing”."],
      ["The billing group “Legacy Ops” was deleted."],
      [
        'No member has the email “=HYPERLINK("http://evil")”. It looks like a spreadsheet formula; it was read as text, never evaluated.',
      ],
    ]);
    expect(result.totals).toEqual({ move: 0, setLimit: 0, noChange: 0, error: 5 });
    expect(result.changes).toEqual([]);
  });

  it("bad Credits and a duplicate email stay errors, and never become changes", () => {
    const result = diff(
      [
        ["p1@x.test", "", "ten"],
        ["p2@x.test", "sales", ""],
        ["P2@x.test", "", "5"],
      ],
      [member(1), member(2), member(2)],
    );
    expect(result.rows.map((r) => r.errors.length)).toEqual([1, 1, 1]);
    expect(result.rows[1]!.errors).toEqual(["Duplicate email: also on line 4."]);
    expect(result.totals.error).toBe(3);
    expect(result.changes).toEqual([]);
  });

  it("two spellings the database folds into one member are a duplicate too", () => {
    const result = diff(
      [
        ["p1@x.test", "sales", ""],
        ["P1@X.TEST ", "", "5"],
      ],
      [member(1), member(1)],
    );
    expect(result.rows.map((r) => r.errors)).toEqual([
      ["Duplicate email: also on line 3."],
      ["Duplicate email: also on line 2."],
    ]);
  });
});

describe("importFingerprintSource", () => {
  const lines = [
    ["p1@x.test", "sales", ""],
    ["p2@x.test", "", "250"],
  ];

  it("is the same for the same changes, and differs when a member moved or a group went in between", () => {
    const before = importFingerprintSource(diff(lines, [member(1), member(2)]));
    expect(importFingerprintSource(diff(lines, [member(1), member(2)]))).toBe(before);
    // Someone moved p1 elsewhere since the preview: the move's "from" differs.
    expect(importFingerprintSource(diff(lines, [member(1, { billingGroupId: null }), member(2)]))).not.toBe(before);
    // Someone set p2's limit to 250 already: one change fewer.
    expect(importFingerprintSource(diff(lines, [member(1), member(2, { personalLimit: 25_000n })]))).not.toBe(before);
    // Sales was deleted: a row in error.
    expect(importFingerprintSource(diff(lines, [member(1), member(2)], new Map([["sales", "deleted"]])))).not.toBe(
      before,
    );
  });
});
