import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every server action of this build with a page that serves it, from the build's own manifest, so
 * a new action is covered without touching the specs that call them over HTTP.
 */
export function actionIds(): { id: string; page: string }[] {
  const manifest = JSON.parse(
    readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8"),
  );
  return Object.entries<{ workers: Record<string, unknown> }>(manifest.node ?? {}).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0] ?? "app/page";
    const page = `/${worker
      .replace(/^app\//, "")
      .replace(/\/page$/, "")
      .replace(/\([^)]+\)\/?/g, "")
      .replace(/^page$/, "")}`;
    return { id, page: page.replace(/\/+$/, "") || "/" };
  });
}

/** The action's page path with any dynamic segment filled by a well-formed id that exists nowhere. */
export function actionUrl(action: { page: string }): string {
  return action.page.replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");
}
