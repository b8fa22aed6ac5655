// Issue 19, item 6: first-load JavaScript per route of the production build, gzip kB — what a
// browser downloads before a console page can run. Read from the build's own manifests: each app
// route's client reference manifest lists the JS of its layouts, boundaries and page
// (`entryJSFiles`); the build manifest lists the runtime every page loads (`rootMainFiles`).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

type RscManifest = { entryJSFiles?: Record<string, string[]> };

/** `/(console)/billing-groups/page` → `/billing-groups`; `/(console)/page` → `/`; route groups dropped. */
export function routeOfManifestKey(key: string): string {
  const segments = key.split("/").filter((s) => s !== "" && s !== "page" && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

function manifestFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return manifestFiles(file);
    return name === "page_client-reference-manifest.js" ? [file] : [];
  });
}

/** Each app page's first-load JS in gzip kB (one decimal), by route, from a built `.next` folder. */
export function firstLoadKb(nextDir: string): Record<string, number> {
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles?: string[];
  };
  const gzipped = new Map<string, number>();
  const sizeOf = (file: string) => {
    let size = gzipped.get(file);
    if (size === undefined) {
      size = gzipSync(readFileSync(path.join(nextDir, file))).length;
      gzipped.set(file, size);
    }
    return size;
  };
  const figures: Record<string, number> = {};
  for (const file of manifestFiles(path.join(nextDir, "server", "app"))) {
    // The manifest is a script that assigns globalThis.__RSC_MANIFEST[<page>]: run it in a sandbox.
    const sandbox = { globalThis: {} as Record<string, unknown>, self: {} };
    sandbox.globalThis = sandbox as unknown as Record<string, unknown>;
    vm.runInNewContext(readFileSync(file, "utf8"), sandbox);
    const manifests = (sandbox as unknown as { __RSC_MANIFEST: Record<string, RscManifest> }).__RSC_MANIFEST;
    for (const [key, manifest] of Object.entries(manifests ?? {})) {
      const files = new Set(build.rootMainFiles ?? []);
      for (const chunks of Object.values(manifest.entryJSFiles ?? {})) for (const chunk of chunks) files.add(chunk);
      const bytes = [...files].reduce((sum, chunk) => sum + sizeOf(chunk), 0);
      figures[routeOfManifestKey(key)] = Math.round(bytes / 102.4) / 10;
    }
  }
  return Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
}
