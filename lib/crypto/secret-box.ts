import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Secrets the console must read back later (R41's webhook signing secrets), encrypted at rest with
// AES-256-GCM. The key is `LEDGERLINE_ENCRYPTION_KEY` when set, else derived (HKDF) from the auth
// secret, so the embedded default needs nothing more. Format: `v1.<iv>.<tag>.<ciphertext>`
// (base64url); the version leaves room for a key rotation. A wrong key or a changed byte fails to
// open (GCM authenticates), never yields garbage.

const VERSION = "v1";

export type SecretBoxKey = Buffer;

/** The 32-byte key from the configured material (any string of at least 32 characters). */
export function secretBoxKey(material: string): SecretBoxKey {
  if (material.length < 32) throw new Error("The encryption key material must be at least 32 characters.");
  return Buffer.from(hkdfSync("sha256", material, "ledgerline", "ledgerline secret box v1", 32));
}

export function sealSecret(key: SecretBoxKey, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function openSecret(key: SecretBoxKey, sealed: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error("Not a sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
