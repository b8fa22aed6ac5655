// `npm test`: every layer in turn — unit, integration on a real PostgreSQL, Playwright e2e in
// Chromium against a production build, then the container image's steps on the host (on the build
// the e2e layer made: issue 20). Stops at the first failing layer.
import { BIN, run } from "./lib/processes.mjs";

const layers = [
  ["unit tests", () => run(BIN("vitest"), ["run", "--project", "unit"])],
  [
    "integration tests",
    () => run(process.execPath, ["scripts/with-db.mjs", "vitest", "run", "--project", "integration"]),
  ],
  ["end-to-end tests", () => run(process.execPath, ["scripts/e2e.mjs"])],
  ["standalone server smoke", () => run(process.execPath, ["scripts/standalone.mjs", "--skip-build"])],
];

for (const [name, runLayer] of layers) {
  console.log(`\n=== ${name} ===`);
  try {
    await runLayer();
  } catch (error) {
    console.error(`\n${name} failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
console.log("\nAll test layers passed.");
