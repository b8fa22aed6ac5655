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
});
