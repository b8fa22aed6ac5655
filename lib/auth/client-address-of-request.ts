import "server-only";
import { env } from "@/lib/env";
import { logWarning } from "@/lib/log";
import { PEER_HEADER, resolveClientAddress } from "./client-address";

// Set by lib/runtime/request-hooks.ts (instrumentation.ts) in this same process before Next
// handles any request. Only then is PEER_HEADER ours (the hooks overwrite whatever a client sent
// there); without them (a test, an edge runtime) a client could write it, so it is ignored.
const SERVED_WITH_PEER = Symbol.for("ledgerline.peerHeader");

let warned = false;

/** The client address of a request to the console, for the sign-in throttle; null when unknown. */
export function clientAddressOf(request: Request): string | null {
  const trusted = (globalThis as Record<symbol, unknown>)[SERVED_WITH_PEER] === true;
  const address = resolveClientAddress(
    {
      forwardedFor: request.headers.get("x-forwarded-for"),
      peer: trusted ? request.headers.get(PEER_HEADER) : null,
    },
    env().LEDGERLINE_TRUSTED_PROXY_HOPS,
  );
  if (address === null && !warned) {
    warned = true;
    logWarning(
      "sign-in",
      "client addresses are unknown: sign-in failures are counted per account only. Serve the console " +
        "through Next's Node server (instrumentation.ts sets the peer), or set LEDGERLINE_TRUSTED_PROXY_HOPS behind a proxy.",
    );
  }
  return address;
}
