import NextAuth from "next-auth";
import { clientAddressOf } from "@/lib/auth/client-address-of-request";
import { authOptions } from "@/lib/auth/options";

// Options are built per request: sign-in gets this request's client address for the throttle
// (R47), and every session read here is checked against the database, so a copied cookie of an
// ended session is cleared instead of re-issued (issue 22 item 4).
function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(authOptions({ clientAddress: clientAddressOf(request), checkSessionOnRead: true }))(request, context);
}

export { handler as GET, handler as POST };
