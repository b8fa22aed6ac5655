import "server-only";
import { withOrg } from "@/db";
import { now } from "@/lib/clock";
import { consoleOriginForLinks } from "@/lib/console-url";
import { env } from "@/lib/env";
import { describeMailError, mailFrom, mailTransport } from "@/lib/mail/transport";
import { startWorkPool } from "@/lib/jobs/work-pool";
import { periodOf } from "@/lib/periods/rules";
import { openSigningSecret } from "@/lib/webhooks/secrets";
import { sendWebhook, webhookBody } from "@/lib/webhooks/send";
import { type AlertMessage, composeAlertEmail } from "./alert-email";
import {
  type AttemptRecord,
  abandonDelivery,
  type ClaimedDelivery,
  claimDueEventDeliveries,
  recordDeliveryAttempt,
} from "./queries";

// R40/R41: sends one org's due event deliveries — alert emails and webhooks — each on its own:
// claimed (leased) one at a time, sent, its attempt recorded at once with the outcome (succeeded,
// retrying with backoff, failed after 24 hours). Several slots send at once (lib/jobs/work-pool),
// so an endpoint that hangs for its 10 seconds holds one slot, not the others, and a slot that ran
// dry meanwhile claims a new delivery (a test ping, a fresh alert) the moment it is woken. One
// channel failing never touches another. Nothing here decides *whether* an event is owed: the
// fan-out's rows do.

/** Deliveries in flight at once per org (each waits at most the webhook timeout). */
export const DELIVERY_CONCURRENCY = 8;

export type MailSender = { sendMail(message: AlertMessage): Promise<unknown> };

export type DeliverOptions = {
  /** Stop taking new deliveries (the worker is shutting down): those in hand finish, the rest stay due. */
  signal?: AbortSignal;
  /** The webhook timeout (tests shorten it); R41's 10 seconds by default. */
  webhookTimeoutMs?: number;
  mailer?: MailSender;
  concurrency?: number;
};

export type DeliverOutcome = { succeeded: number; retrying: number; failed: number };

/** One org's delivery run: `wake()` when more may be due (false once it has ended). */
export type OrgDeliveryRun = { wake(): boolean; outcome: Promise<DeliverOutcome> };

export function startOrgDelivery(orgId: string, options: DeliverOptions = {}): OrgDeliveryRun {
  const outcome: DeliverOutcome = { succeeded: 0, retrying: 0, failed: 0 };
  const pool = startWorkPool({
    slots: options.concurrency ?? DELIVERY_CONCURRENCY,
    signal: options.signal,
    step: async () => {
      const [delivery] = await withOrg(orgId, (tx) => claimDueEventDeliveries(tx, { orgId, now: now(), limit: 1 }));
      if (!delivery) return false;
      outcome[await deliverOne(orgId, delivery, options)] += 1;
      return true;
    },
  });
  return { wake: pool.wake, outcome: pool.finished.then(() => outcome) };
}

/** Sends everything due for the org now, and whatever falls due while it runs. */
export function deliverDueEvents(orgId: string, options: DeliverOptions = {}): Promise<DeliverOutcome> {
  return startOrgDelivery(orgId, options).outcome;
}

async function deliverOne(
  orgId: string,
  delivery: ClaimedDelivery,
  options: DeliverOptions,
): Promise<keyof DeliverOutcome> {
  if (delivery.channel === "webhook" && (!delivery.endpoint || delivery.endpoint.disabled)) {
    await withOrg(orgId, (tx) =>
      abandonDelivery(tx, {
        orgId,
        id: delivery.id,
        reason: "The endpoint is disabled; nothing was sent.",
        now: now(),
      }),
    );
    return "failed";
  }
  const attempt =
    delivery.channel === "webhook" ? await attemptWebhook(delivery, options) : await attemptEmail(delivery, options);
  const status = await withOrg(orgId, (tx) => recordDeliveryAttempt(tx, { orgId, delivery, attempt, now: now() }));
  return status === "queued" ? "retrying" : status;
}

async function attemptWebhook(delivery: ClaimedDelivery, options: DeliverOptions): Promise<AttemptRecord> {
  const endpoint = delivery.endpoint!;
  let secret: string;
  try {
    secret = openSigningSecret(endpoint.secretCiphertext);
  } catch {
    // Never the secret or the cipher's words: only that it could not be opened.
    return {
      ok: false,
      statusCode: null,
      error: "The endpoint's signing secret could not be decrypted.",
      durationMs: 0,
    };
  }
  return sendWebhook({
    url: endpoint.url,
    secret,
    eventId: delivery.event.id,
    body: webhookBody(delivery.event),
    now: now(),
    allowPrivate: env().LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE,
    timeoutMs: options.webhookTimeoutMs,
  });
}

async function attemptEmail(delivery: ClaimedDelivery, options: DeliverOptions): Promise<AttemptRecord> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const from = mailFrom();
    const message = composeAlertEmail({
      event: delivery.event,
      deliveryId: delivery.id,
      to: delivery.email!,
      from,
      date: now(),
      currentPeriod: periodOf(now()),
      consoleOrigin: consoleOriginForLinks(),
    });
    await (options.mailer ?? mailTransport()).sendMail(message);
    return { ok: true, statusCode: null, error: null, durationMs: took() };
  } catch (error) {
    return { ok: false, statusCode: null, error: describeMailError(error), durationMs: took() };
  }
}
