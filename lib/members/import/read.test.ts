import { describe, expect, it } from "vitest";
import { readImportCsv } from "./read";

// The server's reading of an upload (R43 "bad files"): bytes as the browser sends them, in chunks.

function upload(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

const HEADER = "Email,Billing Group,Personal Usage Limit\r\n";

async function failure(body: ReadableStream<Uint8Array> | null, limits?: { maxBytes?: number; maxRows?: number }) {
  const error = await readImportCsv(body, limits).then(
    () => null,
    (e: unknown) => e as Error & { code?: string },
  );
  if (!error) throw new Error("expected the file to be refused");
  return { code: error.code, message: error.message };
}

describe("readImportCsv", () => {
  it("reads a UTF-8 file with a BOM, and a character split across two chunks", async () => {
    const bytes = new TextEncoder().encode(`\ufeff${HEADER}zoë@x.test,Müller Team,12.5\r\n`);
    const cut = bytes.indexOf(0xc3) + 1; // inside the two bytes of "ë"
    const rows = await readImportCsv(upload(bytes.slice(0, cut), bytes.slice(cut)));
    expect(rows).toEqual([
      {
        line: 2,
        email: "zoë@x.test",
        billingGroup: { kind: "named", name: "Müller Team" },
        personalLimit: { kind: "set", value: 1_250n },
        errors: [],
      },
    ]);
  });

  it("keeps formula-looking cells as text", async () => {
    const rows = await readImportCsv(upload(`${HEADER}=cmd|' /C calc'!A0,@SUM(1),+1\n`));
    expect(rows[0]).toMatchObject({ email: "=cmd|' /C calc'!A0", billingGroup: { kind: "named", name: "@SUM(1)" } });
    expect(rows[0]!.errors[0]).toMatch(/looks like a spreadsheet formula/);
  });

  it("refuses other encodings, binary files and NUL bytes", async () => {
    expect(await failure(upload(new Uint8Array([0xff, 0xfe, 0x45, 0x00])))).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/UTF-16/),
    });
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode(HEADER),
      0x7a,
      0x6f,
      0xeb,
      0x40,
      0x78,
      0x2c,
      0x2c,
      0x0a,
    ]);
    expect((await failure(upload(latin1))).message).toMatch(/^The file is not UTF-8 text/);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x9c, 0xf1]);
    expect((await failure(upload(zip))).message).toMatch(/NUL bytes|not UTF-8/);
    expect((await failure(upload(`${HEADER}a@x.test\u0000,,\n`))).message).toMatch(/NUL bytes/);
  });

  it("refuses an empty body, a file over the byte cap and one over the row cap while reading", async () => {
    expect((await failure(null)).message).toMatch(/^The file is empty/);
    expect((await failure(upload(""))).message).toMatch(/^The file is empty/);
    const big = await failure(upload(HEADER, "a".repeat(600), "b".repeat(600)), { maxBytes: 1_000 });
    expect(big).toEqual({ code: "too_large", message: expect.stringMatching(/larger than 10 MB/) });
    const rows = Array.from({ length: 5 }, (_, i) => `p${i}@x.test,,1\r\n`).join("");
    expect((await failure(upload(HEADER, rows), { maxRows: 4 })).message).toMatch(/more than 4 rows/);
  });

  it("refuses a malformed quoted cell, or one that never closes", async () => {
    expect((await failure(upload(`${HEADER}a@x.test,,1\r\nb@x.test,"Des"ign,2\r\n`))).message).toMatch(
      /^Line 3 is not valid CSV/,
    );
    expect((await failure(upload(`${HEADER}a@x.test,"Design,1\r\nb@x.test,,2\r\n`))).message).toMatch(
      /^Line 2 is not valid CSV/,
    );
  });
});
