import { z } from "zod";
import { clockIsAdjustable, now, setClock } from "@/lib/clock";

export const dynamic = "force-dynamic";

// Test-only: lets end-to-end tests move the server clock across a month boundary (R23). Exists
// only when the server was started with LEDGERLINE_TEST_CLOCK=1; a normal deployment answers 404.
const body = z.object({ instant: z.iso.datetime().nullable() });

export async function GET() {
  if (!clockIsAdjustable()) return new Response("Not found", { status: 404 });
  return Response.json({ now: now().toISOString() });
}

export async function POST(request: Request) {
  if (!clockIsAdjustable()) return new Response("Not found", { status: 404 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return Response.json({ error: "invalid_body", message: "Send { instant: ISO date | null }" }, { status: 400 });
  setClock(parsed.data.instant ? new Date(parsed.data.instant) : null);
  return Response.json({ now: now().toISOString() });
}
