import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GUARDED_ACTION } from "@/lib/actions";

// STYLE.md: every exported server action goes through the one wrapper (defineAction). This finds
// every 'use server' module in the app, so a new unguarded action fails here.
const ROOT = path.resolve(import.meta.dirname, "..");

function serverActionModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : serverActionModules(full);
    if (!/\.(ts|tsx)$/.test(entry.name)) return [];
    const head = readFileSync(full, "utf8").trimStart();
    return /^["']use server["']/.test(head) ? [full] : [];
  });
}

const modules = [...serverActionModules(path.join(ROOT, "app")), ...serverActionModules(path.join(ROOT, "lib"))];

describe("server actions", () => {
  it("no 'use server' directive hides inside a function body (only module-level actions exist)", () => {
    for (const dir of ["app", "lib", "components"]) {
      const offenders = grep(path.join(ROOT, dir)).filter((file) => !modules.includes(file));
      expect(offenders, "inline 'use server' functions bypass the wrapper").toEqual([]);
    }
  });

  it.each(modules.map((file) => [path.relative(ROOT, file), file]))("%s exports only guarded actions", async (_name, file) => {
    const exported = (await import(file)) as Record<string, unknown>;
    const names = Object.keys(exported);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const value = exported[name] as { [GUARDED_ACTION]?: string } | undefined;
      expect(typeof value, `${name} is a function`).toBe("function");
      expect(value?.[GUARDED_ACTION], `${name} is made with defineAction`).toBeTruthy();
    }
  });
});

function grep(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return grep(full);
    if (!/\.(ts|tsx)$/.test(entry.name)) return [];
    return /["']use server["']/.test(readFileSync(full, "utf8")) ? [full] : [];
  });
}
