import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";

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
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  globalForMail.ledgerlineMail = { url, transporter };
  return transporter;
}

/** Closes the pooled connections (worker shutdown, tests). */
export function closeMailTransport(): void {
  globalForMail.ledgerlineMail?.transporter.close();
  globalForMail.ledgerlineMail = undefined;
}
