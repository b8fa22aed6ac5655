import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSignedInMember } from "@/lib/auth/guard";
import { getBillingAccess } from "@/lib/auth/billing-access";
import { hasConsoleAccess } from "@/lib/auth/roles";
import { SignOutButton } from "@/components/shell/sign-out-button";

export const metadata: Metadata = { title: "No console access" };

export default async function NoAccessPage() {
  const member = await getSignedInMember();
  if (!member) redirect("/sign-in");
  if (hasConsoleAccess(member.role)) redirect("/");
  // A member granted billing group viewer (R33) has a console: their billing groups.
  if ((await getBillingAccess(member)).kind === "viewer") redirect("/billing-groups");
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="mb-2 text-xl font-semibold">No console access</h1>
        <p className="mb-6 text-sm text-slate-700">
          You are signed in as {member.email}, a member of {member.orgName}. Members use Credits through the product;
          the admin console is for organization admins and billing admins. Ask an admin if you need access.
        </p>
        <SignOutButton />
      </div>
    </main>
  );
}
