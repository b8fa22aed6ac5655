import { databaseIsReachable } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Liveness + database reachability, for load balancers and Playwright's webServer. */
export async function GET() {
  if (await databaseIsReachable()) return Response.json({ status: "ok" });
  return Response.json({ status: "unavailable", error: "database_unreachable" }, { status: 503 });
}
