"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { createApiKeyAction, revokeApiKeyAction } from "../actions";

export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export function ApiKeysScreen({ keys }: { keys: ApiKeyView[] }) {
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <>
      <div className="mb-4 flex items-center justify-between gap-4">
        <p role="status" className="text-sm text-slate-700">
          {notice}
        </p>
        <Button onClick={() => setCreating(true)}>Create</Button>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="API keys" className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-slate-700">
            <tr>
              {["Name", "Prefix", "Created By", "Created At", "Last Used", "Status"].map((label) => (
                <th key={label} scope="col" className="px-4 py-2 font-medium">
                  {label}
                </th>
              ))}
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-4 py-6 text-center text-slate-600">
                  No API keys yet. Create one for each service that meters Credits.
                </td>
              </tr>
            ) : (
              keys.map((key) => (
                <tr key={key.id} className="border-t border-slate-200">
                  <th scope="row" className="px-4 py-2 text-left font-medium">
                    {key.name}
                  </th>
                  <td className="px-4 py-2 font-mono">ll_{key.prefix}_…</td>
                  <td className="px-4 py-2">{key.createdBy}</td>
                  <td className="px-4 py-2 tabular-nums">{key.createdAt}</td>
                  <td className="px-4 py-2 tabular-nums">{key.lastUsedAt ?? "Never"}</td>
                  <td className="px-4 py-2">{key.revokedAt ? `Revoked ${key.revokedAt}` : "Active"}</td>
                  <td className="px-4 py-2 text-right">
                    {key.revokedAt ? null : (
                      <Button variant="secondary" onClick={() => setRevoking(key)}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <CreateApiKeyDialog open={creating} onOpenChange={setCreating} />
      <RevokeApiKeyDialog
        target={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(name) => {
          setRevoking(null);
          setNotice(`API key “${name}” revoked.`);
        }}
      />
    </>
  );
}

function CreateApiKeyDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  function close(next: boolean) {
    if (!next) {
      // The secret leaves the page with the dialog: it is never shown again.
      setSecret(null);
      setName("");
      setErrors({});
      setFormError(null);
      setCopied(false);
    }
    onOpenChange(next);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    startTransition(async () => {
      const result = await createApiKeyAction({ name });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setFormError(result.fieldErrors ? null : result.error);
        return;
      }
      setErrors({});
      setFormError(null);
      setSecret(result.data.secret);
      router.refresh();
    });
  }

  async function copy() {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={close} title={secret ? "API key created" : "Create API key"}>
      {secret ? (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-slate-700">
            Copy the key now and store it in your service&apos;s secret store. It will not be shown again.
          </p>
          <div className="flex items-end gap-2">
            <div className="flex-1">
              <Field
                label="API key"
                name="apiKey"
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
            {copied ? "API key copied to the clipboard." : ""}
          </p>
          <div className="flex justify-end">
            <Button onClick={() => close(false)}>Done</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
          {formError ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              {formError}
            </p>
          ) : null}
          <Field
            label="Name"
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            errors={errors.name}
            hint="Which service uses it, e.g. “Inference gateway”."
            maxLength={100}
            required
            autoFocus
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Creating…" : "Create"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function RevokeApiKeyDialog({
  target,
  onClose,
  onRevoked,
}: {
  target: ApiKeyView | null;
  onClose: () => void;
  onRevoked: (name: string) => void;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function revoke() {
    if (!target) return;
    startTransition(async () => {
      const result = await revokeApiKeyAction({ id: target.id });
      if (!result.ok) {
        setError(result.error);
        return;
      }
      setError(null);
      onRevoked(target.name);
      router.refresh();
    });
  }

  return (
    <Dialog
      open={target !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError(null);
          onClose();
        }
      }}
      title="Revoke API key"
      description={
        target
          ? `Services using “${target.name}” (ll_${target.prefix}_…) stop being able to meter Credits on their next request. This cannot be undone.`
          : undefined
      }
    >
      {error ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button variant="danger" onClick={revoke} disabled={pending}>
          {pending ? "Revoking…" : "Revoke"}
        </Button>
      </div>
    </Dialog>
  );
}
