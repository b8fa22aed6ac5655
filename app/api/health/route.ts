export const dynamic = "force-dynamic";

/**
 * Liveness (issue 20): the process is up and serving. No database read, so a database outage
 * never makes an orchestrator restart healthy instances; /api/ready is what takes them out of rotation.
 */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
