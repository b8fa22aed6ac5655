"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { BillingGroupViewerDto } from "@/lib/billing-groups/dto";
import { fetchConsoleJson } from "@/lib/console-fetch";
import { addBillingGroupViewersAction, removeBillingGroupViewerAction } from "../actions";
import { MemberPicker } from "./member-picker";
import { useBillingMutation } from "./use-billing-mutation";

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
  const add = useBillingMutation(addBillingGroupViewersAction);
  const remove = useBillingMutation(removeBillingGroupViewerAction);
  const error = viewers.error ?? add.error ?? remove.error;
  const busy = add.isPending || remove.isPending;
  return (
    <div className="flex flex-col gap-6">
      {error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error.message}
        </p>
      ) : null}
      <section aria-labelledby="permissions-viewers">
        <h3 id="permissions-viewers" className="mb-1 font-semibold">
          Permissions
        </h3>
        <p className="mb-3 text-sm text-slate-600">
          Billing group viewers can sign in to the console, open this billing group&apos;s details and export its bills.
          They see no other billing group.
        </p>
        <table aria-label="Billing group viewers" className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 text-slate-600">
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Granted By</th>
              <th scope="col">Granted At</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {viewers.data?.map((v) => (
              <tr key={v.memberId} className="border-b border-slate-100">
                <td className="py-1">{v.name}</td>
                <td>{v.email}</td>
                <td>{v.grantedBy ?? "—"}</td>
                <td className="tabular-nums">
                  <span title={v.grantedAt}>{v.grantedAt.slice(0, 16).replace("T", " ")}</span>
                </td>
                <td className="text-right">
                  <Button
                    variant="ghost"
                    aria-describedby={`viewer-${v.memberId}`}
                    disabled={busy}
                    onClick={() => remove.mutate({ billingGroupId, memberId: v.memberId })}
                  >
                    Remove
                  </Button>
                  <span id={`viewer-${v.memberId}`} className="sr-only">
                    {v.name} as viewer
                  </span>
                </td>
              </tr>
            ))}
            {viewers.data && viewers.data.length === 0 ? (
              <tr>
                <td colSpan={5} className="py-2 text-slate-600">
                  No viewers yet.
                </td>
              </tr>
            ) : null}
            {!viewers.data && viewers.isPending ? (
              <tr>
                <td colSpan={5} className="py-2 text-slate-600">
                  Loading…
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
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
            onClick={() =>
              add.mutate({ billingGroupId, memberIds: [...toAdd] }, { onSuccess: () => setToAdd(new Set()) })
            }
          >
            Add Member
          </Button>
        </div>
      </section>
    </div>
  );
}
