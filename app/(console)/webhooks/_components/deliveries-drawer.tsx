"use client";

import { useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { useServerAction } from "@/components/ui/use-server-action";
import { fetchConsoleJson } from "@/lib/console-fetch";
import {
  formatInstant,
  type WebhookDeliveriesDto,
  type WebhookDeliveryDto,
  type WebhookEndpointDto,
} from "@/lib/webhooks/dto";
import { resendWebhookDeliveryAction, sendWebhookTestEventAction } from "../actions";

const COLUMNS = ["Event", "Type", "Status", "Status code", "Attempts", "Next try"];
// While a delivery is on its way, the log follows it.
const IN_FLIGHT: WebhookDeliveryDto["status"][] = ["queued", "retrying"];
const DISABLED_REASON = "This endpoint is disabled: enable it to send to it.";

/** R41: one endpoint's delivery log, newest first, with Resend per delivery and Send Test Event. */
export function DeliveriesDrawer({ endpoint, onClose }: { endpoint: WebhookEndpointDto | null; onClose: () => void }) {
  return (
    <Dialog
      open={endpoint !== null}
      onOpenChange={(open) => !open && onClose()}
      title="Deliveries"
      description={endpoint?.url}
      variant="drawer"
      wide
    >
      {endpoint ? <DeliveryLog endpointId={endpoint.id} /> : null}
    </Dialog>
  );
}

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const log = useQuery({
    queryKey: ["webhooks", "deliveries", endpointId, page],
    queryFn: () =>
      fetchConsoleJson<WebhookDeliveriesDto>(`/api/console/webhooks/${encodeURIComponent(endpointId)}/deliveries`, {
        page: String(page),
      }),
    refetchInterval: (query) =>
      query.state.data?.deliveries.some((d) => IN_FLIGHT.includes(d.status)) ? 5_000 : false,
  });
  const test = useServerAction(sendWebhookTestEventAction, { success: "Test event queued." });
  const resend = useServerAction(resendWebhookDeliveryAction, {
    errors: "toast",
    success: (r) => `Delivery of event ${r.eventId} queued again.`,
  });
  const data = log.data;
  const disabledReason = data?.endpoint.status === "disabled" ? DISABLED_REASON : undefined;
  const rows = data?.deliveries;
  const columns = COLUMNS.length + 1;
  return (
    <div className="flex flex-col gap-3">
      <FormError message={test.error} />
      <div className="flex items-center gap-3">
        <Button
          variant="secondary"
          disabled={test.pending || !data}
          disabledReason={disabledReason}
          onClick={() => {
            setPage(1);
            test.run({ id: endpointId });
          }}
        >
          Send Test Event
        </Button>
        <span className="text-xs text-slate-600">
          Sends a <code>ping</code> event to this endpoint only.
        </span>
      </div>
      {log.error ? <FormError message={`The delivery log could not be loaded: ${log.error.message}`} /> : null}
      <Table label="Deliveries" framed={false}>
        <TableHead>
          {COLUMNS.map((label) => (
            <HeaderCell key={label} numeric={label === "Attempts" || label === "Status code"}>
              {label}
            </HeaderCell>
          ))}
          <HeaderCell hidden>Actions</HeaderCell>
        </TableHead>
        <TableBody>
          {rows?.map((d) => (
            <Fragment key={d.id}>
              <TableRow>
                <Cell className="font-mono text-xs break-all">{d.eventId}</Cell>
                <Cell className="font-mono text-xs">{d.eventType}</Cell>
                <Cell>{d.status}</Cell>
                <Cell numeric>{d.lastStatusCode ?? "—"}</Cell>
                <Cell numeric>{d.attempts}</Cell>
                <Cell className="tabular-nums">{d.nextAttemptAt ? formatInstant(d.nextAttemptAt) : "—"}</Cell>
                <Cell className="text-right whitespace-nowrap">
                  <Button
                    variant="ghost"
                    aria-expanded={open === d.id}
                    aria-controls={`attempts-${d.id}`}
                    aria-describedby={`delivery-${d.id}`}
                    onClick={() => setOpen(open === d.id ? null : d.id)}
                  >
                    Attempts
                  </Button>
                  <Button
                    variant="ghost"
                    aria-describedby={`delivery-${d.id}`}
                    disabled={resend.pending}
                    disabledReason={disabledReason}
                    onClick={() => resend.run({ endpointId, deliveryId: d.id })}
                  >
                    Resend
                  </Button>
                  <span id={`delivery-${d.id}`} className="sr-only">
                    of event {d.eventId}
                  </span>
                </Cell>
              </TableRow>
              {open === d.id ? (
                <tr id={`attempts-${d.id}`}>
                  <td colSpan={columns} className="bg-slate-50 px-3 py-2">
                    <AttemptList delivery={d} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
          {rows && rows.length === 0 ? (
            <EmptyRow columns={columns}>
              No deliveries yet. Send Test Event to check that your endpoint receives and verifies them.
            </EmptyRow>
          ) : null}
          {!rows && log.isPending ? <EmptyRow columns={columns}>Loading…</EmptyRow> : null}
        </TableBody>
      </Table>
      {data && data.total > data.pageSize ? (
        <nav aria-label="Pagination" className="flex items-center justify-between text-sm text-slate-700">
          <p>
            {(data.page - 1) * data.pageSize + 1}–{Math.min(data.total, data.page * data.pageSize)} of {data.total}{" "}
            deliveries
          </p>
          <div className="flex gap-2">
            <Button variant="secondary" disabled={data.page <= 1} onClick={() => setPage(data.page - 1)}>
              Previous page
            </Button>
            <Button
              variant="secondary"
              disabled={data.page * data.pageSize >= data.total}
              onClick={() => setPage(data.page + 1)}
            >
              Next page
            </Button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}

function AttemptList({ delivery }: { delivery: WebhookDeliveryDto }) {
  if (delivery.attemptLog.length === 0) {
    return <p className="text-sm text-slate-600">Not attempted yet.</p>;
  }
  return (
    <Table label={`Attempts of event ${delivery.eventId}`} framed={false}>
      <TableHead>
        <HeaderCell numeric>Attempt</HeaderCell>
        <HeaderCell>At</HeaderCell>
        <HeaderCell numeric>Status code</HeaderCell>
        <HeaderCell numeric>Duration</HeaderCell>
        <HeaderCell>Error</HeaderCell>
      </TableHead>
      <TableBody>
        {delivery.attemptLog.map((a) => (
          <TableRow key={a.attempt}>
            <Cell numeric>{a.attempt}</Cell>
            <Cell className="tabular-nums">{formatInstant(a.attemptedAt)}</Cell>
            <Cell numeric>{a.statusCode ?? "—"}</Cell>
            <Cell numeric>{a.durationMs} ms</Cell>
            <Cell className="max-w-[20rem] truncate" title={a.error ?? undefined}>
              {a.error ?? "—"}
            </Cell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
