"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmRemove } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { InlineFieldForm } from "@/components/ui/inline-field-form";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { useServerAction } from "@/components/ui/use-server-action";
import { formatTimestamp } from "@/lib/billing-groups/rules";
import { fetchConsoleJson } from "@/lib/console-fetch";
import { MAX_RECIPIENTS_PER_BILLING_GROUP } from "@/lib/limits";
import { formatPeriodLabel } from "@/lib/periods/rules";
import type { RecipientsDto } from "@/lib/recipients/dto";
import type { StatementDeliveriesDto, StatementDeliveryDto } from "@/lib/statements/dto";
import { addRecipientAction, removeRecipientAction, sendStatementAction } from "../actions";

const DELETED_REASON = "This billing group was deleted: its recipients can no longer change.";
const FULL_REASON = `This billing group has ${MAX_RECIPIENTS_PER_BILLING_GROUP} recipients, the most it can have. Remove one to add another.`;
const OPEN_PERIOD_REASON =
  "This period has not closed yet: its statement is sent when it closes. Choose a closed period to send one now.";
const NO_RECIPIENTS_REASON = "Add a recipient first: a statement goes to this billing group's recipients.";
const NOT_CONFIGURED_REASON = "Email delivery is not configured, so no statement can be sent.";
// While a delivery is on its way, the list follows it.
const IN_FLIGHT: StatementDeliveryDto["status"][] = ["queued", "retrying"];

/**
 * R39: the details drawer's Recipients tab. Billing roles manage up to 10 addresses that receive
 * the group's statement (its CSV bill) when a period closes, and send a closed period's statement
 * now; a billing group viewer (`canManage` false) sees the lists without any control, like the
 * rest of their console. Changes are for the current period only (R23): in a historical one the
 * controls stay visible, disabled, with the reason.
 */
export function RecipientsPanel({
  billingGroup,
  period,
  isHistorical,
  readOnlyReason,
  canManage,
}: {
  /** A billing group id, or `unassigned`. */
  billingGroup: string;
  period: string;
  isHistorical: boolean;
  readOnlyReason: string;
  canManage: boolean;
}) {
  const path = `/api/console/billing-groups/${encodeURIComponent(billingGroup)}`;
  const recipients = useQuery({
    queryKey: ["billing-groups", "recipients", billingGroup],
    queryFn: () => fetchConsoleJson<RecipientsDto>(`${path}/recipients`),
  });
  const list = recipients.data?.recipients;
  const count = list?.length ?? 0;
  const lockedReason = isHistorical
    ? readOnlyReason
    : recipients.data?.billingGroup.deleted
      ? DELETED_REASON
      : undefined;
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="recipients-heading">
        <h3 id="recipients-heading" className="mb-1 font-semibold">
          Recipients
        </h3>
        <p className="mb-3 text-sm text-slate-600">
          When a period closes, each recipient is emailed this billing group&apos;s statement with its CSV bill.
        </p>
        {recipients.error ? <FormError message={recipients.error.message} /> : null}
        <p className="mb-2 text-sm font-medium text-slate-800">
          {count} of {MAX_RECIPIENTS_PER_BILLING_GROUP} recipients
        </p>
        <RecipientsTable
          billingGroup={billingGroup}
          period={period}
          recipients={list}
          loading={recipients.isPending}
          canManage={canManage}
          lockedReason={lockedReason}
        />
        {canManage ? (
          <AddRecipientForm
            billingGroup={billingGroup}
            period={period}
            lockedReason={lockedReason ?? (count >= MAX_RECIPIENTS_PER_BILLING_GROUP ? FULL_REASON : undefined)}
          />
        ) : null}
      </section>
      <Statements
        path={path}
        billingGroup={billingGroup}
        period={period}
        isHistorical={isHistorical}
        recipientCount={list ? count : null}
        canManage={canManage}
      />
    </div>
  );
}

function RecipientsTable({
  billingGroup,
  period,
  recipients,
  loading,
  canManage,
  lockedReason,
}: {
  billingGroup: string;
  period: string;
  recipients: RecipientsDto["recipients"] | undefined;
  loading: boolean;
  canManage: boolean;
  lockedReason: string | undefined;
}) {
  const [removing, setRemoving] = useState<{ id: string; email: string } | null>(null);
  const remove = useServerAction(removeRecipientAction, {
    success: (r) => `${r.email} no longer receives ${r.billingGroupName}'s statements.`,
  });
  const columns = canManage ? 4 : 3;
  return (
    <>
      <Table label="Recipients" framed={false}>
        <TableHead>
          <HeaderCell>Email</HeaderCell>
          <HeaderCell>Added By</HeaderCell>
          <HeaderCell>Added At</HeaderCell>
          {canManage ? <HeaderCell hidden>Remove</HeaderCell> : null}
        </TableHead>
        <TableBody>
          {recipients?.map((r) => (
            <TableRow key={r.id}>
              <Cell>{r.email}</Cell>
              <Cell>{r.createdBy ?? "—"}</Cell>
              <Cell className="tabular-nums">{r.createdAt}</Cell>
              {canManage ? (
                <Cell className="text-right">
                  <Button
                    variant="ghost"
                    aria-describedby={`recipient-${r.id}`}
                    disabledReason={lockedReason}
                    disabled={remove.pending}
                    onClick={() => setRemoving({ id: r.id, email: r.email })}
                  >
                    Remove
                  </Button>
                  <span id={`recipient-${r.id}`} className="sr-only">
                    {r.email} as recipient
                  </span>
                </Cell>
              ) : null}
            </TableRow>
          ))}
          {recipients && recipients.length === 0 ? <EmptyRow columns={columns}>No recipients yet.</EmptyRow> : null}
          {!recipients && loading ? <EmptyRow columns={columns}>Loading…</EmptyRow> : null}
        </TableBody>
      </Table>
      <ConfirmRemove
        target={removing}
        onClose={() => setRemoving(null)}
        call={remove}
        title={(r) => `Remove ${r.email}?`}
        description="This address no longer receives this billing group's statements. Statements already sent stay listed."
        onConfirm={(r) => remove.run({ period, billingGroup, recipientId: r.id }, () => setRemoving(null))}
      />
    </>
  );
}

function AddRecipientForm({
  billingGroup,
  period,
  lockedReason,
}: {
  billingGroup: string;
  period: string;
  lockedReason: string | undefined;
}) {
  // Controlled, so what was typed stays after a refusal (R37) and clears after a success.
  const [email, setEmail] = useState("");
  const add = useServerAction(addRecipientAction, {
    fields: ["email"],
    success: (r) => `${r.email} will receive ${r.billingGroupName}'s statements.`,
  });
  return (
    <InlineFieldForm
      onSubmit={add.submit({ period, billingGroup }, () => setEmail(""))}
      error={add.error}
      pending={add.pending}
      lockedReason={lockedReason}
      submitLabel="Add Recipient"
      field={{
        label: "Email",
        name: "email",
        type: "email",
        maxLength: 254,
        value: email,
        onChange: (event) => setEmail(event.target.value),
        errors: add.fieldErrors.email,
      }}
    />
  );
}

function Statements({
  path,
  billingGroup,
  period,
  isHistorical,
  recipientCount,
  canManage,
}: {
  path: string;
  billingGroup: string;
  period: string;
  isHistorical: boolean;
  /** null while the recipients load. */
  recipientCount: number | null;
  canManage: boolean;
}) {
  const deliveries = useQuery({
    queryKey: ["billing-groups", "statements", billingGroup],
    queryFn: () => fetchConsoleJson<StatementDeliveriesDto>(`${path}/statements`),
    refetchInterval: (query) =>
      query.state.data?.deliveries.some((d) => IN_FLIGHT.includes(d.status)) ? 5_000 : false,
  });
  const periodLabel = formatPeriodLabel(period, "");
  const send = useServerAction(sendStatementAction, {
    success: (r) =>
      `Statement for ${periodLabel} queued for ${r.deliveries} recipient${r.deliveries === 1 ? "" : "s"}.`,
  });
  const sendReason = !isHistorical
    ? OPEN_PERIOD_REASON
    : recipientCount === 0
      ? NO_RECIPIENTS_REASON
      : deliveries.data?.emailConfigured === false
        ? NOT_CONFIGURED_REASON
        : undefined;
  const rows = deliveries.data?.deliveries;
  return (
    <section aria-labelledby="statements-heading" className="flex flex-col gap-3">
      <h3 id="statements-heading" className="font-semibold">
        Statements
      </h3>
      {deliveries.data && !deliveries.data.emailConfigured ? (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Email delivery is not configured: no statement is sent. Setting <code>SMTP_URL</code> (and{" "}
          <code>MAIL_FROM</code>) on the server enables it.
        </p>
      ) : null}
      {deliveries.error ? (
        <p role="alert" className="text-sm text-slate-600">
          Statement deliveries could not be loaded: {deliveries.error.message}
        </p>
      ) : null}
      {canManage ? (
        <div className="flex flex-col gap-2">
          <FormError message={send.error} />
          <div className="flex items-center gap-3">
            <Button
              variant="secondary"
              disabled={send.pending || recipientCount === null}
              disabledReason={sendReason}
              onClick={() => send.run({ billingGroup, period })}
            >
              Send Statement
            </Button>
            <span className="text-xs text-slate-600">
              {isHistorical
                ? `Sends ${periodLabel}'s statement to every recipient now.`
                : `${periodLabel}'s statement goes out when the period closes.`}
            </span>
          </div>
        </div>
      ) : null}
      <Table label="Statement deliveries" framed={false}>
        <TableHead>
          <HeaderCell>Recipient</HeaderCell>
          <HeaderCell>Period</HeaderCell>
          <HeaderCell>Status</HeaderCell>
          <HeaderCell numeric>Attempts</HeaderCell>
          <HeaderCell>Last error</HeaderCell>
          <HeaderCell>Sent</HeaderCell>
        </TableHead>
        <TableBody>
          {rows?.map((d) => (
            <TableRow key={d.id}>
              <Cell>{d.email}</Cell>
              <Cell className="tabular-nums">{d.period}</Cell>
              <Cell>{d.status}</Cell>
              <Cell numeric>{d.attempts}</Cell>
              <Cell className="max-w-[16rem] truncate" title={d.lastError ?? undefined}>
                {d.lastError ?? "—"}
              </Cell>
              <Cell className="tabular-nums">{d.sentAt ? formatTimestamp(new Date(d.sentAt)) : "—"}</Cell>
            </TableRow>
          ))}
          {rows && rows.length === 0 ? <EmptyRow columns={6}>No statements sent yet.</EmptyRow> : null}
          {!rows && deliveries.isPending ? <EmptyRow columns={6}>Loading…</EmptyRow> : null}
          {!rows && deliveries.isError ? <EmptyRow columns={6}>Not available.</EmptyRow> : null}
        </TableBody>
      </Table>
    </section>
  );
}
