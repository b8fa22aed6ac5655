import { expect, test } from "@playwright/test";

test("pages carry a nonce CSP and anti-framing headers, and no X-Powered-By", async ({ request }) => {
  const response = await request.get("/sign-in");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-powered-by"]).toBeUndefined();
  // A fresh nonce per request.
  const again = (await request.get("/sign-in")).headers()["content-security-policy"];
  expect(again).not.toBe(headers["content-security-policy"]);
});

test("API responses forbid rendering and framing", async ({ request }) => {
  const headers = (await request.get("/api/health")).headers();
  expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(headers["x-powered-by"]).toBeUndefined();
});
