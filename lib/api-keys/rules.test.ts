import { describe, expect, it } from "vitest";
import { bearerToken, generateApiKey, hashApiKey, looksLikeApiKey, sameDigest } from "./rules";

describe("API key rules", () => {
  it("generates keys with a visible prefix and stores only their SHA-256", () => {
    const key = generateApiKey();
    expect(key.secret.startsWith(`ll_${key.prefix}_`)).toBe(true);
    expect(looksLikeApiKey(key.secret)).toBe(true);
    expect(key.secretHash).toBe(hashApiKey(key.secret));
    expect(key.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(generateApiKey().secret).not.toBe(key.secret);
  });

  it("rejects malformed keys and compares digests in constant time", () => {
    expect(looksLikeApiKey("ll_short_x")).toBe(false);
    expect(looksLikeApiKey("")).toBe(false);
    const digest = hashApiKey("a");
    expect(sameDigest(digest, hashApiKey("a"))).toBe(true);
    expect(sameDigest(digest, hashApiKey("b"))).toBe(false);
    expect(sameDigest(digest, "")).toBe(false);
  });

  it("reads bearer tokens", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer   abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});
