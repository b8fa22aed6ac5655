import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, keep: (file: string, text: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : walk(full, keep);
    if (!/\.(ts|tsx)$/.test(entry.name) || /\.test\.tsx?$/.test(entry.name)) return [];
    return keep(full, readFileSync(full, "utf8")) ? [full] : [];
  });
}

/** Every module whose first statement is 'use server' under app/ and lib/. */
export function serverActionModules(): string[] {
  return ["app", "lib"].flatMap((dir) =>
    walk(path.join(ROOT, dir), (_f, text) => /^["']use server["']/.test(text.trimStart())),
  );
}

/** Every file mentioning 'use server' anywhere (an inline action would bypass module-level checks). */
export function filesMentioningUseServer(): string[] {
  return ["app", "lib", "components"].flatMap((dir) =>
    walk(path.join(ROOT, dir), (_f, text) => /["']use server["']/.test(text)),
  );
}

/** Every route handler file under app/. */
export function routeHandlerFiles(): string[] {
  return walk(path.join(ROOT, "app"), (file) => path.basename(file) === "route.ts");
}
