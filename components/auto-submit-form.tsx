"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";

const TYPING_PAUSE_MS = 350;

/**
 * Issue 18: a GET filter form that applies itself — a choice (select, date) at once, typing once
 * the typist pauses — by replacing the URL (so the filters stay shareable, Back is not flooded and
 * focus stays in the field). Without JavaScript it is the plain form it renders, with its button.
 */
export function AutoSubmitForm({
  action,
  label,
  className,
  children,
}: {
  action: string;
  label: string;
  className?: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const apply = (form: HTMLFormElement) => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form))
      if (typeof value === "string" && value.trim() !== "") params.set(key, value);
    const query = params.toString();
    router.replace(query ? `${action}?${query}` : action, { scroll: false });
  };

  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    const field = event.target as HTMLInputElement;
    clearTimeout(timer.current);
    const typed = field.tagName === "INPUT" && (field.type === "search" || field.type === "text");
    if (typed) timer.current = setTimeout(() => apply(form), TYPING_PAUSE_MS);
    else apply(form);
  };

  return (
    <form role="search" aria-label={label} method="get" action={action} className={className} onChange={onChange}>
      {children}
    </form>
  );
}
