import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { captureLogLines } from "@/tests/support/log-lines";
import { installRequestHooks, requestsDrained, requestsInFlight } from "./request-hooks";
import { noteRequestOrg } from "./request-notes";

// The hooks on a plain Node HTTP server, as Next's own server would see them (issue 20).
describe("request hooks", () => {
  let uninstall: () => void;
  let server: http.Server;
  let base: string;
  let release: () => void = () => {};
  const seen: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    uninstall = installRequestHooks();
    server = http.createServer((request, response) => {
      seen.push({ ...request.headers });
      const headers = new Headers(request.headers as Record<string, string>);
      noteRequestOrg(headers, "org-1");
      const answer = () => response.writeHead(request.url?.startsWith("/missing") ? 404 : 200).end("ok");
      if (request.url === "/slow") release = answer;
      else answer();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    uninstall();
    await new Promise((resolve) => server.close(resolve));
  });

  it("keeps a well-formed caller id, makes one otherwise, and answers with it", async () => {
    const kept = await fetch(`${base}/a`, {
      headers: { "X-Request-Id": "lb-123", "X-Ledgerline-Peer": "203.0.113.9" },
    });
    const made = await fetch(`${base}/b`, { headers: { "X-Request-Id": "no spaces; please" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-123");
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.at(-2)?.["x-request-id"]).toBe("lb-123");
    expect(seen.at(-1)?.["x-request-id"]).toBe(made.headers.get("x-request-id"));
    // The socket's address replaces whatever the client wrote (sign-in throttle, R47).
    expect(seen.at(-2)?.["x-ledgerline-peer"]).toBe("127.0.0.1");
  });

  it("logs one line per request: id, method, path without the query, status, duration, org", async () => {
    const { lines, restore } = captureLogLines();
    await (await fetch(`${base}/missing?code=oauth-secret`, { headers: { "X-Request-Id": "req-404" } })).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    restore();
    expect(lines.join("\n")).not.toContain("oauth-secret");
    const line = JSON.parse(lines.find((text) => text.includes("req-404")) ?? "{}");
    expect(line).toMatchObject({
      level: "info",
      msg: "request",
      requestId: "req-404",
      method: "GET",
      route: "/missing",
      status: 404,
      orgId: "org-1",
    });
    expect(line.durationMs).toEqual(expect.any(Number));
  });

  it("counts requests in flight until their responses end", async () => {
    const slow = fetch(`${base}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requestsInFlight()).toBe(1);
    expect(await requestsDrained(50)).toBe(false);
    const drained = requestsDrained(5_000);
    release();
    expect(await drained).toBe(true);
    expect((await slow).status).toBe(200);
    expect(requestsInFlight()).toBe(0);
  });
});
