"use client";

import type { ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { FormError } from "./form-error";

/**
 * Asks before a Remove, Revoke, Deactivate or Delete. Cancel (or Escape) changes nothing; the
 * confirm button carries the action's own name so the choice reads the same in both places.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  pending = false,
  error,
  danger = true,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  error?: string | null;
  danger?: boolean;
  /** Choices that go with the confirmation (e.g. "Also revoke their API keys"), above the buttons. */
  children?: ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title} description={description}>
      <div className="flex flex-col gap-4">
        {children}
        <FormError message={error} />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button variant={danger ? "danger" : "primary"} disabled={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}

/**
 * The Remove (or Delete: `confirmLabel`) of one table row, asked first: open while `target` is
 * set; Cancel or Escape forgets the target and the last failure (`call` is the row's
 * useServerAction); the confirm button runs `onConfirm`.
 */
export function ConfirmRemove<T>({
  target,
  onClose,
  call,
  title,
  description,
  onConfirm,
  confirmLabel = "Remove",
}: {
  target: T | null;
  onClose: () => void;
  call: { pending: boolean; error: string | null; reset: () => void };
  title: (target: T) => string;
  description: ReactNode;
  onConfirm: (target: T) => void;
  confirmLabel?: string;
}) {
  return (
    <ConfirmDialog
      open={target !== null}
      onOpenChange={(open) => {
        if (!open) {
          call.reset();
          onClose();
        }
      }}
      title={target === null ? confirmLabel : title(target)}
      description={description}
      confirmLabel={confirmLabel}
      pending={call.pending}
      error={call.error}
      onConfirm={() => target !== null && onConfirm(target)}
    />
  );
}
