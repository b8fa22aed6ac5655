import { createHash } from "node:crypto";
import { hasControlCharacter } from "@/lib/validation/control-characters";

// R44: `Idempotency-Key` on the admin API's POSTs, as the usage API's `idempotencyKey` (R30):
// the same key and body answer the first result again; the same key with another body is a 409.

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const MAX_KEY_LENGTH = 200;

export type IdempotencyKeyResult = { ok: true; key: string | null } | { ok: false; message: string };

/** The header's key (null when absent), or why it cannot be one. */
export function readIdempotencyKey(headers: Headers): IdempotencyKeyResult {
  const raw = headers.get(IDEMPOTENCY_HEADER);
  if (raw === null) return { ok: true, key: null };
  const key = raw.trim();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || hasControlCharacter(key))
    return {
      ok: false,
      message: `${IDEMPOTENCY_HEADER} must be 1–${MAX_KEY_LENGTH} printable characters, e.g. a UUID.`,
    };
  return { ok: true, key };
}

/** JSON with object keys sorted, so the same body sent with its fields in another order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** What makes two requests "the same": the operation (method and path) and the body as sent. */
export function adminRequestHash(operation: string, body: unknown): string {
  return createHash("sha256").update(operation).update("\n").update(canonicalJson(body)).digest("hex");
}
