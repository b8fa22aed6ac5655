"use client";

import * as RadixTooltip from "@radix-ui/react-tooltip";
import { useId, useState, type ReactNode } from "react";

const CONTENT_CLASS =
  "z-50 max-w-xs rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-slate-50 shadow-lg data-[state=closed]:hidden";

/** A short hint on hover and keyboard focus (Radix: positioned, dismissed with Escape). */
export function Tooltip({ content, children }: { content: ReactNode; children: ReactNode }) {
  return (
    <RadixTooltip.Provider delayDuration={300}>
      <RadixTooltip.Root>
        <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
        <RadixTooltip.Portal>
          <RadixTooltip.Content sideOffset={6} className={CONTENT_CLASS}>
            {content}
            <RadixTooltip.Arrow className="fill-slate-900" />
          </RadixTooltip.Content>
        </RadixTooltip.Portal>
      </RadixTooltip.Root>
    </RadixTooltip.Provider>
  );
}

/**
 * Explains a disabled control. A disabled control takes no focus and fires no events, so the
 * reason would otherwise reach pointer users only: the control gets `aria-describedby` to the
 * reason (screen readers announce it with the control) and a focusable wrapper shows it as a
 * tooltip when reached with Tab. Pointer users keep the control's native `title`, so the wrapper
 * opens on focus only and the two never show at once.
 */
export function DisabledReason({
  reason,
  children,
}: {
  reason: string | undefined;
  /** Renders the control; `describedBy` is the reason's id while a reason is set. */
  children: (describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const [focused, setFocused] = useState(false);
  if (!reason) return <>{children(undefined)}</>;
  const reasonId = `${id}-reason`;
  return (
    <RadixTooltip.Provider delayDuration={0}>
      <RadixTooltip.Root open={focused} onOpenChange={(open) => !open && setFocused(false)}>
        <RadixTooltip.Trigger asChild>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: focus only opens the explanation; the wrapper does nothing */}
          <span
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a disabled control takes no focus, so its wrapper does, to explain it
            tabIndex={0}
            aria-describedby={reasonId}
            onFocus={() => setFocused(true)}
            onBlur={() => setFocused(false)}
            className="inline-flex rounded-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            {children(reasonId)}
          </span>
        </RadixTooltip.Trigger>
        <RadixTooltip.Portal>
          <RadixTooltip.Content sideOffset={6} className={CONTENT_CLASS}>
            {reason}
            <RadixTooltip.Arrow className="fill-slate-900" />
          </RadixTooltip.Content>
        </RadixTooltip.Portal>
      </RadixTooltip.Root>
      <span id={reasonId} hidden>
        {reason}
      </span>
    </RadixTooltip.Provider>
  );
}
