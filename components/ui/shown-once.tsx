"use client";

import { useState, type ReactNode } from "react";
import { Button } from "./button";
import { Field } from "./field";

/**
 * A secret shown once (a new API key, a webhook signing secret): a read-only field named `label`
 * that selects itself on focus, a Copy button, a note that it will not be shown again, and Done.
 * The secret lives only in the caller's state and leaves the page when the dialog closes.
 */
export function ShownOnce({
  label,
  name,
  secret,
  note,
  onDone,
}: {
  label: string;
  name: string;
  secret: string;
  note: ReactNode;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-700">{note}</p>
      <div className="flex items-end gap-2">
        <div className="flex-1">
          <Field
            label={label}
            name={name}
            value={secret}
            readOnly
            className="w-full font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
        <Button variant="secondary" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <p role="status" className="sr-only">
        {copied ? `${label} copied to the clipboard.` : ""}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
