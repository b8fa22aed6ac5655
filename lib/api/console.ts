import "server-only";
import type { z } from "zod";
import { DomainError } from "@/lib/errors";
import { describeIssues } from "@/lib/usage/schemas";
import { errorResponse } from "./http";

// The console's own GET route handlers (React Query fetchers, export drawer): each authorizes from
// the database through the access layer on every request; errors take the one API error shape.

type Params = Promise<Record<string, string | string[]>>;

/** A JSON GET for the console: `read` returns the body (or a Response, e.g. a CSV stream); errors map in one place. */
export function consoleGet(
  where: string,
  read: (request: Request, params: Record<string, string | string[]>) => Promise<unknown>,
) {
  return async (request: Request, context?: { params: Params }): Promise<Response> => {
    try {
      const body = await read(request, (await context?.params) ?? {});
      if (body instanceof Response) return body;
      return Response.json(body, { headers: { "Cache-Control": "no-store" } });
    } catch (error) {
      return errorResponse(error, where);
    }
  };
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
