import "server-only";
import { openSecret, sealSecret, secretBoxKey } from "@/lib/crypto/secret-box";
import { encryptionKeyMaterial } from "@/lib/env";

// R41: a signing secret exists in plaintext only on its way to the admin who created or rotated it
// (once) and in the sender's memory while it signs; the row holds it sealed (AES-256-GCM).

export function sealSigningSecret(secret: string): string {
  return sealSecret(secretBoxKey(encryptionKeyMaterial()), secret);
}

export function openSigningSecret(sealed: string): string {
  return openSecret(secretBoxKey(encryptionKeyMaterial()), sealed);
}
