import "server-only";
import net from "node:net";
import nodemailer, { type Transporter } from "nodemailer";
import { parseConnectionUrl } from "nodemailer/lib/shared/index.js";
import { env } from "@/lib/env";
import { describeError } from "@/lib/log";

// R39: the one way mail leaves Ledgerline. SMTP_URL (smtp:// or smtps://, credentials in the URL)
// and MAIL_FROM come from the validated environment; without SMTP_URL nothing is sent.

/** Whether statements can be sent at all (the Recipients tab says so when not). */
export function emailDeliveryConfigured(): boolean {
  return env().SMTP_URL !== undefined;
}

export function mailFrom(): string {
  return env().MAIL_FROM;
}

const globalForMail = globalThis as unknown as { ledgerlineMail?: { url: string; transporter: Transporter } };

/**
 * A pooled SMTP transport for SMTP_URL (a few connections kept open, so a period close's
 * hundreds of messages do not each open one). Timeouts are short so that an unreachable server
 * fails an attempt (and it is retried later) instead of holding a worker.
 */
export function mailTransport(): Transporter {
  const url = env().SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set: email delivery is not configured.");
  const cached = globalForMail.ledgerlineMail;
  if (cached?.url === url) return cached.transporter;
  cached?.transporter.close();
  // Given `url`, nodemailer drops every other option (the pool and these timeouts included), so
  // the URL is parsed into options here; its own query parameters, if any, still win.
  const transporter = nodemailer.createTransport({
    pool: true,
    maxConnections: 3,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    getSocket: openSocket,
    ...parseConnectionUrl(url),
  });
  globalForMail.ledgerlineMail = { url, transporter };
  return transporter;
}

const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * Opens each pooled connection's TCP socket with Nagle's algorithm off. nodemailer writes a
 * message's closing line on its own, and with Nagle on that write waits for the server's delayed
 * ACK (about 40 ms on Linux): per message, several times the hand-off itself. For smtps://,
 * nodemailer starts TLS on this socket itself; host and port default as nodemailer's do.
 */
function openSocket(
  options: { host?: string; port?: number; secure?: boolean },
  callback: (error: Error | null, socket?: { connection: net.Socket }) => void,
): void {
  const socket = net.connect({
    host: options.host || "localhost",
    port: Number(options.port) || (options.secure ? 465 : 587),
    noDelay: true,
  });
  const fail = (error: Error) => {
    socket.destroy();
    callback(error);
  };
  socket.setTimeout(CONNECTION_TIMEOUT_MS, () =>
    fail(Object.assign(new Error("Connection timeout"), { code: "ETIMEDOUT" })),
  );
  socket.once("error", fail);
  socket.once("connect", () => {
    socket.setTimeout(0);
    socket.off("error", fail);
    callback(null, { connection: socket });
  });
}

/** Closes the pooled connections (worker shutdown, tests). */
export function closeMailTransport(): void {
  globalForMail.ledgerlineMail?.transporter.close();
  globalForMail.ledgerlineMail = undefined;
}

/** What a delivery log shows for a failed hand-off: the server's answer, never a stack. */
export function describeMailError(error: unknown): string {
  const response = (error as { response?: unknown }).response;
  return typeof response === "string" && response.trim() ? response.trim().slice(0, 300) : describeError(error).message;
}
