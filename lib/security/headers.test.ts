import { describe, expect, it } from "vitest";
import { HSTS_VALUE, PAGE_MATCHER_SOURCE, pageSecurityHeaders } from "./headers";

// Next's matcher `source` is a path-to-regexp pattern; this one is plain regex syntax in a group.
const matches = (pathname: string) => new RegExp(`^${PAGE_MATCHER_SOURCE}$`).test(pathname);

describe("page security headers (R47)", () => {
  it("sends a nonce CSP on every page and HSTS only when the public URL is https", () => {
    const https = pageSecurityHeaders({ nonce: "abc", dev: false, publicUrl: "https://ledger.example.com" });
    expect(https["Content-Security-Policy"]).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(https["Content-Security-Policy"]).not.toContain("unsafe-eval");
    expect(https["Strict-Transport-Security"]).toBe(HSTS_VALUE);
    for (const publicUrl of ["http://localhost:3000", undefined, "not a url"]) {
      expect(pageSecurityHeaders({ nonce: "abc", dev: false, publicUrl })["Strict-Transport-Security"]).toBeUndefined();
    }
  });

  it("decorates every console page, /api-keys included, and leaves the API and build assets alone", () => {
    for (const page of [
      "/",
      "/api-keys",
      "/api-keys/",
      "/apis",
      "/members",
      "/billing-groups",
      "/sign-in",
      "/audit-log",
    ]) {
      expect(matches(page), page).toBe(true);
    }
    for (const asset of ["/api", "/api/health", "/api/v1/usage", "/_next/static/chunks/x.js", "/favicon.ico"]) {
      expect(matches(asset), asset).toBe(false);
    }
  });
});

describe("proxy matcher", () => {
  it("is the same pattern the tests above check", async () => {
    const { config } = await import("@/proxy");
    expect(config.matcher[0]?.source).toBe(PAGE_MATCHER_SOURCE);
  });
});
