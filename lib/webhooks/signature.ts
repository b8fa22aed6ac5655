import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// R41: `Ledgerline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed by
// the endpoint's signing secret. Pure: the sender signs with it, the tests and the README's
// receiver verify with it.

export const EVENT_ID_HEADER = "Ledgerline-Event-Id";
export const SIGNATURE_HEADER = "Ledgerline-Signature";

/** A new signing secret: 256 random bits, prefixed so it is recognisable in a secrets manager. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

export function signatureHeader(secret: string, unixSeconds: number, rawBody: string): string {
  const digest = createHmac("sha256", secret).update(`${unixSeconds}.${rawBody}`, "utf8").digest("hex");
  return `t=${unixSeconds},v1=${digest}`;
}

/**
 * What a receiver does: recompute the HMAC over `<t>.<raw body>`, compare in constant time, and
 * refuse a timestamp older than `toleranceSeconds` (a replayed request).
 */
export function verifySignature(params: {
  secret: string;
  header: string | null | undefined;
  rawBody: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}): boolean {
  const fields = new Map(
    (params.header ?? "").split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(fields.get("t"));
  const v1 = fields.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(params.nowSeconds - t) > (params.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signatureHeader(params.secret, t, params.rawBody).split("v1=")[1]!, "hex");
  return timingSafeEqual(expected, Buffer.from(v1, "hex"));
}
