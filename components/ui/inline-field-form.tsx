"use client";

import type { ComponentProps, FormEvent } from "react";
import { Button } from "./button";
import { Field } from "./field";
import { FormError } from "./form-error";

/**
 * One field and its submit button on a line, with the form's message above (a drawer tab's
 * "add one" or "save this" form). `lockedReason` disables both and says why (R23).
 */
export function InlineFieldForm({
  onSubmit,
  error,
  pending,
  lockedReason,
  submitLabel,
  field,
}: {
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  error: string | null | undefined;
  pending: boolean;
  lockedReason: string | undefined;
  submitLabel: string;
  field: Omit<ComponentProps<typeof Field>, "disabledReason" | "className">;
}) {
  return (
    <form onSubmit={onSubmit} className="mt-3 flex flex-col gap-2" noValidate>
      <FormError message={error} />
      <div className="flex items-start gap-2">
        <div className="w-80">
          <Field {...field} autoComplete="off" disabledReason={lockedReason} className="w-full" />
        </div>
        <Button type="submit" className="mt-6" disabled={pending} disabledReason={lockedReason}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
