"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { ShownOnce } from "@/components/ui/shown-once";
import {
  Cell,
  EmptyRow,
  HeaderCell,
  RowHeaderCell,
  Table,
  TableBody,
  TableHead,
  TableRow,
} from "@/components/ui/table";
import { useServerAction } from "@/components/ui/use-server-action";
import { API_KEY_SCOPE_LABELS, API_KEY_SCOPES, type ApiKeyScope, DEFAULT_API_KEY_SCOPES } from "@/lib/api-keys/scopes";
import { createApiKeyAction, revokeApiKeyAction } from "../actions";

export type ApiKeyView = {
  id: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdByDeactivated: boolean;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  scopes: ApiKeyScope[];
};

const COLUMNS = ["Name", "Prefix", "Scopes", "Created By", "Created At", "Last Used", "Status"];

const SCOPE_CHOICES = API_KEY_SCOPES.map((value) => ({ value, description: API_KEY_SCOPE_LABELS[value].description }));

export function ApiKeysScreen({ keys }: { keys: ApiKeyView[] }) {
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const revoke = useServerAction(revokeApiKeyAction, {
    success: () => (revoking ? `API key “${revoking.name}” revoked.` : "API key revoked."),
  });
  return (
    <>
      <div className="mb-4 flex items-center justify-end gap-4">
        <Button onClick={() => setCreating(true)}>Create</Button>
      </div>
      <Table label="API keys">
        <TableHead>
          {COLUMNS.map((label) => (
            <HeaderCell key={label}>{label}</HeaderCell>
          ))}
          <HeaderCell hidden>Actions</HeaderCell>
        </TableHead>
        <TableBody>
          {keys.length === 0 ? (
            <EmptyRow columns={COLUMNS.length + 1}>
              No API keys yet. Create one for each service that meters Credits.
            </EmptyRow>
          ) : null}
          {keys.map((key) => (
            <TableRow key={key.id}>
              <RowHeaderCell>{key.name}</RowHeaderCell>
              <Cell className="font-mono">ll_{key.prefix}_…</Cell>
              <Cell>{key.scopes.join(", ")}</Cell>
              <Cell>
                {key.createdBy}
                {key.createdByDeactivated ? <DeactivatedBadge /> : null}
              </Cell>
              <Cell className="tabular-nums">{key.createdAt}</Cell>
              <Cell className="tabular-nums">{key.lastUsedAt ?? "Never"}</Cell>
              <Cell>{key.revokedAt ? `Revoked ${key.revokedAt}` : "Active"}</Cell>
              <Cell className="text-right">
                {key.revokedAt ? null : (
                  <Button variant="secondary" onClick={() => setRevoking(key)}>
                    Revoke
                  </Button>
                )}
              </Cell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <CreateApiKeyDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            revoke.reset();
            setRevoking(null);
          }
        }}
        title="Revoke API key"
        description={
          revoking
            ? `Services using “${revoking.name}” (ll_${revoking.prefix}_…) stop being able to meter Credits on their next request. This cannot be undone.`
            : ""
        }
        confirmLabel="Revoke"
        pending={revoke.pending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.run({ id: revoking.id }, () => setRevoking(null))}
      />
    </>
  );
}

/**
 * R29: keys survive their creator. The badge reads "(deactivated)" to assistive technology and in
 * copied text, and shows as a pill on screen.
 */
function DeactivatedBadge() {
  return (
    <>
      {" "}
      <span className="ml-1 rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-800">
        <span className="sr-only">(</span>deactivated<span className="sr-only">)</span>
      </span>
    </>
  );
}

function CreateApiKeyDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<{ secret: string; scopes: ApiKeyScope[] } | null>(null);
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...DEFAULT_API_KEY_SCOPES]);
  // No toast: the dialog itself shows the result, the key, which must not travel anywhere else.
  const create = useServerAction(createApiKeyAction, { fields: ["name", "scopes"] });

  function close(next: boolean) {
    if (!next) {
      // The secret leaves the page with the dialog: it is never shown again.
      setCreated(null);
      setScopes([...DEFAULT_API_KEY_SCOPES]);
      create.reset();
    }
    onOpenChange(next);
  }

  return (
    <Dialog open={open} onOpenChange={close} title={created ? "API key created" : "Create API key"}>
      {created ? (
        <ShownOnce
          label="API key"
          name="apiKey"
          secret={created.secret}
          note={`Scopes: ${created.scopes.join(", ")}. Copy the key now and store it in your service's secret store. It will not be shown again.`}
          onDone={() => close(false)}
        />
      ) : (
        <form
          onSubmit={create.submit({ scopes }, (data) => setCreated({ secret: data.secret, scopes: data.scopes }))}
          className="flex flex-col gap-4"
          noValidate
        >
          <FormError message={create.error} />
          <Field
            label="Name"
            name="name"
            defaultValue={create.typed("name")}
            errors={create.fieldErrors.name}
            hint="Which service uses it, e.g. “Inference gateway”."
            maxLength={100}
            required
            autoFocus
          />
          <CheckboxGroup
            legend="Scopes"
            choices={SCOPE_CHOICES}
            chosen={scopes}
            onChange={setScopes}
            errors={create.fieldErrors.scopes}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.pending}>
              {create.pending ? "Creating…" : "Create"}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
