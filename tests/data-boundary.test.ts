import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/server-actions";

// Issue 13: app/ and components/ reach data only through the access layer (lib/<domain>/access.ts).
// The lint rule in biome.json enforces it; this proves the rule bites, with the project's own
// biome.json on deliberate violations written to a scratch folder (nothing touches the tree).
const BIOME = path.join(ROOT, "node_modules/.bin/biome");
const scratch = mkdtempSync(path.join(tmpdir(), "ledgerline-boundary-"));
copyFileSync(path.join(ROOT, "biome.json"), path.join(scratch, "biome.json"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lint(filePath: string, source: string) {
  const full = path.join(scratch, filePath);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, source);
  const run = spawnSync(BIOME, ["lint", "--vcs-enabled=false", filePath], { cwd: scratch, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("the data-access boundary lint rule", () => {
  it.each([
    ["app/(console)/x/page.tsx", 'import { withOrg } from "@/db";\n\nexport const x = withOrg;\n'],
    ["app/api/x/route.ts", 'import { members } from "@/db/schema";\n\nexport const x = members;\n'],
    ["components/x.tsx", 'import { sql } from "drizzle-orm";\n\nexport const x = sql;\n'],
    ["app/y.ts", 'import { alias } from "drizzle-orm/pg-core";\n\nexport const x = alias;\n'],
  ])("fails %s importing the database or the ORM", (filePath, source) => {
    const result = lint(filePath, source);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("noRestrictedImports");
  });

  it("lets lib/ import them", () => {
    const result = lint("lib/x/queries.ts", 'import { withOrg } from "@/db";\n\nexport const x = withOrg;\n');
    expect(result.output).not.toContain("noRestrictedImports");
    expect(result.status).toBe(0);
  });
});
