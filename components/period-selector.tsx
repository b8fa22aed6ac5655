"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";

export type PeriodOption = { value: string; label: string };

/** R16: a labelled `Period` control whose selection lives in the URL (?period=YYYY-MM). */
export function PeriodSelector({ value, options }: { value: string; options: PeriodOption[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="period-selector" className="text-sm font-medium text-slate-700">
        Period
      </label>
      <select
        id="period-selector"
        value={value}
        aria-busy={pending || undefined}
        onChange={(event) => {
          const params = new URLSearchParams(searchParams.toString());
          params.set("period", event.target.value);
          startTransition(() => router.push(`${pathname}?${params.toString()}`));
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
