import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

const ORIGIN = "https://console.example.com";

describe("safe redirect after sign-in (R47, issue 22 item 1)", () => {
  it("passes on a same-origin path with its query and fragment", () => {
    expect(safeCallbackPath("/members?q=ada#top", ORIGIN)).toBe("/members?q=ada#top");
    expect(safeCallbackPath("/billing-groups?period=2026-10", ORIGIN)).toBe("/billing-groups?period=2026-10");
    expect(safeCallbackPath("https://console.example.com/audit-log?x=1", ORIGIN)).toBe("/audit-log?x=1");
    expect(safeCallbackPath("members", ORIGIN)).toBe("/members");
  });

  it("sends every other origin, however spelled, to /", () => {
    const attacks = [
      "/\\evil.example/",
      "/%5Cevil.example/",
      "/\tevil.example/",
      "/\t/evil.example/",
      "/\n/evil.example/",
      "//evil.example",
      "///evil.example",
      "\\\\evil.example",
      "/\\/evil.example",
      " //evil.example",
      "https://evil.example",
      "https://evil.example/members",
      "http://console.example.com/",
      "https://console.example.com:444/",
      "https://console.example.com@evil.example/",
      "HTTPS://EVIL.EXAMPLE",
      "javascript:alert(document.domain)",
      "JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "mailto:someone@evil.example",
    ];
    for (const attack of attacks) {
      const result = safeCallbackPath(attack, ORIGIN);
      expect(new URL(result, ORIGIN).origin, attack).toBe(ORIGIN);
      expect(result.startsWith("//") || result.startsWith("/\\"), attack).toBe(false);
    }
    expect(safeCallbackPath("//evil.example", ORIGIN)).toBe("/");
    expect(safeCallbackPath("https://evil.example", ORIGIN)).toBe("/");
    expect(safeCallbackPath("javascript:alert(1)", ORIGIN)).toBe("/");
    expect(safeCallbackPath("/\\evil.example/", ORIGIN)).toBe("/");
    expect(safeCallbackPath("/\t/evil.example/", ORIGIN)).toBe("/");
  });

  it("decodes what the query string decodes, and still refuses the encoded variants", () => {
    // What the page receives after the query string is decoded once.
    for (const encoded of [
      "%2F%5Cevil.example%2F",
      "%2F%09%2Fevil.example%2F",
      "%2F%2Fevil.example",
      "%2F%0A%2Fevil.example",
    ]) {
      expect(safeCallbackPath(decodeURIComponent(encoded), ORIGIN), encoded).toBe("/");
    }
    // Still encoded: a path on our origin, never another host.
    expect(safeCallbackPath("/%2F%2Fevil.example", ORIGIN)).toBe("/%2F%2Fevil.example");
    expect(safeCallbackPath("/%5C%5Cevil.example", ORIGIN)).toBe("/%5C%5Cevil.example");
  });

  it("collapses a path that resolves to a protocol-relative one", () => {
    expect(safeCallbackPath("/a/..//evil.example/x", ORIGIN)).toBe("/evil.example/x");
    expect(safeCallbackPath("/./\\evil.example", ORIGIN)).toBe("/evil.example");
  });

  it("falls back to / for empty or malformed input", () => {
    expect(safeCallbackPath(undefined, ORIGIN)).toBe("/");
    expect(safeCallbackPath(null, ORIGIN)).toBe("/");
    expect(safeCallbackPath("", ORIGIN)).toBe("/");
    expect(safeCallbackPath("http://[::1", ORIGIN)).toBe("/");
    expect(safeCallbackPath("/members", "not an origin")).toBe("/");
  });
});
