import "server-only";
import { withOrg } from "@/db";
import { now } from "@/lib/clock";
import { consoleOriginForLinks } from "@/lib/console-url";
import { env } from "@/lib/env";
import { describeMailError, mailFrom, mailTransport } from "@/lib/mail/transport";
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
  releaseEventDeliveries,
} from "./queries";

// R40/R41: sends one org's due event deliveries — alert emails and webhooks — each on its own:
// claimed (leased) first, sent, its attempt recorded at once with the outcome (succeeded, retrying
// with backoff, failed after 24 hours). A small pool sends several at a time, so an endpoint that
// hangs for its 10 seconds holds one slot, not the others; one channel failing never touches
// another. Nothing here decides *whether* an event is owed: the fan-out's rows do.

/** Deliveries in flight at once per org (each waits at most the webhook timeout). */
export const DELIVERY_CONCURRENCY = 8;
/** Deliveries claimed per round; the engine claims again until nothing is due. */
const CLAIM_BATCH = 50;

export type MailSender = { sendMail(message: AlertMessage): Promise<unknown> };

export type DeliverOptions = {
  /** Stop taking new deliveries (the worker is shutting down): those in hand finish, the rest go back. */
  signal?: AbortSignal;
  /** The webhook timeout (tests shorten it); R41's 10 seconds by default. */
  webhookTimeoutMs?: number;
  mailer?: MailSender;
  concurrency?: number;
};

export type DeliverOutcome = { succeeded: number; retrying: number; failed: number };

export async function deliverDueEvents(orgId: string, options: DeliverOptions = {}): Promise<DeliverOutcome> {
  const outcome: DeliverOutcome = { succeeded: 0, retrying: 0, failed: 0 };
  const concurrency = options.concurrency ?? DELIVERY_CONCURRENCY;
  while (!options.signal?.aborted) {
    const claimed = await withOrg(orgId, (tx) =>
      claimDueEventDeliveries(tx, { orgId, now: now(), limit: CLAIM_BATCH }),
    );
    if (claimed.length === 0) break;
    const queue = [...claimed];
    const worker = async () => {
      for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
        if (options.signal?.aborted) {
          queue.unshift(delivery);
          return;
        }
        const status = await deliverOne(orgId, delivery, options);
        outcome[status] += 1;
      }
    };
    // Every slot runs to its end before anything is judged, so a failure never leaves sends behind.
    const slots = await Promise.allSettled(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    if (queue.length > 0) {
      const untried = queue.map((d) => d.id);
      await withOrg(orgId, (tx) => releaseEventDeliveries(tx, { orgId, ids: untried }));
    }
    const broken = slots.find((slot) => slot.status === "rejected");
    if (broken) throw broken.reason;
  }
  return outcome;
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
