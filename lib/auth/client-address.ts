// R47, issue 22 item 2: which address a sign-in attempt comes from. Pure.
//
// `X-Forwarded-For` is whatever the client wrote, plus one entry per proxy that forwarded it; only
// the entries added by proxies we run can be believed. With LEDGERLINE_TRUSTED_PROXY_HOPS = N
// (default 0), the client is the address N hops to the left of the socket's peer: 0 means the
// socket itself and X-Forwarded-For is never read.
//
// Next.js does not give route handlers the socket, and `next start` keeps a client's own
// X-Forwarded-For as is (it only fills the header in when absent). So lib/runtime/request-hooks.ts
// (installed by instrumentation.ts, whichever server runs Next) writes the socket's peer address
// into PEER_HEADER on every request (replacing anything a client sent there).
import { isIP } from "node:net";

export const PEER_HEADER = "x-ledgerline-peer";

function normalise(value: string | undefined): string | null {
  if (!value) return null;
  let address = value.trim();
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  // IPv4 clients on a dual-stack socket appear as ::ffff:a.b.c.d; count them as a.b.c.d.
  if (address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : null;
}

/**
 * The client's address, or null when it cannot be known safely: no socket peer (a server started
 * without the request hooks) and no trusted proxy configured.
 */
export function resolveClientAddress(
  request: { forwardedFor: string | null; peer: string | null },
  trustedProxyHops: number,
): string | null {
  const hops = Math.max(0, Math.trunc(trustedProxyHops));
  const peer = normalise(request.peer ?? undefined);
  if (hops === 0) return peer;
  const forwarded = (request.forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Without the socket (plain `next start`), the last trusted proxy's own entry ends the chain.
  const chain = peer ? [...forwarded, peer] : forwarded;
  const index = peer ? chain.length - 1 - hops : chain.length - hops;
  if (chain.length === 0) return null;
  // A chain shorter than the proxies configured reached us around them: its first entry is the
  // furthest we can see (the operator must not let clients bypass the proxies).
  return normalise(chain[Math.max(0, index)]) ?? peer;
}
