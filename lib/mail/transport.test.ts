import { SMTPServer } from "smtp-server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mailEnv } from "@/tests/support/mail-env";

// The transport as statements use it (R39), against a real SMTP server that counts connections:
// a period close's messages share a few kept-open connections instead of opening one each.

vi.mock("@/lib/env", () => import("@/tests/support/mail-env"));

const { closeMailTransport, mailTransport } = await import("./transport");

type Counting = {
  server: SMTPServer;
  port: number;
  connections: number;
  logins: string[];
  received: number;
  /** Whether each message arrived over TLS. */
  secure: boolean[];
};

/** An SMTP server that counts; `secure` speaks TLS from the first byte (smtp-server's own test certificate). */
async function countingServer(options: { secure?: boolean } = {}): Promise<Counting> {
  const state = { connections: 0, logins: [] as string[], received: 0, secure: [] as boolean[] };
  const server = new SMTPServer({
    secure: options.secure ?? false,
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(_session, callback) {
      state.connections += 1;
      callback();
    },
    onAuth(auth, _session, callback) {
      state.logins.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        state.received += 1;
        state.secure.push(session.secure);
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return Object.assign(state, { server, port: address.port });
}

let smtp: Counting | undefined;
afterEach(async () => {
  closeMailTransport();
  await new Promise<void>((resolve) => (smtp ? smtp.server.close(() => resolve()) : resolve()));
  smtp = undefined;
});

const message = (to: string) => ({
  from: "Ledgerline <statements@example.com>",
  to,
  subject: "Ledgerline statement: Research, 2026-11",
  text: "Total Credits: 12.50",
});

describe("mailTransport", () => {
  it("sends consecutive messages over one kept-open connection, logging in with SMTP_URL's credentials", async () => {
    smtp = await countingServer();
    mailEnv.SMTP_URL = `smtp://statements%40example.com:p%3Ass@127.0.0.1:${smtp.port}`;
    for (const to of ["a@example.com", "b@example.com", "c@example.com", "d@example.com"]) {
      await mailTransport().sendMail(message(to));
    }
    expect(smtp.received).toBe(4);
    expect(smtp.connections).toBe(1);
    expect(smtp.logins).toEqual(["statements@example.com:p:ss"]);
  });

  it("keeps at most three connections however many messages are in flight", async () => {
    smtp = await countingServer();
    mailEnv.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    const recipients = Array.from({ length: 12 }, (_, i) => `r${i}@example.com`);
    await Promise.all(recipients.map((to) => mailTransport().sendMail(message(to))));
    expect(smtp.received).toBe(12);
    expect(smtp.connections).toBeLessThanOrEqual(3);
  });

  it("hands a message over without waiting on the server's delayed ACK", async () => {
    smtp = await countingServer();
    mailEnv.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    // The first message also opens the connection; the next ones show the per-message cost.
    await mailTransport().sendMail(message("first@example.com"));
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      await mailTransport().sendMail(message(`r${i}@example.com`));
      times.push(performance.now() - started);
    }
    // With Nagle's algorithm on, every message waited ≥ 40 ms for the ACK (Linux's delayed-ACK floor).
    expect(Math.min(...times)).toBeLessThan(30);
    expect(smtp.connections).toBe(1);
  });

  it("speaks TLS from the first byte for smtps://", async () => {
    smtp = await countingServer({ secure: true });
    mailEnv.SMTP_URL = `smtps://statements:secret@127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`;
    await mailTransport().sendMail(message("a@example.com"));
    await mailTransport().sendMail(message("b@example.com"));
    expect(smtp.secure).toEqual([true, true]);
    expect(smtp.logins).toEqual(["statements:secret"]);
    expect(smtp.connections).toBe(1);
  });

  it("fails an attempt quickly when nothing listens", async () => {
    smtp = await countingServer();
    const { port } = smtp;
    await new Promise<void>((resolve) => smtp!.server.close(() => resolve()));
    smtp = undefined;
    mailEnv.SMTP_URL = `smtp://127.0.0.1:${port}`;
    await expect(mailTransport().sendMail(message("a@example.com"))).rejects.toThrow(/ECONNREFUSED/);
  });
});
