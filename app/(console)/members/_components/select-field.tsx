import type { SelectHTMLAttributes } from "react";

type Props = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  errors?: string[];
};

/** A labelled select with inline server errors (R37), the select twin of components/ui/field. */
export function SelectField({ label, name, options, errors, id, className = "", ...props }: Props) {
  const selectId = id ?? `field-${name}`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={selectId} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={selectId}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${selectId}-error` : undefined}
        className={`rounded-md border bg-white px-2 py-1.5 text-sm ${invalid ? "border-red-600" : "border-slate-300"} ${className}`}
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {invalid ? (
        <p id={`${selectId}-error`} className="text-sm text-red-700">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
