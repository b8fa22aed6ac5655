// A local SMTP server that keeps what it is sent (R39): `npm run mail:sink` for a person trying
// statements by hand, and the tests that check what the console mails. It accepts any login
// without TLS and can be told to refuse messages with a temporary error, so retries are testable.
// Never a relay: nothing received is forwarded anywhere.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import { now } from "../clock";

export type ReceivedMail = {
  /** The message exactly as the client sent it (what the saved .eml holds). */
  raw: Buffer;
  /** The SMTP envelope (MAIL FROM, RCPT TO), which may differ from the headers. */
  envelope: { from: string; to: string[] };
  messageId: string | undefined;
  subject: string;
  /** The From header as written, e.g. `Ledgerline <statements@localhost>`. */
  from: string;
  /** Addresses of the To header. */
  to: string[];
  text: string;
  html: string | undefined;
  attachments: { filename: string | undefined; contentType: string; content: Buffer }[];
  receivedAt: Date;
};

export type SmtpSinkOptions = {
  /** 0 (the default) takes any free port. */
  port?: number;
  host?: string;
  /** Each accepted message is also written here as `<ISO time>-<counter>.eml`, readable by its owner only. */
  saveDir?: string;
  /** Called with one line per message (accepted or refused). */
  log?: (line: string) => void;
  /**
   * Instead of parsing and keeping each message, hand its raw bytes here and keep nothing (the
   * benchmark: a remote server's parsing is not the sender's cost, and here it would share the
   * sender's CPU). `messages`, `waitForMessages`, `saveDir` and `log` then see nothing.
   */
  onRaw?: (raw: Buffer, envelope: { from: string; to: string[] }) => void;
};

export type SmtpSink = {
  url: string;
  port: number;
  /** Accepted messages, oldest first. */
  messages: ReceivedMail[];
  /** Resolves once at least `count` messages are held; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs: number): Promise<ReceivedMail[]>;
  /** When false, every message is answered `451` (try again later) and kept nowhere. */
  setAccepting(accepting: boolean): void;
  /** Waits this long after keeping a message before answering 250 (a slow server, for crash tests). */
  setReplyDelay(ms: number): void;
  clear(): void;
  close(): Promise<void>;
};

const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;

/** A reply code on an Error is what smtp-server answers the client with. */
function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): string[] {
  const groups = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return groups.flatMap((group) => group.value.flatMap((mailbox) => (mailbox.address ? [mailbox.address] : [])));
}

async function parseMail(raw: Buffer, session: SMTPServerSession, receivedAt: Date): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw);
  const { mailFrom, rcptTo } = session.envelope;
  return {
    raw,
    envelope: { from: mailFrom ? mailFrom.address : "", to: rcptTo.map((recipient) => recipient.address) },
    messageId: parsed.messageId,
    subject: parsed.subject ?? "",
    from: parsed.from?.text ?? "",
    to: addressesOf(parsed.to),
    text: parsed.text ?? "",
    html: parsed.html || undefined,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      content: attachment.content,
    })),
    receivedAt,
  };
}

function summarize(mail: ReceivedMail): string {
  const attachments = mail.attachments.map((a) => `${a.filename ?? "(unnamed)"} (${a.content.length} B)`);
  return [
    `from=<${mail.envelope.from}>`,
    `to=${mail.envelope.to.map((address) => `<${address}>`).join(",")}`,
    `subject=${JSON.stringify(mail.subject)}`,
    `attachments=${attachments.length > 0 ? attachments.join(", ") : "none"}`,
  ].join(" ");
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const host = options.host ?? "127.0.0.1";
  const { saveDir, log } = options;
  if (saveDir) await mkdir(saveDir, { recursive: true, mode: 0o700 });

  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ count: number; resolve: (mail: ReceivedMail[]) => void; reject: (e: Error) => void }>();
  let accepting = true;
  let replyDelayMs = 0;
  let counter = 0;

  function settleWaiters() {
    for (const waiter of waiters) {
      if (messages.length < waiter.count) continue;
      waiters.delete(waiter);
      waiter.resolve([...messages]);
    }
  }

  async function receive(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const receivedAt = now();
    if (options.onRaw) {
      if (!accepting) throw smtpError(451, "4.3.0 Mail sink is refusing messages for now, try again later");
      const { mailFrom, rcptTo } = session.envelope;
      options.onRaw(raw, { from: mailFrom ? mailFrom.address : "", to: rcptTo.map((r) => r.address) });
      if (replyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, replyDelayMs));
      return;
    }
    const mail = await parseMail(raw, session, receivedAt);
    if (!accepting) {
      log?.(`${receivedAt.toISOString()} refused (451) ${summarize(mail)}`);
      throw smtpError(451, "4.3.0 Mail sink is refusing messages for now, try again later");
    }
    counter += 1;
    let saved = "";
    if (saveDir) {
      const file = path.join(saveDir, `${receivedAt.toISOString()}-${String(counter).padStart(4, "0")}.eml`);
      await writeFile(file, raw, { mode: 0o600, flag: "wx" });
      saved = ` saved=${file}`;
    }
    messages.push(mail);
    log?.(`${receivedAt.toISOString()} ${summarize(mail)}${saved}`);
    settleWaiters();
    if (replyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, replyDelayMs));
  }

  const server = new SMTPServer({
    name: "ledgerline-mail-sink",
    banner: "Ledgerline mail sink: messages are kept locally, never relayed",
    size: MAX_MESSAGE_BYTES,
    authOptional: true,
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    disabledCommands: ["STARTTLS"],
    closeTimeout: 1_000,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "anonymous" });
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then((raw) => {
          // smtp-server itself answers 552 for an oversized message.
          if (stream.sizeExceeded) return callback(null);
          return receive(raw, session).then(() => callback(null));
        })
        .catch((error: unknown) =>
          callback(
            error instanceof Error && "responseCode" in error
              ? error
              : smtpError(451, `4.3.0 Mail sink could not keep the message: ${String(error)}`),
          ),
        );
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Errors after start (a client dropping mid-command) concern one connection, not the sink.
  server.on("error", (error) => log?.(`${now().toISOString()} connection error: ${error.message}`));
  const address = server.server.address();
  if (address === null || typeof address === "string") throw new Error("The mail sink did not get a TCP port.");
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;

  return {
    url: `smtp://${urlHost}:${address.port}`,
    port: address.port,
    messages,
    waitForMessages(count, timeoutMs) {
      if (messages.length >= count) return Promise.resolve([...messages]);
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: (mail: ReceivedMail[]) => {
            clearTimeout(timer);
            resolve(mail);
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(
            new Error(
              `The mail sink holds ${messages.length} of the ${count} messages expected after ${timeoutMs} ms.`,
            ),
          );
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    setAccepting(value) {
      accepting = value;
    },
    setReplyDelay(ms) {
      replyDelayMs = Math.max(0, ms);
    },
    clear() {
      messages.length = 0;
    },
    close() {
      for (const waiter of waiters) waiter.reject(new Error("The mail sink was closed."));
      waiters.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
