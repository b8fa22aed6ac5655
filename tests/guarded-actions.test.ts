import path from "node:path";
import { describe, expect, it } from "vitest";
import { GUARDED_ACTION } from "@/lib/actions";
import { filesMentioningUseServer, ROOT, serverActionModules } from "./support/server-actions";

// docs/architecture.md: every exported server action goes through the one wrapper (defineAction). This finds
// every 'use server' module in the app, so a new unguarded action fails here.
const modules = serverActionModules();

describe("server actions", () => {
  it("no 'use server' directive hides inside a function body (only module-level actions exist)", () => {
    expect(
      filesMentioningUseServer().filter((file) => !modules.includes(file)),
      "inline 'use server' functions bypass the wrapper",
    ).toEqual([]);
  });

  it.each(modules.map((file) => [path.relative(ROOT, file), file]))(
    "%s exports only guarded actions",
    async (_name, file) => {
      const exported = (await import(file)) as Record<string, unknown>;
      const names = Object.keys(exported);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const value = exported[name] as { [GUARDED_ACTION]?: string } | undefined;
        expect(typeof value, `${name} is a function`).toBe("function");
        expect(value?.[GUARDED_ACTION], `${name} is made with defineAction`).toBeTruthy();
      }
    },
  );
});
