// The production server `npm start` runs: Next's own request handler behind a plain Node HTTP
// server, so the console sees each connection's peer address. Next gives route handlers no socket
// address, and `next start` passes a client's own X-Forwarded-For on unchanged, so without this the
// sign-in throttle (R47) could only guess. Every request gets the peer in `x-ledgerline-peer`
// (whatever a client sent there is replaced); lib/auth/client-address.ts reads it, and reads
// X-Forwarded-For only as far as LEDGERLINE_TRUSTED_PROXY_HOPS allows.
import http from "node:http";
import { ROOT } from "./lib/processes.mjs";

// What `next start` sets before loading Next: production React, production code paths.
process.env.NODE_ENV ||= "production";
process.env.NEXT_RUNTIME ||= "nodejs";
const { default: next } = await import("next");

const PEER_HEADER = "x-ledgerline-peer";
const port = Number(process.env.PORT ?? 3000);

// Listens on every interface, like `next start`.
const app = next({ dev: false, dir: ROOT, port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();
// Tells lib/auth/client-address-of-request.ts, in this same process, that PEER_HEADER is ours.
globalThis[Symbol.for("ledgerline.peerHeader")] = true;

const server = http.createServer((request, response) => {
  request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
  handle(request, response);
});
// Every interface by default; LEDGERLINE_LISTEN_HOST narrows it (the cluster test binds loopback only).
const host = process.env.LEDGERLINE_LISTEN_HOST || undefined;
server.listen(port, host, () => console.log(`▲ Ledgerline ready on ${host ?? "every interface"}, port ${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    Promise.resolve(app.close?.()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}
