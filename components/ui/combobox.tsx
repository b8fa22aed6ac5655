"use client";

import * as Popover from "@radix-ui/react-popover";
import { Command } from "cmdk";
import { useId, useState } from "react";
import type { SelectOption } from "./field";

const matches = (_value: string, search: string, keywords?: string[]) =>
  (keywords ?? []).join(" ").toLowerCase().includes(search.trim().toLowerCase()) ? 1 : 0;

/**
 * A searchable single choice for long lists (an org may have 300 billing groups): a labelled
 * combobox button opens a filter box over a listbox (cmdk: arrow keys, Enter, Escape). With a
 * `name`, the choice is also posted with a form.
 */
export function Combobox({
  label,
  options,
  value,
  onChange,
  placeholder = "Choose…",
  searchLabel,
  emptyText = "Nothing matches this search.",
  name,
  disabled,
}: {
  label: string;
  options: SelectOption[];
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  /** The filter box's name, e.g. "Search billing groups". */
  searchLabel?: string;
  emptyText?: string;
  name?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const chosen = options.find((o) => o.value === value);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {/* Not portalled: inside a drawer the list stays in the drawer's focus trap and scroll area. */}
      <Popover.Root open={open} onOpenChange={setOpen}>
        <Popover.Trigger
          id={id}
          role="combobox"
          aria-haspopup="listbox"
          aria-expanded={open}
          disabled={disabled}
          className="flex min-w-56 items-center justify-between gap-2 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:text-slate-400"
        >
          <span className={chosen ? "" : "text-slate-600"}>{chosen?.label ?? placeholder}</span>
          <span aria-hidden="true" className="text-xs text-slate-500">
            ▾
          </span>
        </Popover.Trigger>
        <Popover.Content
          align="start"
          sideOffset={4}
          className="z-50 w-72 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
        >
          <Command label={searchLabel ?? `Search ${label}`} filter={matches} loop>
            <Command.Input
              placeholder="Type to filter"
              className="mb-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:outline-2 focus:outline-indigo-600"
            />
            <Command.List label={label} className="max-h-64 overflow-y-auto">
              <Command.Empty className="px-2 py-1.5 text-sm text-slate-600">{emptyText}</Command.Empty>
              {options.map((option) => (
                <Command.Item
                  key={option.value}
                  value={option.value}
                  keywords={[option.label]}
                  onSelect={() => {
                    onChange(option.value);
                    setOpen(false);
                  }}
                  className="flex cursor-pointer items-center justify-between rounded px-2 py-1.5 text-sm data-[selected=true]:bg-slate-100"
                >
                  {option.label}
                  {option.value === value ? <span aria-hidden="true">✓</span> : null}
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        </Popover.Content>
      </Popover.Root>
      {name ? <input type="hidden" name={name} value={value} /> : null}
    </div>
  );
}
