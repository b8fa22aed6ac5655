import Link from "next/link";
import { buttonClass } from "@/components/ui/button-class";
import type { AuditFilterValues } from "@/lib/audit/filters";
import type { AuditFilterOptions } from "@/lib/audit/queries";

const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
const labelClass = "text-sm font-medium text-slate-800";

/** A plain GET form: filters live in the URL, work without JavaScript, and start from the newest page. */
export function AuditFilters({ values, options }: { values: AuditFilterValues; options: AuditFilterOptions }) {
  return (
    <form
      role="search"
      aria-label="Filter audit log"
      method="get"
      action="/audit-log"
      className="mb-4 flex flex-wrap items-end gap-4"
    >
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-actor" className={labelClass}>
          Actor
        </label>
        <select id="audit-actor" name="actor" defaultValue={values.actor} className={control}>
          <option value="">All actors</option>
          {options.actors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-action" className={labelClass}>
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={values.action} className={control}>
          <option value="">All actions</option>
          {options.actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-target-type" className={labelClass}>
          Target type
        </label>
        <select id="audit-target-type" name="targetType" defaultValue={values.targetType} className={control}>
          <option value="">All target types</option>
          {options.targetTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-search" className={labelClass}>
          Search
        </label>
        <input
          id="audit-search"
          name="q"
          type="search"
          placeholder="Target name or id"
          defaultValue={values.q}
          maxLength={200}
          className={`w-56 ${control} px-3`}
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-from" className={labelClass}>
          From
        </label>
        <input
          id="audit-from"
          name="from"
          type="date"
          defaultValue={values.from}
          className={control}
          aria-describedby="audit-dates-hint"
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="audit-to" className={labelClass}>
          To
        </label>
        <input
          id="audit-to"
          name="to"
          type="date"
          defaultValue={values.to}
          className={control}
          aria-describedby="audit-dates-hint"
        />
      </div>
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
    </form>
  );
}
