import { describe, expect, it } from "vitest";
import { checkWebhookUrl, guardedLookup, isPrivateAddress } from "./url-guard";

// R41's SSRF guard: what a webhook may not reach unless LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE=true.

describe("private addresses (R41)", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "[::1]",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "64:ff9b::169.254.169.254",
    "not-an-address",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe("webhook URLs (R41)", () => {
  const strict = { allowPrivate: false };
  const loose = { allowPrivate: true };

  it("accepts public https URLs", () => {
    expect(checkWebhookUrl("https://hooks.example.com/ledgerline", strict).ok).toBe(true);
    expect(checkWebhookUrl("https://8.8.8.8/hook", strict).ok).toBe(true);
  });

  it("refuses http unless private addresses are allowed", () => {
    expect(checkWebhookUrl("http://hooks.example.com/", strict).ok).toBe(false);
    expect(checkWebhookUrl("http://127.0.0.1:8080/", loose).ok).toBe(true);
    expect(checkWebhookUrl("ftp://hooks.example.com/", loose).ok).toBe(false);
  });

  it.each([
    "https://127.0.0.1/",
    "https://10.0.0.1/",
    "https://169.254.169.254/latest/meta-data",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://localhost/",
    "https://api.localhost/",
  ])("refuses %s without the allow flag", (url) => {
    expect(checkWebhookUrl(url, strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl(url, loose).ok).toBe(true);
  });

  it("refuses credentials and non-URLs", () => {
    expect(checkWebhookUrl("https://user:pass@hooks.example.com/", strict).ok).toBe(false);
    expect(checkWebhookUrl("hooks.example.com", strict).ok).toBe(false);
  });
});

describe("guardedLookup (R41)", () => {
  const lookup = (allowPrivate: boolean, host: string) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
      guardedLookup({ allowPrivate })(host, {}, (error, address) => resolve({ error, address })),
    );

  it("refuses a name resolving to loopback, unless allowed", async () => {
    const refused = await lookup(false, "localhost");
    expect(refused.error).toMatchObject({ code: "EPRIVATEADDRESS" });
    const allowed = await lookup(true, "localhost");
    expect(allowed.error).toBeNull();
    expect(["127.0.0.1", "::1"]).toContain(allowed.address);
  });
});
