import { describe, expect, it } from "vitest";
import { resolveClientAddress } from "./client-address";

describe("client address for sign-in throttling (R47)", () => {
  it("with no trusted proxy, is the socket's peer and never X-Forwarded-For", () => {
    expect(resolveClientAddress({ forwardedFor: "203.0.113.9", peer: "198.51.100.7" }, 0)).toBe("198.51.100.7");
    expect(resolveClientAddress({ forwardedFor: "203.0.113.9, 10.0.0.1", peer: "198.51.100.7" }, 0)).toBe(
      "198.51.100.7",
    );
    expect(resolveClientAddress({ forwardedFor: null, peer: "::ffff:198.51.100.7" }, 0)).toBe("198.51.100.7");
    expect(resolveClientAddress({ forwardedFor: null, peer: "2001:DB8::1" }, 0)).toBe("2001:db8::1");
  });

  it("with no socket peer and no trusted proxy, is unknown (a forged header is never believed)", () => {
    expect(resolveClientAddress({ forwardedFor: "203.0.113.9", peer: null }, 0)).toBeNull();
    expect(resolveClientAddress({ forwardedFor: null, peer: null }, 0)).toBeNull();
  });

  it("with N trusted proxies, takes the hop N entries left of the peer, whatever the client prepended", () => {
    // client forged "1.1.1.1"; our proxy appended the real client 203.0.113.9; the peer is the proxy.
    const request = { forwardedFor: "1.1.1.1, 203.0.113.9", peer: "10.0.0.2" };
    expect(resolveClientAddress(request, 1)).toBe("203.0.113.9");
    // Two proxies: CDN appended the client, the load balancer appended the CDN.
    expect(resolveClientAddress({ forwardedFor: "1.1.1.1, 203.0.113.9, 192.0.2.50", peer: "10.0.0.2" }, 2)).toBe(
      "203.0.113.9",
    );
  });

  it("without a socket peer, counts the last X-Forwarded-For entry as the nearest trusted proxy's", () => {
    expect(resolveClientAddress({ forwardedFor: "1.1.1.1, 203.0.113.9", peer: null }, 1)).toBe("203.0.113.9");
  });

  it("takes the furthest entry when the chain is shorter than the proxies, and ignores garbage", () => {
    expect(resolveClientAddress({ forwardedFor: null, peer: "198.51.100.7" }, 2)).toBe("198.51.100.7");
    expect(resolveClientAddress({ forwardedFor: "not-an-ip", peer: "10.0.0.2" }, 1)).toBe("10.0.0.2");
    expect(resolveClientAddress({ forwardedFor: " , ", peer: "10.0.0.2" }, 1)).toBe("10.0.0.2");
    expect(resolveClientAddress({ forwardedFor: "[2001:db8::5]", peer: "10.0.0.2" }, 1)).toBe("2001:db8::5");
  });
});
