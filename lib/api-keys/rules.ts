import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// R29: keys look like `ll_<prefix>_<secret>`. The prefix is shown in the console so an admin can
// tell keys apart; the secret is 256 random bits, so a fast hash (SHA-256) is enough.
const KEY_PATTERN = /^ll_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export type GeneratedApiKey = { prefix: string; secret: string; secretHash: string };

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(5).toString("hex").slice(0, 8);
  const secret = `ll_${prefix}_${randomBytes(32).toString("base64url")}`;
  return { prefix, secret, secretHash: hashApiKey(secret) };
}

/** Cheap shape check before touching the database; anything else is simply an unknown key. */
export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** `Authorization: Bearer <key>` → the key, or null. */
export function bearerToken(header: string | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

// R44's scopes live in ./scopes (no node:crypto), so the browser can import them (issue 19: the
// API Keys screen once carried a 133 kB crypto polyfill for three names).
export { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, type ApiKeyScope, DEFAULT_API_KEY_SCOPES } from "./scopes";
import { API_KEY_SCOPES, type ApiKeyScope } from "./scopes";

/** The key's scopes in the one canonical order, duplicates dropped. */
export function orderScopes(scopes: readonly ApiKeyScope[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => scopes.includes(scope));
}
