import { afterEach, describe, expect, it, vi } from "vitest";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("environment validation", () => {
  it("names every problem in one clear error", async () => {
    vi.stubEnv("DATABASE_URL", "not a url");
    vi.stubEnv("OIDC_ISSUER", "https://login.example.test");
    const { env } = await import("./env");
    expect(() => env()).toThrow(/DATABASE_URL must be a postgres:\/\/ URL[\s\S]*OIDC needs all of/);
  });

  it("accepts the runtime's own login (DATABASE_APP_URL) beside the owner's, or either alone (R47)", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://owner:secret@db.example.test:5432/ledgerline");
    vi.stubEnv("DATABASE_APP_URL", "postgres://ledgerline_web:other@db.example.test:5432/ledgerline");
    const { env } = await import("./env");
    expect(env()).toMatchObject({
      DATABASE_URL: "postgres://owner:secret@db.example.test:5432/ledgerline",
      DATABASE_APP_URL: "postgres://ledgerline_web:other@db.example.test:5432/ledgerline",
    });
  });

  it("refuses a runtime URL that logs in as the owner, or no database URL at all (R47)", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://owner:secret@db.example.test:5432/ledgerline");
    vi.stubEnv("DATABASE_APP_URL", "postgres://owner:secret@pgbouncer.example.test:6432/ledgerline");
    const first = await import("./env");
    expect(() => first.env()).toThrow(/DATABASE_APP_URL must log in as its own role/);

    vi.resetModules();
    vi.stubEnv("DATABASE_URL", undefined);
    vi.stubEnv("DATABASE_APP_URL", undefined);
    const second = await import("./env");
    expect(() => second.env()).toThrow(/set DATABASE_APP_URL/);

    vi.resetModules();
    vi.stubEnv("DATABASE_APP_URL", "not a url");
    const third = await import("./env");
    expect(() => third.env()).toThrow(/DATABASE_APP_URL must be a postgres:\/\/ URL/);
  });

  it("refuses to run production without AUTH_SECRET", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", "");
    vi.stubEnv("NEXTAUTH_SECRET", "");
    const { authSecret } = await import("./env");
    expect(() => authSecret()).toThrow(/AUTH_SECRET must be set/);
  });

  it("accepts a long enough secret", async () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("AUTH_SECRET", "x".repeat(40));
    const { authSecret } = await import("./env");
    expect(authSecret()).toBe("x".repeat(40));
  });

  it("takes SMTP_URL as smtp:// or smtps:// and MAIL_FROM as an address, with a default sender (R39)", async () => {
    vi.stubEnv("DATABASE_URL", "postgres://owner:secret@db.example.test:5432/ledgerline");
    vi.stubEnv("SMTP_URL", "smtps://mailer:secret@smtp.example.test:465");
    const first = await import("./env");
    expect(first.env()).toMatchObject({ SMTP_URL: "smtps://mailer:secret@smtp.example.test:465" });
    expect(first.env().MAIL_FROM).toBe(first.DEFAULT_MAIL_FROM);

    vi.resetModules();
    vi.stubEnv("SMTP_URL", "");
    vi.stubEnv("MAIL_FROM", "Finance <finance@example.com>");
    const second = await import("./env");
    expect(second.env()).toMatchObject({ SMTP_URL: undefined, MAIL_FROM: "Finance <finance@example.com>" });

    vi.resetModules();
    vi.stubEnv("SMTP_URL", "http://smtp.example.test");
    vi.stubEnv("MAIL_FROM", "not an address");
    const third = await import("./env");
    expect(() => third.env()).toThrow(/SMTP_URL must look like smtp:\/\/[\s\S]*MAIL_FROM must be an address/);
  });
});
