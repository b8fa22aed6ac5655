import { afterEach, describe, expect, it, vi } from "vitest";

const SERVED_WITH_PEER = Symbol.for("ledgerline.peerHeader");
const flags = globalThis as Record<symbol, unknown>;

afterEach(() => {
  delete flags[SERVED_WITH_PEER];
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function addressOf(headers: Record<string, string>, hops?: string) {
  vi.resetModules(); // env() is read once per module load
  vi.stubEnv("DATABASE_URL", "postgres://ledgerline@localhost:5432/ledgerline");
  if (hops !== undefined) vi.stubEnv("LEDGERLINE_TRUSTED_PROXY_HOPS", hops);
  vi.stubEnv("LOG_LEVEL", "silent");
  const { clientAddressOf } = await import("./client-address-of-request");
  return clientAddressOf(new Request("http://localhost/api/auth/callback/credentials", { headers }));
}

describe("the client address of a sign-in request (R47)", () => {
  const forged = { "x-forwarded-for": "203.0.113.9", "x-ledgerline-peer": "198.51.100.1" };

  it("believes the peer header only when the request hooks set it in this process", async () => {
    expect(await addressOf(forged)).toBeNull();
    flags[SERVED_WITH_PEER] = true;
    expect(await addressOf(forged)).toBe("198.51.100.1");
  });

  it("reads X-Forwarded-For only as far as LEDGERLINE_TRUSTED_PROXY_HOPS allows", async () => {
    flags[SERVED_WITH_PEER] = true;
    expect(await addressOf({ ...forged, "x-forwarded-for": "1.1.1.1, 203.0.113.9" }, "0")).toBe("198.51.100.1");
    expect(await addressOf({ ...forged, "x-forwarded-for": "1.1.1.1, 203.0.113.9" }, "1")).toBe("203.0.113.9");
  });
});
