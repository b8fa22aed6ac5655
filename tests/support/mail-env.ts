// The environment for integration tests that mail (R39) or call webhooks (R41), with settings a
// test can change: an SMTP_URL pointed at its sink or unset, and whether webhooks may reach
// private addresses (the local receivers). Use as `vi.mock("@/lib/env", () =>
// import("@/tests/support/mail-env"))`; the mocked module and the test share this one object.
export const mailEnv = {
  SMTP_URL: undefined as string | undefined,
  LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE: false,
};

export const TEST_MAIL_FROM = "Ledgerline <statements@example.com>";

const TEST_SECRET = "ledgerline-integration-tests-secret-0123456789";

export function env() {
  return {
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_APP_URL: process.env.DATABASE_APP_URL,
    SMTP_URL: mailEnv.SMTP_URL,
    MAIL_FROM: TEST_MAIL_FROM,
    LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE: mailEnv.LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE,
  };
}

export function authSecret(): string {
  return TEST_SECRET;
}

export function encryptionKeyMaterial(): string {
  return TEST_SECRET;
}
