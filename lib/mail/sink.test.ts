import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTransport } from "nodemailer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SmtpSink, startSmtpSink } from "./sink";

// What a statement carries (R39): a BOM, CRLF line ends and non-ASCII names must arrive byte for byte.
const CSV = Buffer.from('\uFEFFmember,credits\r\nzoë@example.com,12.50\r\n"O\'Brien, Dana",3.00\r\n', "utf8");

let sink: SmtpSink;
let saveDir: string;
let lines: string[];

beforeEach(async () => {
  saveDir = await mkdtemp(path.join(tmpdir(), "ledgerline-sink-"));
  lines = [];
  sink = await startSmtpSink({ saveDir, log: (line) => lines.push(line) });
});

afterEach(async () => {
  await sink.close();
  await rm(saveDir, { recursive: true, force: true });
});

function sendStatement(subject: string) {
  const { port } = new URL(sink.url);
  const transport = createTransport(`smtp://statements:secret@127.0.0.1:${port}`);
  return transport.sendMail({
    from: "Ledgerline <statements@localhost>",
    to: ["finance@example.com", "Ops Team <ops@example.com>"],
    subject,
    text: "Total Credits: 15.50",
    attachments: [{ filename: "platform-2026-04.csv", content: CSV, contentType: "text/csv; charset=utf-8" }],
  });
}

async function savedFiles(): Promise<string[]> {
  return (await readdir(saveDir)).sort();
}

describe("the local SMTP sink", () => {
  it("keeps a message sent with a login as nodemailer sent it, and saves it as an owner-only .eml", async () => {
    expect(sink.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const info = await sendStatement("Ledgerline statement: Platform, 2026-04");
    expect(info.response).toMatch(/^250 /);

    const [mail] = await sink.waitForMessages(1, 5_000);
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe("Ledgerline statement: Platform, 2026-04");
    expect(mail!.messageId).toBe(info.messageId);
    expect(mail!.from).toBe('"Ledgerline" <statements@localhost>');
    expect(mail!.to).toEqual(["finance@example.com", "ops@example.com"]);
    expect(mail!.envelope).toEqual({ from: "statements@localhost", to: ["finance@example.com", "ops@example.com"] });
    expect(mail!.text.trim()).toBe("Total Credits: 15.50");
    expect(mail!.attachments).toHaveLength(1);
    expect(mail!.attachments[0]!.filename).toBe("platform-2026-04.csv");
    expect(mail!.attachments[0]!.contentType).toBe("text/csv");
    expect(mail!.attachments[0]!.content.equals(CSV)).toBe(true);

    const files = await savedFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-0001\.eml$/);
    const file = path.join(saveDir, files[0]!);
    expect((await readFile(file)).equals(mail!.raw)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("from=<statements@localhost> to=<finance@example.com>,<ops@example.com>");
    expect(lines[0]).toContain('subject="Ledgerline statement: Platform, 2026-04"');
    expect(lines[0]).toContain(`attachments=platform-2026-04.csv (${CSV.length} B)`);
  });

  it("refuses with a temporary 451 while not accepting, keeping nothing, and accepts again afterwards", async () => {
    await sendStatement("first");
    await sink.waitForMessages(1, 5_000);

    sink.setAccepting(false);
    const refused = await sendStatement("refused").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as { responseCode?: number }).responseCode).toBe(451);
    expect(sink.messages.map((m) => m.subject)).toEqual(["first"]);
    expect(await savedFiles()).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/refused \(451\).*subject="refused"/);

    sink.setAccepting(true);
    await sendStatement("second");
    const mail = await sink.waitForMessages(2, 5_000);
    expect(mail.map((m) => m.subject)).toEqual(["first", "second"]);
    expect(await savedFiles()).toHaveLength(2);
  });

  it("waits for messages until its timeout, and forgets held messages on clear", async () => {
    await expect(sink.waitForMessages(1, 50)).rejects.toThrow("holds 0 of the 1 messages");
    await sendStatement("kept");
    await sink.waitForMessages(1, 5_000);
    sink.clear();
    expect(sink.messages).toEqual([]);
    await expect(sink.waitForMessages(1, 50)).rejects.toThrow();
  });
});
