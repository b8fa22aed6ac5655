"use client";

import * as Menu from "@radix-ui/react-dropdown-menu";

export type MenuAction = {
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Why it is disabled, shown as the item's title (e.g. historical period, R23). */
  disabledReason?: string;
  danger?: boolean;
};

/** A row's less frequent actions, behind a button named "Actions" (SPEC §10). */
export function ActionsMenu({ actions, label = "Actions" }: { actions: MenuAction[]; label?: string }) {
  return (
    <Menu.Root modal={false}>
      <Menu.Trigger
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-100"
        aria-label={label}
      >
        {label} ▾
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-44 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          {actions.map((action) => (
            <Menu.Item
              key={action.label}
              disabled={action.disabled}
              title={action.disabled ? action.disabledReason : undefined}
              onSelect={action.onSelect}
              className={`cursor-pointer rounded px-3 py-1.5 text-sm outline-none data-[disabled]:cursor-not-allowed data-[disabled]:text-slate-400 data-[highlighted]:bg-slate-100 ${action.danger ? "text-red-700" : "text-slate-800"}`}
            >
              {action.label}
            </Menu.Item>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
