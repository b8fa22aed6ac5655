import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { PEER_HEADER } from "@/lib/auth/client-address";
import { logger, requestIdOrNew } from "@/lib/log";
import { requestNotes } from "./request-notes";

// Every request the process's HTTP server receives, seen through Node's own diagnostics channel
// (published before the server hands the request to Next), whichever server runs the app: the
// standalone `server.js` of the image, `next start` or `next dev`. Nothing here authorizes.
//  - a request id: the client's X-Request-Id when well formed, else a new one, put back on the
//    request's headers (route handlers, actions and error bodies read it there) and on the response;
//  - the peer address in PEER_HEADER, replacing whatever a client sent (sign-in throttle, R47);
//  - one access-log line when the response ends: id, method, path (never the query string, which
//    may hold an OAuth code), status, duration, org id when the app noted one;
//  - the count of requests in flight and the servers, for the graceful shutdown.

const SERVED_WITH_PEER = Symbol.for("ledgerline.peerHeader");
const REQUEST_START = "http.server.request.start";

type RequestStart = { request: IncomingMessage; response: ServerResponse; server: Server };

type HookState = { installed: boolean; inFlight: number; servers: Set<Server>; drained: Set<() => void> };

const globalForHooks = globalThis as unknown as { ledgerlineRequestHooks?: HookState };

function hookState(): HookState {
  globalForHooks.ledgerlineRequestHooks ??= { installed: false, inFlight: 0, servers: new Set(), drained: new Set() };
  return globalForHooks.ledgerlineRequestHooks;
}

/** Static assets are logged at debug only: a page load fetches dozens. */
function isAsset(path: string): boolean {
  return path.startsWith("/_next/static/") || path === "/favicon.ico";
}

function onRequestStart(message: unknown): void {
  const { request, response, server } = message as RequestStart;
  const state = hookState();
  const started = performance.now();
  const sent = request.headers["x-request-id"];
  const requestId = requestIdOrNew(typeof sent === "string" ? sent : undefined);
  request.headers["x-request-id"] = requestId;
  request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
  response.setHeader("X-Request-Id", requestId);
  state.servers.add(server);
  state.inFlight += 1;
  const note = {};
  requestNotes().set(requestId, note);
  response.once("close", () => {
    state.inFlight -= 1;
    requestNotes().delete(requestId);
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const line = {
      requestId,
      method: request.method,
      route: path,
      status: response.statusCode,
      durationMs: Math.round(performance.now() - started),
      ...note,
      ...(response.writableFinished ? {} : { aborted: true }),
    };
    if (isAsset(path)) logger().debug(line, "request");
    else logger().info(line, "request");
    if (state.inFlight === 0) for (const resolve of state.drained) resolve();
  });
}

/** Installs the hooks once per process (instrumentation.ts `register`); returns their removal (tests). */
export function installRequestHooks(): () => void {
  const state = hookState();
  const flags = globalThis as Record<symbol, unknown>;
  const uninstall = () => {
    unsubscribe(REQUEST_START, onRequestStart);
    delete flags[SERVED_WITH_PEER];
    state.installed = false;
  };
  if (state.installed) return uninstall;
  state.installed = true;
  // lib/auth/client-address-of-request.ts trusts PEER_HEADER only once this is set.
  flags[SERVED_WITH_PEER] = true;
  subscribe(REQUEST_START, onRequestStart);
  return uninstall;
}

/** Requests received and not yet answered (or abandoned). */
export function requestsInFlight(): number {
  return hookState().inFlight;
}

/** Stops every server that received a request from accepting connections, and closes idle ones. */
export function stopAcceptingRequests(): void {
  for (const server of hookState().servers) {
    server.close();
    server.closeIdleConnections();
  }
}

/** Resolves true once no request is in flight, or false after `timeoutMs`. */
export function requestsDrained(timeoutMs: number): Promise<boolean> {
  const state = hookState();
  if (state.inFlight === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (drained: boolean) => {
      clearTimeout(timer);
      state.drained.delete(onDrained);
      resolve(drained);
    };
    const onDrained = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    state.drained.add(onDrained);
  });
}
