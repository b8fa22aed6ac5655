import Link from "next/link";
import { AutoSubmitForm } from "@/components/auto-submit-form";
import type { ReactNode } from "react";
import { buttonClass } from "@/components/ui/button-class";
import { Select } from "@/components/ui/field";
import type { AuditFilterValues } from "@/lib/audit/filters";
import type { AuditFilterOptions } from "@/lib/audit/queries";

const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const labelClass = "text-sm font-medium text-slate-800";

/** A text or date filter with its label above it. */
function Labelled({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children}
    </div>
  );
}

/**
 * A GET form: filters live in the URL, apply as they are chosen or typed (AutoSubmitForm), still
 * work without JavaScript through Apply filters, and start from the newest page.
 */
export function AuditFilters({ values, options }: { values: AuditFilterValues; options: AuditFilterOptions }) {
  return (
    <AutoSubmitForm action="/audit-log" label="Filter audit log" className="mb-4 flex flex-wrap items-end gap-4">
      <Select
        id="audit-actor"
        label="Actor"
        name="actor"
        defaultValue={values.actor}
        options={[{ value: "", label: "All actors" }, ...options.actors.map((a) => ({ value: a.id, label: a.name }))]}
      />
      <Select
        id="audit-action"
        label="Action"
        name="action"
        defaultValue={values.action}
        options={[{ value: "", label: "All actions" }, ...options.actions.map((a) => ({ value: a, label: a }))]}
      />
      <Select
        id="audit-target-type"
        label="Target type"
        name="targetType"
        defaultValue={values.targetType}
        options={[
          { value: "", label: "All target types" },
          ...options.targetTypes.map((t) => ({ value: t, label: t })),
        ]}
      />
      <Labelled id="audit-search" label="Search">
        <input
          id="audit-search"
          name="q"
          type="search"
          placeholder="Target name or id"
          defaultValue={values.q}
          maxLength={200}
          className={`w-56 ${control} px-3`}
        />
      </Labelled>
      <Labelled id="audit-import" label="Import">
        <input
          id="audit-import"
          name="import"
          type="text"
          placeholder="Import id"
          defaultValue={values.import}
          maxLength={36}
          spellCheck={false}
          className={`w-80 ${control} px-3 font-mono`}
        />
      </Labelled>
      <Labelled id="audit-from" label="From">
        <input
          id="audit-from"
          name="from"
          type="date"
          defaultValue={values.from}
          className={control}
          aria-describedby="audit-dates-hint"
        />
      </Labelled>
      <Labelled id="audit-to" label="To">
        <input
          id="audit-to"
          name="to"
          type="date"
          defaultValue={values.to}
          className={control}
          aria-describedby="audit-dates-hint"
        />
      </Labelled>
      <div className="flex items-center gap-2">
        <button type="submit" className={buttonClass("primary")}>
          Apply filters
        </button>
        <Link href="/audit-log" className={buttonClass("ghost")}>
          Clear filters
        </Link>
      </div>
      <p id="audit-dates-hint" className="w-full text-xs text-slate-600">
        Dates are whole UTC days; To is included.
      </p>
    </AutoSubmitForm>
  );
}
