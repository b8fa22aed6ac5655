import type { Instrumentation } from "next";

// Runs once per server process before it serves (issue 20): the request hooks (request ids, peer
// address, access log, requests in flight) and the graceful shutdown, Node runtime only.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installRequestHooks } = await import("@/lib/runtime/request-hooks");
  installRequestHooks();
  // `next dev` restarts itself on its own terms.
  if (process.env.NODE_ENV !== "production") return;
  const { installGracefulShutdown } = await import("@/lib/runtime/shutdown");
  installGracefulShutdown(async () => {
    const [{ closeJobSender }, { closeDb }] = await Promise.all([import("@/lib/jobs/boss"), import("@/db")]);
    await closeJobSender();
    await closeDb();
  });
}

/** An error that escaped to Next (a page or action that threw): one line with the request id, never the error's own text. */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logFailure, requestIdOrNew } = await import("@/lib/log");
  const sent = request.headers["x-request-id"];
  logFailure(
    `${request.method} ${context.routePath} (${context.routeType})`,
    error,
    requestIdOrNew(typeof sent === "string" ? sent : undefined),
  );
};
