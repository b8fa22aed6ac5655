import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { consoleOrigin } from "@/lib/auth/console-origin";
import { getSignedInMember } from "@/lib/auth/guard";
import { safeCallbackPath } from "@/lib/auth/safe-redirect";
import { ssoConfiguration } from "@/lib/auth/sso";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // R47: only a path on the console's own origin, resolved by a URL parser (never a prefix check).
  const safeCallback = safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : null, await consoleOrigin());
  if (await getSignedInMember()) redirect(safeCallback);
  const sso = ssoConfiguration();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">Sign in to Ledgerline</h1>
        <p className="mb-6 text-sm text-slate-600">Billing groups, Credits limits and bills for your organization.</p>
        <SignInForm
          callbackUrl={safeCallback}
          initialError={error ? "Sign-in failed. Check your email and password, or try again." : null}
          ssoName={sso?.name ?? null}
        />
      </div>
    </main>
  );
}
