"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ActionsMenu } from "@/components/ui/actions-menu";
import { Button } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { ConfirmRemove } from "@/components/ui/confirm-dialog";
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
import { fetchConsoleJson } from "@/lib/console-fetch";
import { formatInstant, type WebhookEndpointDto } from "@/lib/webhooks/dto";
import {
  createWebhookEndpointAction,
  deleteWebhookEndpointAction,
  rotateWebhookSecretAction,
  sendWebhookTestEventAction,
  updateWebhookEndpointAction,
} from "../actions";
import { DeliveriesDrawer } from "./deliveries-drawer";

export type EventChoice = { value: WebhookEndpointDto["eventTypes"][number]; description: string };

const COLUMNS = ["URL", "Events", "Status", "Last delivery"];

/** R41: the Webhooks page. Admins add endpoints, see each one's last delivery and open its log. */
export function WebhooksScreen({
  endpoints: initial,
  eventChoices,
}: {
  endpoints: WebhookEndpointDto[];
  eventChoices: EventChoice[];
}) {
  const { data } = useQuery({
    queryKey: ["webhooks", "endpoints"],
    queryFn: () => fetchConsoleJson<{ endpoints: WebhookEndpointDto[] }>("/api/console/webhooks"),
    initialData: { endpoints: initial },
  });
  const endpoints = data.endpoints;
  const [adding, setAdding] = useState(false);
  const [rotating, setRotating] = useState<WebhookEndpointDto | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpointDto | null>(null);
  const [logOf, setLogOf] = useState<WebhookEndpointDto | null>(null);
  const update = useServerAction(updateWebhookEndpointAction, {
    errors: "toast",
    success: (r) => `${r.url} ${r.enabled ? "enabled" : "disabled"}.`,
  });
  const test = useServerAction(sendWebhookTestEventAction, {
    errors: "toast",
    success: (r) => `Test event queued for ${r.url}.`,
  });
  const remove = useServerAction(deleteWebhookEndpointAction, { success: (r) => `Webhook endpoint ${r.url} deleted.` });
  return (
    <>
      <div className="mb-4 flex items-center justify-end gap-4">
        <Button onClick={() => setAdding(true)}>Add endpoint</Button>
      </div>
      <Table label="Webhook endpoints">
        <TableHead>
          {COLUMNS.map((label) => (
            <HeaderCell key={label}>{label}</HeaderCell>
          ))}
          <HeaderCell hidden>Actions</HeaderCell>
        </TableHead>
        <TableBody>
          {endpoints.length === 0 ? (
            <EmptyRow columns={COLUMNS.length + 1}>
              No webhook endpoints yet. Add an endpoint to receive usage alerts as signed HTTP POSTs.
            </EmptyRow>
          ) : null}
          {endpoints.map((endpoint) => (
            <TableRow key={endpoint.id}>
              <RowHeaderCell className="max-w-md font-mono text-xs break-all">{endpoint.url}</RowHeaderCell>
              <Cell className="font-mono text-xs">{endpoint.eventTypes.join(", ")}</Cell>
              <Cell>{endpoint.status === "enabled" ? "Enabled" : "Disabled"}</Cell>
              <Cell className="tabular-nums">
                {endpoint.lastDelivery
                  ? `${endpoint.lastDelivery.status}${endpoint.lastDelivery.statusCode === null ? "" : ` (${endpoint.lastDelivery.statusCode})`}, ${formatInstant(endpoint.lastDelivery.createdAt)}`
                  : "None yet"}
              </Cell>
              <Cell className="text-right whitespace-nowrap">
                <Button
                  variant="secondary"
                  className="mr-2"
                  aria-describedby={`endpoint-${endpoint.id}`}
                  onClick={() => setLogOf(endpoint)}
                >
                  Deliveries
                </Button>
                <span id={`endpoint-${endpoint.id}`} className="sr-only">
                  of {endpoint.url}
                </span>
                <ActionsMenu
                  actions={[
                    {
                      label: "Send Test Event",
                      disabled: endpoint.status === "disabled" || test.pending,
                      disabledReason: endpoint.status === "disabled" ? "Enable the endpoint to send to it." : undefined,
                      onSelect: () => test.run({ id: endpoint.id }, () => setLogOf(endpoint)),
                    },
                    { label: "Rotate secret", onSelect: () => setRotating(endpoint) },
                    endpoint.status === "enabled"
                      ? { label: "Disable", onSelect: () => update.run({ id: endpoint.id, enabled: false }) }
                      : { label: "Enable", onSelect: () => update.run({ id: endpoint.id, enabled: true }) },
                    { label: "Delete", danger: true, onSelect: () => setDeleting(endpoint) },
                  ]}
                />
              </Cell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <AddEndpointDialog open={adding} onOpenChange={setAdding} eventChoices={eventChoices} />
      <RotateSecretDialog target={rotating} onClose={() => setRotating(null)} />
      <ConfirmRemove
        target={deleting}
        onClose={() => setDeleting(null)}
        call={remove}
        title={() => "Delete webhook endpoint"}
        description={`Nothing more is sent to ${deleting?.url ?? "this endpoint"}, and its delivery log is deleted with it. This cannot be undone.`}
        confirmLabel="Delete"
        onConfirm={(endpoint) => remove.run({ id: endpoint.id }, () => setDeleting(null))}
      />
      <DeliveriesDrawer endpoint={logOf} onClose={() => setLogOf(null)} />
    </>
  );
}

function AddEndpointDialog({
  open,
  onOpenChange,
  eventChoices,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  eventChoices: EventChoice[];
}) {
  const all = eventChoices.map((c) => c.value);
  const [secret, setSecret] = useState<string | null>(null);
  const [chosen, setChosen] = useState<EventChoice["value"][]>(all);
  // No toast: the dialog itself shows the result, the secret, which must not travel anywhere else.
  const create = useServerAction(createWebhookEndpointAction, { fields: ["url", "eventTypes"] });

  function close(next: boolean) {
    if (!next) {
      // The secret leaves the page with the dialog: it is never shown again.
      setSecret(null);
      setChosen(all);
      create.reset();
    }
    onOpenChange(next);
  }

  const eventErrors = create.fieldErrors.eventTypes;
  return (
    <Dialog open={open} onOpenChange={close} title={secret ? "Webhook endpoint added" : "Add endpoint"} wide>
      {secret ? (
        <SigningSecretShown secret={secret} onDone={() => close(false)} />
      ) : (
        <form
          onSubmit={create.submit({ eventTypes: chosen }, (data) => setSecret(data.secret))}
          className="flex flex-col gap-4"
          noValidate
        >
          <FormError message={create.error} />
          <Field
            label="URL"
            name="url"
            type="url"
            defaultValue={create.typed("url")}
            errors={create.fieldErrors.url}
            hint="Where deliveries are posted, e.g. https://hooks.example.com/ledgerline."
            maxLength={2048}
            autoComplete="off"
            required
            autoFocus
          />
          <CheckboxGroup
            legend="Events"
            choices={eventChoices}
            chosen={chosen}
            onChange={setChosen}
            errors={eventErrors}
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

/** Rotate asks first (the receiver must switch to the new secret), then shows the new secret once. */
function RotateSecretDialog({ target, onClose }: { target: WebhookEndpointDto | null; onClose: () => void }) {
  const [secret, setSecret] = useState<string | null>(null);
  const rotate = useServerAction(rotateWebhookSecretAction);

  function close(open: boolean) {
    if (open) return;
    setSecret(null);
    rotate.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onOpenChange={close}
      title={secret ? "New signing secret" : "Rotate signing secret"}
      description={
        secret ? undefined : target ? `Deliveries to ${target.url} are signed with a new secret from now on.` : ""
      }
      wide
    >
      {secret ? (
        <SigningSecretShown secret={secret} onDone={() => close(false)} />
      ) : (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-slate-700">
            The current secret stops working at once: update your receiver with the new one right away.
          </p>
          <FormError message={rotate.error} />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => close(false)}>
              Cancel
            </Button>
            <Button
              disabled={rotate.pending || target === null}
              onClick={() => target && rotate.run({ id: target.id }, (data) => setSecret(data.secret))}
            >
              Rotate secret
            </Button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

/** A new signing secret, shown once (R41): after Create and after Rotate secret. */
function SigningSecretShown({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <ShownOnce
      label="Signing secret"
      name="signingSecret"
      secret={secret}
      note="Copy the signing secret now and store it with your receiver: it verifies each delivery's Ledgerline-Signature. It will not be shown again."
      onDone={onDone}
    />
  );
}
