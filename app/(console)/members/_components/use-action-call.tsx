"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult, FieldErrors } from "@/lib/actions";

type Failure = { error: string; fieldErrors?: FieldErrors };

/**
 * Calls a guarded server action with a plain object (the wrapper's useMutation-style entry).
 * The form is never reset, so what was typed stays on screen after a validation error (R37).
 * `fields` names the inputs the form displays, so their errors show inline rather than twice.
 */
export function useActionCall<T>(action: (input: unknown) => Promise<ActionResult<T>>, fields: readonly string[] = []) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failure, setFailure] = useState<Failure | null>(null);

  /** `onSuccess` may return a URL to go to; otherwise the current page is refreshed. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a success callback may return nothing, or a URL to go to
  function run(input: Record<string, unknown>, onSuccess?: (data: T) => string | void) {
    startTransition(async () => {
      const result = await action(input);
      if (result.ok) {
        setFailure(null);
        const next = onSuccess?.(result.data);
        if (next) router.push(next);
        else router.refresh();
      } else {
        setFailure({ error: result.error, fieldErrors: result.fieldErrors });
      }
    });
  }

  // Errors on fields the form shows appear beside them; anything else goes to the form-level alert.
  const fieldErrors = failure?.fieldErrors ?? {};
  const inline = Object.entries(fieldErrors).filter(([key, messages]) => fields.includes(key) && messages?.length);
  const elsewhere = Object.entries(fieldErrors).flatMap(([key, messages]) =>
    fields.includes(key) ? [] : (messages ?? []),
  );
  const error =
    !failure || (inline.length > 0 && elsewhere.length === 0) ? null : [failure.error, ...elsewhere].join(" ");
  return { run, pending, error, fieldErrors, reset: () => setFailure(null) };
}

/** A form's own fields, as a plain object. */
export function formObject(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form).entries()) if (typeof value === "string") values[key] = value;
  return values;
}

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}
