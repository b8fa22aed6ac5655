"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";
import { useId, useRef } from "react";
import { rememberMenuTrigger } from "./focus-return";

export type MenuAction = {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Why it is disabled (e.g. historical period, R23): shown under the items and read with the item. */
  disabledReason?: string;
  danger?: boolean;
};

/**
 * A row's less frequent actions, behind a button named "Actions" (SPEC §10). A disabled item
 * stays reachable with the arrow keys (aria-disabled, not skipped) so keyboard and screen-reader
 * users hear why it is disabled; the reason is also printed at the foot of the menu.
 */
export function ActionsMenu({ actions, label = "Actions" }: { actions: MenuAction[]; label?: string }) {
  const id = useId();
  const reasons = [...new Set(actions.flatMap((a) => (a.disabled && a.disabledReason ? [a.disabledReason] : [])))];
  const reasonId = (reason: string) => `${id}-reason-${reasons.indexOf(reason)}`;
  const trigger = useRef<HTMLButtonElement>(null);
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger
        ref={trigger}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100"
        aria-label={label}
      >
        {label} ▾
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-44 max-w-72 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          {actions.map((action) => (
            <Menu.Item
              key={action.label}
              aria-disabled={action.disabled || undefined}
              aria-describedby={action.disabled && action.disabledReason ? reasonId(action.disabledReason) : undefined}
              title={action.disabled ? action.disabledReason : undefined}
              onSelect={(event) => {
                if (action.disabled) event.preventDefault();
                else {
                  // A dialog this opens returns focus here when it closes (the item will be gone).
                  rememberMenuTrigger(trigger.current);
                  action.onSelect();
                }
              }}
              className={`cursor-pointer rounded px-3 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100 aria-disabled:cursor-not-allowed aria-disabled:text-slate-500 ${action.danger && !action.disabled ? "text-red-700" : "text-slate-800"}`}
            >
              {action.label}
            </Menu.Item>
          ))}
          {reasons.map((reason) => (
            <div
              key={reason}
              id={reasonId(reason)}
              className="border-t border-slate-100 px-3 pt-1.5 pb-1 text-xs text-slate-600"
            >
              {reason}
            </div>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
