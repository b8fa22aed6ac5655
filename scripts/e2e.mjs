// `npm run test:e2e`: a production build served on a fresh, seeded database, driven by
// Playwright in Chromium. With E2E_BASE_URL set, only the browser runs, against that instance.
import { randomBytes } from "node:crypto";
import { BIN, onShutdown, run, runTs } from "./lib/processes.mjs";
import { createTestDatabase } from "./lib/test-database.mjs";

const args = process.argv.slice(2);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
let database;
let code = 0;
try {
  if (!process.env.E2E_BASE_URL) {
    // A test database on DATABASE_URL's server if given, else on a throwaway embedded server.
    database = await createTestDatabase({ label: "e2e" });
    onShutdown(() => database.drop());
    await runTs("db/seed/cli.ts", [], { env: { ...env, DATABASE_URL: database.url } });
    if (process.env.E2E_SKIP_BUILD !== "1")
      await run(BIN("next"), ["build"], {
        env: { ...env, DATABASE_URL: database.url, DATABASE_APP_URL: database.appUrl },
      });
    env.E2E_DATABASE_URL = database.url;
    env.E2E_DATABASE_APP_URL = database.appUrl;
    env.E2E_AUTH_SECRET = randomBytes(32).toString("base64url");
    delete env.DATABASE_URL;
  }
  await run(BIN("playwright"), ["test", ...args], { env });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await database?.drop();
}
process.exit(code);
