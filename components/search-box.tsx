"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";

/**
 * R46: a list's `Search` box whose text lives in the URL (`?q=`), so search, sort and page can be
 * shared and survive a reload. Typing updates the URL after a pause (one query, not one per
 * keystroke); Enter applies at once. A new search starts again on page 1.
 */
export function SearchBox({ label, placeholder }: { label: string; placeholder: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [text, setText] = useState(params.get("q") ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const id = useId();
  useEffect(() => () => clearTimeout(timer.current), []);

  function apply(value: string) {
    clearTimeout(timer.current);
    const next = new URLSearchParams(params.toString());
    next.delete("page");
    if (value.trim()) next.set("q", value.trim());
    else next.delete("q");
    const query = next.toString();
    startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname));
  }

  return (
    <form
      role="search"
      aria-label={label}
      aria-busy={pending || undefined}
      className="flex flex-col gap-1"
      onSubmit={(event) => {
        event.preventDefault();
        apply(text);
      }}
    >
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        Search
      </label>
      <input
        id={id}
        type="search"
        placeholder={placeholder}
        value={text}
        maxLength={200}
        onChange={(event) => {
          setText(event.target.value);
          clearTimeout(timer.current);
          const value = event.target.value;
          timer.current = setTimeout(() => apply(value), 300);
        }}
        className="w-64 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
      />
    </form>
  );
}
