"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useCallback, useState, useTransition, type FormEvent } from "react";
import type { ActionResult, FieldErrors } from "@/lib/actions";
import { toast } from "./toast";
import { useMarkChanged } from "./changed-rows";

type Failure = { error: string; fieldErrors: FieldErrors; values: Record<string, string> };

type Options<I, T> = {
  /**
   * The fields the form shows: their errors appear beside them; errors of any other field join
   * the form-level message. A button without a form leaves this empty.
   */
  fields?: readonly string[];
  /** The success toast; a function may word it from the result, or return null for none. */
  success?: string | ((data: T, input: I) => string | null);
  /**
   * Where the failure is shown. "inline": the form's FormError (a dialog or form). "toast": a
   * toast, for buttons that have no form to hold a message.
   */
  errors?: "inline" | "toast";
  /** Issue 18: "View" on the success toast, to what the change made or touched. */
  view?: (data: T, input: I) => string | null;
  /** Issue 18: the ids of the table rows the change touched, highlighted for a moment. */
  changed?: (data: T, input: I) => readonly string[];
  /** After success: may return a URL to go to instead of refreshing this page. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a success callback may return nothing, or a URL to go to
  onSuccess?: (data: T) => string | void;
};

/**
 * The one client path to a server action (every form and button in app/ uses it): pending
 * state, field errors with what was typed kept (R37), a toast for success and failure, and one
 * way to show fresh data afterwards — the server-rendered page (router.refresh) and every
 * React Query read on screen (invalidate) are both refreshed, so no caller picks which.
 *
 * Inputs are plain objects (the action wrapper's useMutation-style entry); forms never reset,
 * so a validation error leaves the typed values where they were.
 */
export function useServerAction<I extends Record<string, unknown>, T>(
  action: (input: I) => Promise<ActionResult<T>>,
  { fields = [], success, errors = "inline", onSuccess, view, changed }: Options<I, T> = {},
) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const markChanged = useMarkChanged();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<Failure | null>(null);

  const run = useCallback(
    (input: I, then?: (data: T) => void) => {
      startTransition(async () => {
        const result = await action(input);
        if (!result.ok) {
          setFailure({ error: result.error, fieldErrors: result.fieldErrors ?? {}, values: result.values ?? {} });
          if (errors === "toast") toast.error(result.error);
          return;
        }
        setFailure(null);
        const message = typeof success === "function" ? success(result.data, input) : success;
        const href = view?.(result.data, input);
        if (message)
          toast.success(message, href ? { action: { label: "View", onClick: () => router.push(href) } } : undefined);
        markChanged(changed?.(result.data, input) ?? []);
        then?.(result.data);
        const next = onSuccess?.(result.data);
        await queryClient.invalidateQueries();
        if (next) router.push(next);
        else router.refresh();
      });
    },
    [action, errors, success, onSuccess, view, changed, markChanged, queryClient, router],
  );

  /** A form's onSubmit: its own fields as a plain object, plus `extra` (ids, period…). */
  const submit = useCallback(
    (extra: Partial<I> = {}, then?: (data: T) => void) =>
      (event: FormEvent<HTMLFormElement>) => {
        event.preventDefault();
        run({ ...formValues(event.currentTarget), ...extra } as I, then);
      },
    [run],
  );

  const fieldErrors = failure?.fieldErrors ?? {};
  const inline = Object.entries(fieldErrors).filter(([key, messages]) => fields.includes(key) && messages?.length);
  const elsewhere = Object.entries(fieldErrors).flatMap(([key, messages]) =>
    fields.includes(key) ? [] : (messages ?? []),
  );
  // Field errors shown beside their fields need no second copy above the form.
  const error =
    !failure || errors === "toast" || (inline.length > 0 && elsewhere.length === 0)
      ? null
      : [failure.error, ...elsewhere].join(" ");

  return {
    run,
    submit,
    pending,
    /** The form-level message for FormError (null when every error sits beside its field). */
    error,
    fieldErrors,
    /** What the user typed, as the server echoed it back on the last failure (R37). */
    typed: (name: string, fallback = "") => failure?.values[name] ?? fallback,
    reset: () => setFailure(null),
  };
}

/** A form's own string fields, as a plain object; `name[]` fields become arrays. */
function formValues(form: HTMLFormElement): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  const data = new FormData(form);
  for (const key of new Set(data.keys())) {
    const all = data.getAll(key).filter((v): v is string => typeof v === "string");
    if (key.endsWith("[]")) values[key.slice(0, -2)] = all;
    else if (all[0] !== undefined) values[key] = all[0];
  }
  return values;
}
