// The environment for integration tests that mail (R39), with an SMTP_URL a test can point at its
// sink or unset. Use as `vi.mock("@/lib/env", () => import("@/tests/support/mail-env"))` and set
// `mailEnv.SMTP_URL`; the mocked module and the test share this one object.
export const mailEnv = { SMTP_URL: undefined as string | undefined };

export const TEST_MAIL_FROM = "Ledgerline <statements@example.com>";

export function env() {
  return {
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_APP_URL: process.env.DATABASE_APP_URL,
    SMTP_URL: mailEnv.SMTP_URL,
    MAIL_FROM: TEST_MAIL_FROM,
  };
}
