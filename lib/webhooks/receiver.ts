import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from "./signature";

// A webhook receiver on this machine (R41): `npm run webhook:receiver` for trying webhooks by hand,
// and the receiver the tests deliver to. It keeps every request as received (raw body, headers),
// checks the signature when it knows the secret, and answers as its responder says (a status, and
// optionally a delay, to play a failing or hanging endpoint).

export type ReceivedWebhook = {
  eventId: string | undefined;
  signature: string | undefined;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id?: string; type?: string; createdAt?: string; data?: Record<string, unknown> } | null;
  /** Whether the signature verified with the receiver's secret; null when it has none. */
  verified: boolean | null;
  receivedAt: Date;
  /** The sender closed the connection before this receiver answered (it gave up waiting). */
  senderHungUp: boolean;
};

/** How to answer: a status (after a delay, with headers and a body), or never (`hang`). */
export type Answer = { status: number; delayMs?: number; headers?: Record<string, string>; body?: string } | "hang";
export type Responder = (request: ReceivedWebhook, index: number) => Answer | Promise<Answer>;

export type WebhookReceiver = {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  /** TCP connections accepted: 0 proves a refused delivery never reached this machine's socket. */
  connections(): number;
  setSecret(secret: string | null): void;
  setResponder(responder: Responder): void;
  waitFor(count: number, timeoutMs: number): Promise<ReceivedWebhook[]>;
  clear(): void;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 1024 * 1024;

export async function startWebhookReceiver(options: {
  port?: number;
  host?: string;
  secret?: string | null;
  responder?: Responder;
  log?: (line: string) => void;
}): Promise<WebhookReceiver> {
  let secret = options.secret ?? null;
  let responder: Responder = options.responder ?? (() => ({ status: 204 }));
  const received: ReceivedWebhook[] = [];
  const waiters = new Set<() => void>();
  const pending = new Set<NodeJS.Timeout>();
  let connections = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const header = (name: string) => {
        const value = req.headers[name.toLowerCase()];
        return Array.isArray(value) ? value[0] : value;
      };
      let body: ReceivedWebhook["body"] = null;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = null;
      }
      const request: ReceivedWebhook = {
        eventId: header(EVENT_ID_HEADER),
        signature: header(SIGNATURE_HEADER),
        headers: req.headers,
        rawBody,
        body,
        verified:
          secret === null
            ? null
            : verifySignature({ secret, header: header(SIGNATURE_HEADER), rawBody, nowSeconds: Date.now() / 1000 }),
        receivedAt: new Date(),
        senderHungUp: false,
      };
      res.on("close", () => {
        if (!res.writableFinished) request.senderHungUp = true;
      });
      const index = received.push(request) - 1;
      options.log?.(
        `${request.receivedAt.toISOString()} ${request.body?.type ?? "?"} ${request.eventId ?? "(no event id)"}` +
          (request.verified === null ? "" : request.verified ? " signature ok" : " SIGNATURE INVALID"),
      );
      for (const wake of waiters) wake();
      void Promise.resolve(responder(request, index)).then((answer) => {
        if (answer === "hang") return;
        const send = () => {
          if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body);
        };
        if (!answer.delayMs) return send();
        const timer = setTimeout(() => {
          pending.delete(timer);
          send();
        }, answer.delayMs);
        pending.add(timer);
      });
    });
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks/ledgerline`,
    port,
    received,
    connections: () => connections,
    setSecret(next) {
      secret = next;
    },
    setResponder(next) {
      responder = next;
    },
    waitFor(count, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(received.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`webhook receiver: ${received.length} of ${count} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    clear() {
      received.length = 0;
    },
    async close() {
      for (const timer of pending) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
