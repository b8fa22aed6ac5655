// Integration-test helpers for the /api/v1 route handlers: keys made directly in the database and
// requests built with `new Request(...)` and handed to the exported handlers.
import { randomUUID } from "node:crypto";
import { apiKeys } from "@/db/schema";
import { type ApiKeyScope, generateApiKey } from "@/lib/api-keys/rules";
import { testDb } from "./db";

export async function createApiKeyFor(orgId: string, name = `key ${randomUUID().slice(0, 6)}`) {
  const key = generateApiKey();
  const [row] = await testDb()
    .insert(apiKeys)
    .values({ orgId, name, prefix: key.prefix, secretHash: key.secretHash })
    .returning();
  return { id: row!.id, secret: key.secret };
}

export function apiRequest(
  path: string,
  init: {
    method?: string;
    key?: string | null;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body: string | undefined = init.rawBody;
  if (body === undefined && init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, {
    method: init.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
  });
}

export async function send(handler: (request: Request) => Promise<Response>, request: Request) {
  const response = await handler(request);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json as Record<string, unknown> & { error?: string } };
}

/** R44: a key with exactly `scopes` (plain `createApiKeyFor` keys have the pre-scope default, usage and read). */
export async function createScopedApiKey(
  orgId: string,
  scopes: ApiKeyScope[],
  name = `key ${randomUUID().slice(0, 6)}`,
) {
  const key = generateApiKey();
  const [row] = await testDb()
    .insert(apiKeys)
    .values({ orgId, name, prefix: key.prefix, secretHash: key.secretHash, scopes })
    .returning();
  return { id: row!.id, name, secret: key.secret };
}

/** Calls a route handler with a dynamic segment the way Next.js does (`params` is a promise). */
export function withParams<P extends Record<string, string>>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  params: P,
) {
  return (request: Request) => handler(request, { params: Promise.resolve(params) });
}
