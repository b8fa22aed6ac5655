import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { firstLoadKb, routeOfManifestKey } from "./client-weight";

describe("first-load JavaScript per route (issue 19, item 6)", () => {
  it("names routes without route groups or the page segment", () => {
    expect(routeOfManifestKey("/(console)/billing-groups/page")).toBe("/billing-groups");
    expect(routeOfManifestKey("/(console)/page")).toBe("/");
    expect(routeOfManifestKey("/(console)/members/[id]/page")).toBe("/members/[id]");
  });

  it("adds the runtime and the route's entry chunks, each chunk once, gzip-compressed", () => {
    const next = mkdtempSync(path.join(tmpdir(), "client-weight-"));
    const chunk = (name: string, bytes: number) => {
      mkdirSync(path.join(next, "static", "chunks"), { recursive: true });
      // Incompressible-ish content, so gzip sizes differ by file.
      const body = Array.from({ length: bytes }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join("");
      writeFileSync(path.join(next, "static", "chunks", name), body);
      return gzipSync(body).length;
    };
    const runtime = chunk("runtime.js", 20_000);
    const shared = chunk("shared.js", 10_000);
    const page = chunk("page.js", 5_000);
    writeFileSync(
      path.join(next, "build-manifest.json"),
      JSON.stringify({ rootMainFiles: ["static/chunks/runtime.js"] }),
    );
    const dir = path.join(next, "server", "app", "(console)", "members");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, "page_client-reference-manifest.js"),
      `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};
globalThis.__RSC_MANIFEST["/(console)/members/page"] = ${JSON.stringify({
        entryJSFiles: {
          "[project]/app/layout": ["static/chunks/shared.js"],
          "[project]/app/(console)/members/page": ["static/chunks/shared.js", "static/chunks/page.js"],
        },
      })};`,
    );
    expect(firstLoadKb(next)).toEqual({ "/members": Math.round((runtime + shared + page) / 102.4) / 10 });
  });
});
