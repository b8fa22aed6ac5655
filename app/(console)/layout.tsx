import type { ReactNode } from "react";
import { Suspense } from "react";
import { getSignedInMember } from "@/lib/auth/guard";
import { getBillingAccess } from "@/lib/auth/billing-access";
import { hasConsoleAccess, ROLE_LABELS } from "@/lib/auth/roles";
import { NavLinks } from "@/components/shell/nav-links";
import { navigationFor } from "@/components/shell/navigation";
import { NotificationsBell } from "@/components/shell/notifications-bell";
import { Sidebar } from "@/components/shell/sidebar";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { Toaster } from "@/components/ui/toast";
import { LocaleProvider } from "@/components/locale-provider";
import { ChangedRowsProvider } from "@/components/ui/changed-rows";
import { requestLocale } from "@/lib/format/request-locale";

// The shell only presents; every page and action authorizes for itself (docs/architecture.md).
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const member = await getSignedInMember();
  const billingGroupViewer =
    member && !hasConsoleAccess(member.role) ? (await getBillingAccess(member)).kind === "viewer" : false;
  const locale = await requestLocale();
  return (
    <LocaleProvider locale={locale}>
      <ChangedRowsProvider>
        <div className="min-h-screen lg:flex">
          <Sidebar brand={<p className="text-lg font-semibold text-indigo-800">Ledgerline</p>}>
            <div className="mb-6 flex items-start justify-between gap-2">
              <div className="min-w-0">
                <p className="text-lg font-semibold text-indigo-800">Ledgerline</p>
                {member ? <p className="truncate text-xs text-slate-600">{member.orgName}</p> : null}
              </div>
              {/* R40: admins, billing admins and billing group viewers; the route authorizes for itself. */}
              {member && (hasConsoleAccess(member.role) || billingGroupViewer) ? <NotificationsBell /> : null}
            </div>
            <nav aria-label="Main">
              {member ? (
                <Suspense>
                  <NavLinks items={navigationFor(member.role, { billingGroupViewer })} />
                </Suspense>
              ) : null}
            </nav>
            {member ? (
              <div className="mt-auto border-t border-slate-200 pt-4 text-sm">
                <p className="font-medium">{member.name}</p>
                <p className="mb-2 truncate text-xs text-slate-600">
                  {member.email} · {billingGroupViewer ? "Billing group viewer" : ROLE_LABELS[member.role]}
                </p>
                <SignOutButton />
              </div>
            ) : null}
          </Sidebar>
          <div className="min-w-0 flex-1">{children}</div>
          <Toaster />
        </div>
      </ChangedRowsProvider>
    </LocaleProvider>
  );
}
