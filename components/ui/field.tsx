"use client";

import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { DisabledReason } from "./tooltip";

type Common = {
  label: string;
  name: string;
  /** Server-side errors of this field (R37), announced with it. */
  errors?: string[];
  hint?: ReactNode;
  /** Why the field is read-only right now (R23); set, the field is disabled and says why. */
  disabledReason?: string;
};

const CONTROL_CLASS = "rounded-md border px-3 py-1.5 text-sm shadow-sm focus:outline-2 focus:outline-indigo-600";

/**
 * The one labelled-control shell: label, hint, inline errors and the ids that tie them to the
 * control, for inputs, text areas and selects alike.
 */
function FieldShell({
  id,
  label,
  errors,
  hint,
  disabledReason,
  control,
}: Omit<Common, "name"> & {
  id: string;
  control: (aria: { "aria-invalid"?: true; "aria-describedby"?: string; className: string }) => ReactNode;
}) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <DisabledReason reason={disabledReason}>
        {(reasonId) =>
          control({
            "aria-invalid": invalid || undefined,
            "aria-describedby":
              [invalid ? errorId : null, hint ? hintId : null, reasonId].filter(Boolean).join(" ") || undefined,
            className: `${CONTROL_CLASS} ${invalid ? "border-red-600" : "border-slate-300"}`,
          })
        }
      </DisabledReason>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p id={errorId} className="text-sm text-red-700">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input whose server-side errors are announced and tied to it (R37). */
export function Field({
  label,
  name,
  errors,
  hint,
  disabledReason,
  id,
  className = "",
  ...props
}: InputHTMLAttributes<HTMLInputElement> & Common) {
  const inputId = id ?? `field-${name}`;
  return (
    <FieldShell
      id={inputId}
      label={label}
      errors={errors}
      hint={hint}
      disabledReason={disabledReason}
      control={(aria) => (
        <input
          id={inputId}
          name={name}
          {...props}
          {...aria}
          disabled={Boolean(disabledReason) || props.disabled}
          title={disabledReason ?? props.title}
          className={`${aria.className} ${className}`}
        />
      )}
    />
  );
}

/** The multi-line twin of Field (descriptions). */
export function TextareaField({
  label,
  name,
  errors,
  hint,
  disabledReason,
  id,
  className = "",
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & Common) {
  const inputId = id ?? `field-${name}`;
  return (
    <FieldShell
      id={inputId}
      label={label}
      errors={errors}
      hint={hint}
      disabledReason={disabledReason}
      control={(aria) => (
        <textarea
          id={inputId}
          name={name}
          rows={3}
          {...props}
          {...aria}
          disabled={Boolean(disabledReason) || props.disabled}
          className={`${aria.className} ${className}`}
        />
      )}
    />
  );
}

export type SelectOption = { value: string; label: string };

/**
 * A labelled native select: the platform's own keyboard, type-ahead and mobile pickers. Long
 * lists where typing to filter matters (300 billing groups) use Combobox instead.
 */
export function Select({
  label,
  name,
  options,
  errors,
  hint,
  disabledReason,
  id,
  className = "",
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & Omit<Common, "name"> & { name?: string; options: SelectOption[] }) {
  const selectId = id ?? `field-${name ?? label.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <FieldShell
      id={selectId}
      label={label}
      errors={errors}
      hint={hint}
      disabledReason={disabledReason}
      control={(aria) => (
        <select
          id={selectId}
          name={name}
          {...props}
          {...aria}
          disabled={Boolean(disabledReason) || props.disabled}
          title={disabledReason ?? props.title}
          className={`${aria.className} bg-white px-2 ${className}`}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
