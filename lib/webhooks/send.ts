import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { performance } from "node:perf_hooks";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";
import { checkWebhookUrl, guardedLookup, isPrivateAddress } from "./url-guard";

// R41: one webhook POST. The URL is checked again here (it may have been saved under other rules,
// or its name re-pointed since), a literal address before connecting (Node skips `lookup` for
// those) and every resolved address through `guardedLookup`, on the connection itself. Redirects
// are never followed, the whole exchange has 10 seconds, and at most 64 KiB of the answer is read.
// Nothing here logs: the secret and the body stay in this function and the request.

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = "Ledgerline-Webhooks/1";
const MAX_RESPONSE_BYTES = 64 * 1024;

export type WebhookPayload = { id: string; type: string; createdAt: Date; data: unknown };

/** R41's body: the same bytes on every attempt for the event (its stored fields only). */
export function webhookBody(event: WebhookPayload): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt.toISOString(), data: event.data });
}

export type WebhookRequest = {
  url: string;
  /** The endpoint's signing secret, decrypted. */
  secret: string;
  eventId: string;
  body: string;
  /** When the request is signed (`t=` of the signature). */
  now: Date;
  allowPrivate: boolean;
  timeoutMs?: number;
};

/** `ok` is a 2xx answer; otherwise `error` says why, in words fit for the delivery log. */
export type WebhookResult = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

export async function sendWebhook(request: WebhookRequest): Promise<WebhookResult> {
  const started = performance.now();
  const result = (statusCode: number | null, error: string | null): WebhookResult => ({
    ok: error === null && statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  const checked = checkWebhookUrl(request.url, { allowPrivate: request.allowPrivate });
  if (!checked.ok) return result(null, checked.message);
  const { url } = checked;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!request.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return result(null, `${host} is a private or loopback address webhooks may not reach`);
  }
  const timeoutMs = request.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const unixSeconds = Math.floor(request.now.getTime() / 1000);
  const headers = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(request.body, "utf8")),
    "User-Agent": WEBHOOK_USER_AGENT,
    [EVENT_ID_HEADER]: request.eventId,
    [SIGNATURE_HEADER]: signatureHeader(request.secret, unixSeconds, request.body),
  };

  return new Promise<WebhookResult>((resolve) => {
    let settled = false;
    let statusCode: number | null = null;
    // What the answer's status means, once it has come (a 2xx: nothing wrong).
    let verdict: string | null = null;
    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result(statusCode, error));
    };
    const send = url.protocol === "https:" ? https.request : http.request;
    const req = send(url, {
      method: "POST",
      headers,
      agent: false,
      lookup: guardedLookup({ allowPrivate: request.allowPrivate }),
    });
    const timer = setTimeout(
      () => finish(statusCode === null ? `No answer within ${formatSeconds(timeoutMs)}` : verdict),
      timeoutMs,
    );
    req.on("error", (error) => finish(describeSendError(error)));
    req.on("response", (res) => {
      statusCode = res.statusCode ?? null;
      verdict =
        statusCode !== null && statusCode >= 300 && statusCode < 400
          ? `HTTP ${statusCode}: redirects are not followed`
          : statusCode !== null && statusCode >= 200 && statusCode < 300
            ? null
            : `HTTP ${statusCode ?? "answer without a status"}`;
      // The answer's body is read (up to 64 KiB) only so the connection ends cleanly; it is discarded.
      let read = 0;
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_RESPONSE_BYTES) finish(verdict);
      });
      res.on("end", () => finish(verdict));
      res.on("error", () => finish(verdict));
      res.on("aborted", () => finish(verdict));
    });
    req.end(request.body, "utf8");
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** What a failed connection says in the log: the cause, never the URL (it may carry a token). */
function describeSendError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case "EPRIVATEADDRESS":
      return (error as Error).message;
    case "ECONNREFUSED":
      return "Connection refused";
    case "ECONNRESET":
      return "Connection reset by the endpoint";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "The endpoint's host name could not be resolved";
    case "ETIMEDOUT":
    case "ECONNABORTED":
      return "Connection timed out";
    default:
      if (typeof code === "string" && (code.startsWith("ERR_TLS") || code.includes("CERT"))) {
        return `TLS error (${code})`;
      }
      return typeof code === "string" ? `Request failed (${code})` : "Request failed";
  }
}
