import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// `npm run test:e2e` starts a production build on a fresh database (scripts/e2e.mjs).
// `E2E_BASE_URL=https://staging… npm run test:e2e` runs the same flows against a running instance.
const external = process.env.E2E_BASE_URL;
const port = process.env.E2E_PORT ?? "3107";
const baseURL = external ?? `http://localhost:${port}`;
// R39: the server under test mails statements to an SMTP sink that e2e/statements.db.spec.ts runs
// on this port while it needs one (refused connections elsewhere just leave deliveries retrying).
export const E2E_SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? Number(port) + 1000);
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));

export default defineConfig({
  testDir: "e2e",
  // Specs that reach into the database (*.db.spec.ts) need the run's own database.
  testIgnore: process.env.E2E_DATABASE_URL ? [] : ["**/*.db.spec.ts"],
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: systemChromium
      ? {
          executablePath: systemChromium,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        }
      : {},
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } }],
  webServer: external
    ? undefined
    : {
        command: "node scripts/start.mjs",
        // Ready: migrated, and the worker beside it running (issue 20).
        url: `${baseURL}/api/ready`,
        reuseExistingServer: false,
        timeout: 240_000,
        stdout: "ignore",
        stderr: "pipe",
        // Longer than scripts/start.mjs needs at most (the worker may finish a job for 35 s).
        gracefulShutdown: { signal: "SIGTERM", timeout: 45_000 },
        env: {
          PORT: port,
          DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
          // The server under test queries as the run's runtime login role, as in production (R47).
          DATABASE_APP_URL: process.env.E2E_DATABASE_APP_URL ?? "",
          AUTH_SECRET: process.env.E2E_AUTH_SECRET ?? "",
          NEXTAUTH_URL: baseURL,
          LEDGERLINE_TEST_CLOCK: "1",
          SMTP_URL: `smtp://e2e:e2e@127.0.0.1:${E2E_SMTP_PORT}`,
          MAIL_FROM: "Ledgerline E2E <statements@e2e.example.com>",
          // R41: the e2e webhook receivers listen on 127.0.0.1 over plain http.
          LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE: "true",
          NEXT_TELEMETRY_DISABLED: "1",
        },
      },
});
