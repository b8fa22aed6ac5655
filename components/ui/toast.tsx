"use client";

import { Toaster as SonnerToaster } from "sonner";

export { toast } from "sonner";

/**
 * Mounted once in the console layout: the success or failure of every mutation (useServerAction)
 * appears here, in a polite live region.
 */
export function Toaster() {
  return (
    <SonnerToaster
      position="bottom-right"
      // Sonner's "rich" green and red fall below WCAG AA contrast; its plain theme does not.
      closeButton
      // Issue 18: light or dark with the system, like the console.
      theme="system"
      duration={5000}
      // "Notifications" is the shell's bell (SPEC §10, R40); the toast region gets its own name.
      containerAriaLabel="Messages"
      toastOptions={{ classNames: { toast: "text-sm", error: "!text-red-800", success: "!text-slate-900" } }}
    />
  );
}
