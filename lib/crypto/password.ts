// Password hashing, shared by sign-in (lib/auth) and the seeds (db/seed): no server-only or
// Next.js imports, so plain Node scripts can load it.
import { hash, verify } from "@node-rs/argon2";

// Argon2id with the library's defaults (OWASP-recommended memory cost).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A real hash to verify against when the email is unknown, so a miss costs the same time as a
// wrong password and response time does not reveal which emails exist.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hash("ledgerline-decoy-password");
  try {
    return await verify(storedHash ?? (await decoyHash), password);
  } catch {
    return false;
  }
}
