import { describe, expect, it } from "vitest";
import { openSecret, sealSecret, secretBoxKey } from "./secret-box";

// Webhook signing secrets at rest (R41): AES-256-GCM under a key derived from the configuration.

const key = secretBoxKey("ledgerline-test-key-material-0123456789abcdef");

describe("secret box", () => {
  it("opens what it sealed, and seals the same secret differently each time", () => {
    const sealed = sealSecret(key, "whsec_abc");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("whsec_abc");
    expect(openSecret(key, sealed)).toBe("whsec_abc");
    expect(sealSecret(key, "whsec_abc")).not.toBe(sealed);
  });

  it("fails on a changed byte rather than yield garbage", () => {
    const sealed = sealSecret(key, "whsec_abc");
    const parts = sealed.split(".");
    const ciphertext = Buffer.from(parts[3]!, "base64url");
    ciphertext[0] = ciphertext[0]! ^ 1;
    const tampered = [parts[0], parts[1], parts[2], ciphertext.toString("base64url")].join(".");
    expect(() => openSecret(key, tampered)).toThrow();
    const tag = Buffer.from(parts[2]!, "base64url");
    tag[0] = tag[0]! ^ 1;
    expect(() => openSecret(key, [parts[0], parts[1], tag.toString("base64url"), parts[3]].join("."))).toThrow();
  });

  it("fails under another key", () => {
    const sealed = sealSecret(key, "whsec_abc");
    const other = secretBoxKey("another-key-material-of-enough-length-000");
    expect(() => openSecret(other, sealed)).toThrow();
  });

  it("refuses short key material and what is not a sealed secret", () => {
    expect(() => secretBoxKey("short")).toThrow();
    expect(() => openSecret(key, "whsec_plain")).toThrow("Not a sealed secret.");
    expect(() => openSecret(key, "v2.a.b.c")).toThrow("Not a sealed secret.");
  });
});
