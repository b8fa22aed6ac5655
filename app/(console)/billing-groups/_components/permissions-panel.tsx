"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormError } from "@/components/ui/form-error";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { useServerAction } from "@/components/ui/use-server-action";
import type { BillingGroupViewerDto } from "@/lib/billing-groups/dto";
import { fetchConsoleJson } from "@/lib/console-fetch";
import { addBillingGroupViewersAction, removeBillingGroupViewerAction } from "../actions";
import { MemberPicker } from "./member-picker";

/**
 * R33: the details drawer's Permissions tab (admins only). Viewers may open this billing group's
 * details and export its bills, nothing else.
 */
export function PermissionsPanel({ billingGroupId }: { billingGroupId: string }) {
  const viewers = useQuery({
    queryKey: ["billing-groups", "viewers", billingGroupId],
    queryFn: async () =>
      (
        await fetchConsoleJson<{ viewers: BillingGroupViewerDto[] }>(
          `/api/console/billing-groups/${encodeURIComponent(billingGroupId)}/viewers`,
        )
      ).viewers,
  });
  const [toAdd, setToAdd] = useState<Set<string>>(new Set());
  const [removing, setRemoving] = useState<{ memberId: string; name: string } | null>(null);
  const add = useServerAction(addBillingGroupViewersAction, { success: "Viewer access granted." });
  const remove = useServerAction(removeBillingGroupViewerAction, { success: "Viewer access removed." });
  const busy = add.pending || remove.pending;
  return (
    <div className="flex flex-col gap-6">
      {viewers.error ? <FormError message={viewers.error.message} /> : null}
      <FormError message={add.error} />
      <section aria-labelledby="permissions-viewers">
        <h3 id="permissions-viewers" className="mb-1 font-semibold">
          Permissions
        </h3>
        <p className="mb-3 text-sm text-slate-600">
          Billing group viewers can sign in to the console, open this billing group&apos;s details and export its bills.
          They see no other billing group.
        </p>
        <Table label="Billing group viewers" framed={false}>
          <TableHead>
            <HeaderCell>Name</HeaderCell>
            <HeaderCell>Email</HeaderCell>
            <HeaderCell>Granted By</HeaderCell>
            <HeaderCell>Granted At</HeaderCell>
            <HeaderCell hidden>Remove</HeaderCell>
          </TableHead>
          <TableBody>
            {viewers.data?.map((v) => (
              <TableRow key={v.memberId}>
                <Cell>{v.name}</Cell>
                <Cell>{v.email}</Cell>
                <Cell>{v.grantedBy ?? "—"}</Cell>
                <Cell className="tabular-nums">
                  <span title={v.grantedAt}>{v.grantedAt.slice(0, 16).replace("T", " ")}</span>
                </Cell>
                <Cell className="text-right">
                  <Button
                    variant="ghost"
                    aria-describedby={`viewer-${v.memberId}`}
                    disabled={busy}
                    onClick={() => setRemoving({ memberId: v.memberId, name: v.name })}
                  >
                    Remove
                  </Button>
                  <span id={`viewer-${v.memberId}`} className="sr-only">
                    {v.name} as viewer
                  </span>
                </Cell>
              </TableRow>
            ))}
            {viewers.data && viewers.data.length === 0 ? <EmptyRow columns={5}>No viewers yet.</EmptyRow> : null}
            {!viewers.data && viewers.isPending ? <EmptyRow columns={5}>Loading…</EmptyRow> : null}
          </TableBody>
        </Table>
      </section>
      <section aria-labelledby="permissions-add" className="flex flex-col gap-2">
        <h3 id="permissions-add" className="font-semibold">
          Add viewers
        </h3>
        <MemberPicker
          scope="all"
          label="Members to grant viewer access"
          selected={toAdd}
          onChange={setToAdd}
          disabled={busy}
        />
        <div>
          <Button
            disabled={busy || toAdd.size === 0}
            onClick={() => add.run({ billingGroupId, memberIds: [...toAdd] }, () => setToAdd(new Set()))}
          >
            Add Member
          </Button>
        </div>
      </section>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            remove.reset();
            setRemoving(null);
          }
        }}
        title={`Remove ${removing?.name ?? ""} as viewer?`}
        description="They can no longer open this billing group or export its bills, from their next request on."
        confirmLabel="Remove"
        pending={remove.pending}
        error={remove.error}
        onConfirm={() =>
          removing && remove.run({ billingGroupId, memberId: removing.memberId }, () => setRemoving(null))
        }
      />
    </div>
  );
}
