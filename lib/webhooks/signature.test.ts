import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateSigningSecret, signatureHeader, verifySignature } from "./signature";

// R41: `Ledgerline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.

const secret = "whsec_test-secret";
const body = '{"id":"e1","type":"threshold.crossed","createdAt":"2026-12-01T00:00:00.000Z","data":{}}';

describe("webhook signatures (R41)", () => {
  it("signs `<t>.<raw body>` with HMAC-SHA256 under the secret", () => {
    const expected = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(signatureHeader(secret, 1700000000, body)).toBe(`t=1700000000,v1=${expected}`);
  });

  it("verifies its own header, within the tolerance", () => {
    const header = signatureHeader(secret, 1700000000, body);
    expect(verifySignature({ secret, header, rawBody: body, nowSeconds: 1700000000 })).toBe(true);
    expect(verifySignature({ secret, header, rawBody: body, nowSeconds: 1700000299 })).toBe(true);
  });

  it("refuses another secret, a changed body, an old timestamp and malformed headers", () => {
    const header = signatureHeader(secret, 1700000000, body);
    expect(verifySignature({ secret: "whsec_other", header, rawBody: body, nowSeconds: 1700000000 })).toBe(false);
    expect(verifySignature({ secret, header, rawBody: `${body} `, nowSeconds: 1700000000 })).toBe(false);
    expect(verifySignature({ secret, header, rawBody: body, nowSeconds: 1700000301 })).toBe(false);
    expect(
      verifySignature({
        secret,
        header: header.replace("t=1700000000", "t=1700000001"),
        rawBody: body,
        nowSeconds: 1700000000,
      }),
    ).toBe(false);
    for (const bad of [null, undefined, "", "t=abc,v1=00", "v1=deadbeef", "t=1700000000", "t=1700000000,v1=xyz"]) {
      expect(verifySignature({ secret, header: bad, rawBody: body, nowSeconds: 1700000000 })).toBe(false);
    }
  });

  it("generates distinct, prefixed secrets of 256 bits", () => {
    const a = generateSigningSecret();
    const b = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});
