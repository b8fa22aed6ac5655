import { checkReadiness } from "@/lib/health";

export const dynamic = "force-dynamic";

/**
 * Readiness (issue 20): 200 when this instance may take traffic — database reachable, migrations
 * current, a job runner alive on the database, not shutting down — else 503 naming the failed check.
 */
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(
    { status: readiness.ready ? "ready" : "unavailable", ...readiness.checks },
    { status: readiness.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
