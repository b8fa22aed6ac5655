import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 description of the Metering API; public, like any API reference. */
export function GET() {
  return Response.json(openApiDocument);
}
