"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { type ReactNode, useRef } from "react";
import { firstField, focusReturnTarget } from "./focus-return";

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** "dialog" is centred; "drawer" slides in from the right for lists and details. */
  variant?: "dialog" | "drawer";
  wide?: boolean;
};

/**
 * Accessible modal (focus trap, Escape, labelled by its title) from Radix primitives. Focus starts
 * on the first field (not the close button) and returns to what opened the dialog — the row's
 * Actions button when it was opened from that menu (issue 18).
 */
export function Dialog({ open, onOpenChange, title, description, children, variant = "dialog", wide }: DialogProps) {
  // What had focus when the dialog opened, read before Radix moves focus into the dialog.
  const opener = useRef<Element | null>(null);
  const wasOpen = useRef(false);
  if (open && !wasOpen.current && typeof document !== "undefined") opener.current = document.activeElement;
  wasOpen.current = open;
  const panel =
    variant === "drawer"
      ? `fixed inset-y-0 right-0 z-50 flex w-full ${wide ? "max-w-4xl" : "max-w-2xl"} flex-col overflow-y-auto bg-white p-6 shadow-xl`
      : `fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-full ${wide ? "max-w-2xl" : "max-w-md"} -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl bg-white p-6 shadow-xl`;
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <RadixDialog.Content
          className={panel}
          onOpenAutoFocus={(event) => {
            const field = firstField(event.currentTarget as HTMLElement);
            if (!field) return;
            event.preventDefault();
            field.focus();
          }}
          onCloseAutoFocus={(event) => {
            const target = focusReturnTarget(opener.current);
            if (!target) return;
            event.preventDefault();
            target.focus();
          }}
        >
          <div className="mb-4 flex items-start justify-between gap-4">
            <div>
              <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
              {description ? (
                <RadixDialog.Description className="mt-1 text-sm text-slate-600">{description}</RadixDialog.Description>
              ) : (
                <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
              )}
            </div>
            <RadixDialog.Close
              className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100"
              aria-label="Close"
            >
              ✕
            </RadixDialog.Close>
          </div>
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
