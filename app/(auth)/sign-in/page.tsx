import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSignedInMember } from "@/lib/auth/guard";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  if (await getSignedInMember()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  // Only same-site paths: never send someone to another origin after sign-in.
  const safeCallback = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  const sso = Boolean(process.env.OIDC_ISSUER && process.env.OIDC_CLIENT_ID && process.env.OIDC_CLIENT_SECRET);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-1 text-2xl font-semibold">Sign in to Ledgerline</h1>
        <p className="mb-6 text-sm text-slate-600">Billing groups, Credits limits and bills for your organization.</p>
        <SignInForm
          callbackUrl={safeCallback}
          initialError={error ? "Sign-in failed. Check your email and password, or try again." : null}
          ssoName={sso ? (process.env.OIDC_NAME ?? "Single sign-on") : null}
        />
      </div>
    </main>
  );
}
