import { NextResponse, type NextRequest } from "next/server";
import { pageSecurityHeaders } from "@/lib/security/headers";
import { findControlCharacter } from "@/lib/validation/control-characters";

// Security headers only — never authorization: every page, action and route handler checks
// access itself on the server (R4). A per-request nonce lets Next's own inline scripts run while
// any injected script is refused (strict CSP); HSTS once the public URL is https (R47).
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const headers = pageSecurityHeaders({
    nonce,
    dev: process.env.NODE_ENV !== "production",
    publicUrl: process.env.NEXTAUTH_URL,
  });
  // R47: a control character in a page's query string (`/audit-log?q=%00`) is a 400 naming the
  // parameter, before any page code could pass it to the database.
  const badParameter = findControlCharacter(request.nextUrl.searchParams);
  if (badParameter !== null) {
    const refusal = new NextResponse(
      `The query parameter "${badParameter.replace(/[^\w.-]/g, "?")}" contains a control character.`,
      {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
    for (const [name, value] of Object.entries(headers)) refusal.headers.set(name, value);
    return refusal;
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: [
    {
      // PAGE_MATCHER_SOURCE in lib/security/headers.ts (Next needs a literal here; a unit test
      // checks the two stay equal).
      source: "/((?!api/|api$|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
