"use client";

import { useState, type FormEvent } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { Field } from "./field";
import { FormError } from "./form-error";

/** What the dialog needs of a useServerAction whose input takes `confirmName`. */
type ConfirmCall = {
  submit: (extra: Record<string, unknown>, then?: () => void) => (event: FormEvent<HTMLFormElement>) => void;
  error: string | null;
  fieldErrors: Record<string, string[] | undefined>;
  pending: boolean;
  reset: () => void;
};

/**
 * The one confirmation for deleting something with a name (R13; issue 18 gave groups the same):
 * the name must be typed before Delete is enabled, and the server checks it again (`confirmName`).
 */
export function TypeToConfirmDialog({
  open = true,
  onOpenChange,
  title,
  description,
  name,
  call,
  input,
  onDeleted,
}: {
  open?: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  /** The name to type. */
  name: string;
  call: ConfirmCall;
  /** The rest of the action's input (ids, period). */
  input: Record<string, unknown>;
  onDeleted: () => void;
}) {
  const [typed, setTyped] = useState("");
  const close = (next: boolean) => {
    if (!next) {
      call.reset();
      setTyped("");
    }
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={close} title={title} description={description}>
      <form onSubmit={call.submit(input, onDeleted)} className="flex flex-col gap-4" noValidate>
        <FormError message={call.error} />
        <Field
          label={`Type ${name} to confirm`}
          name="confirmName"
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          errors={call.fieldErrors.confirmName}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => close(false)}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={call.pending || typed.trim() !== name}>
            Delete
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
