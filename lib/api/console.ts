import "server-only";
import type { z } from "zod";
import { assertSameOrigin } from "@/lib/auth/console-origin";
import { requirePrincipal } from "@/lib/auth/guard";
import type { MemberPrincipal } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { DomainError } from "@/lib/errors";
import { describeIssues } from "@/lib/usage/schemas";
import { requestIdFrom } from "@/lib/log";
import { errorResponse, withRequestId } from "./http";

// The console's own route handlers — GETs (React Query fetchers, export drawer) and the few POSTs a
// server action cannot carry — each authorizes from the database through the access layer on
// every request; errors take the one API error shape.

type Params = Promise<Record<string, string | string[]>>;

/** A console answer: JSON (no-store), or `body` itself when it is a Response (a CSV); errors map in one place. */
async function answer(where: string, request: Request, produce: () => Promise<unknown>): Promise<Response> {
  const requestId = requestIdFrom(request.headers);
  let response: Response;
  try {
    const body = await produce();
    response = body instanceof Response ? body : Response.json(body, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    response = errorResponse(error, where, requestId);
  }
  return withRequestId(response, requestId);
}

/** A JSON GET for the console: `read` returns the body (or a Response, e.g. a CSV stream). */
export function consoleGet(
  where: string,
  read: (request: Request, params: Record<string, string | string[]>) => Promise<unknown>,
) {
  return (request: Request, context?: { params: Params }): Promise<Response> =>
    answer(where, request, async () => read(request, (await context?.params) ?? {}));
}

/**
 * A console mutation over POST, for bodies a server action cannot take (the Members import's 10 MB
 * file, R43): the member is authorized from the database first (401/403 like every console route),
 * then the request must come from the console's own origin (CSRF), then `run` goes through the
 * access layer, which checks the role again.
 */
export function consolePost(
  where: string,
  roles: readonly Role[],
  run: (request: Request, principal: MemberPrincipal) => Promise<unknown>,
) {
  return (request: Request): Promise<Response> =>
    answer(where, request, async () => {
      const principal = await requirePrincipal(roles);
      assertSameOrigin(request);
      return run(request, principal);
    });
}

/** The query string and path params of a console GET, validated by `schema` (400 on a bad value). */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  request: Request,
  params: Record<string, string | string[]> = {},
): z.infer<S> {
  const parsed = schema.safeParse({ ...Object.fromEntries(new URL(request.url).searchParams), ...params });
  if (!parsed.success) throw new DomainError("invalid_input", describeIssues(parsed.error));
  return parsed.data;
}
