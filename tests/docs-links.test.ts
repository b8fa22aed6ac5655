import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// A clone must be self-contained: README and docs/ may only link to files inside the repository
// (or to absolute web URLs, which no check here can follow), and every such file must exist.
const ROOT = path.resolve(import.meta.dirname, "..");
const documents = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** Markdown link targets: `[text](target)` and `[text]: target` reference definitions. */
function linkTargets(markdown: string): string[] {
  const inline = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? "");
  const references = [...markdown.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((match) => match[1] ?? "");
  return [...inline, ...references];
}

/** Code comments must not send a reader outside the repository either. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.(ts|tsx|mjs|sql)$/.test(entry.name) ? [relative] : [];
  });
}

describe("documentation links", () => {
  it.each(documents)("%s links only to files that exist inside the repository", (document) => {
    const text = readFileSync(path.join(ROOT, document), "utf8");
    for (const target of linkTargets(text)) {
      if (/^[a-z]+:/i.test(target) || target.startsWith("#")) continue;
      const file = decodeURIComponent(target.split("#")[0] ?? "");
      const resolved = path.resolve(path.dirname(path.join(ROOT, document)), file);
      expect(resolved.startsWith(`${ROOT}${path.sep}`), `${document} → ${target} leaves the repository`).toBe(true);
      expect(existsSync(resolved), `${document} → ${target} does not exist`).toBe(true);
    }
  });

  it("the README's Quick start is exactly two commands: install and run, install and test", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const quickStart = readme.split("## Quick start")[1]?.split("\n## ")[0] ?? "";
    const block = quickStart.match(/```bash\n([\s\S]*?)```/)?.[1] ?? "";
    const commands = block
      .split("\n")
      .map((line) => line.replace(/#.*$/, "").trim())
      .filter(Boolean);
    expect(commands).toEqual(["npm install && npm start", "npm install && npm test"]);
  });

  it("no code comment points at documents outside the repository", () => {
    const offenders = ["app", "components", "lib", "db", "scripts", "e2e", "tests", "bench"]
      .flatMap(sourceFiles)
      .filter((file) => /\.\.\/shared\/|\b(SPEC|STYLE)\.md\b/.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});
