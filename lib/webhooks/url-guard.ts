import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";

// R41's SSRF guard, in one place for the form and the sender. A webhook URL must be https (http
// only where private addresses are allowed, i.e. on a developer's or CI's machine), carry no
// credentials, and neither its literal address nor any address its name resolves to may be
// loopback, private, link-local or otherwise not the public internet. The name is resolved again
// at every send (a name may be re-pointed after it was saved) by `guardedLookup`, which the
// request connects through, so the address checked is the address used.

const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address an IPv6 one carries (`::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`), if any. */
function embeddedIpv4(address: string): string | null {
  const match = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match) return match[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** True for any address a webhook may not reach unless private addresses are allowed. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").split("%")[0]!;
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    return v4 !== null ? blocked.check(v4, "ipv4") : blocked.check(bare, "ipv6");
  }
  return true; // not an address at all: refuse rather than guess
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

/** The form's and the sender's first check: scheme, credentials, and a literal address. */
export function checkWebhookUrl(raw: string, options: { allowPrivate: boolean }): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full URL, e.g. https://hooks.example.com/ledgerline." };
  }
  if (url.protocol !== "https:" && !(options.allowPrivate && url.protocol === "http:")) {
    return { ok: false, message: "Use an https:// URL." };
  }
  if (url.username || url.password) {
    return { ok: false, message: "Leave credentials out of the URL; verify deliveries by their signature instead." };
  }
  if (!url.hostname) return { ok: false, message: "Enter a full URL, e.g. https://hooks.example.com/ledgerline." };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (
    !options.allowPrivate &&
    (isIP(host) ? isPrivateAddress(host) : host === "localhost" || host.endsWith(".localhost"))
  ) {
    return { ok: false, message: "This URL points to a private or loopback address, which webhooks may not reach." };
  }
  return { ok: true, url };
}

export class PrivateAddressError extends Error {
  readonly code = "EPRIVATEADDRESS";
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a private or loopback address webhooks may not reach`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request: resolves the name, refuses it when any of its addresses is
 * private (unless allowed), and hands the checked addresses to the connection.
 */
export function guardedLookup(options: { allowPrivate: boolean }) {
  return (
    hostname: string,
    lookupOptions: { all?: boolean; family?: number | "IPv4" | "IPv6" },
    callback: LookupCallback,
  ): void => {
    dnsLookup(hostname, { all: true, family: lookupOptions.family ?? 0 }, (error, addresses) => {
      if (error) return callback(error, []);
      const bad = options.allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new PrivateAddressError(hostname, bad.address), []);
      if (lookupOptions.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
