"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTransition } from "react";
import { Select } from "@/components/ui/field";

export type PeriodOption = { value: string; label: string };

/** R16: a labelled `Period` control whose selection lives in the URL (?period=YYYY-MM). */
export function PeriodSelector({ value, options }: { value: string; options: PeriodOption[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  return (
    <Select
      id="period-selector"
      label="Period"
      value={value}
      aria-busy={pending || undefined}
      onChange={(event) => {
        const params = new URLSearchParams(searchParams.toString());
        params.set("period", event.target.value);
        startTransition(() => router.push(`${pathname}?${params.toString()}`));
      }}
      options={options}
    />
  );
}
