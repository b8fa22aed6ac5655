"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { assignMembersAction } from "../actions";
import { BillingGroupSelect } from "./billing-group-select";
import { MemberPicker } from "./member-picker";
import { useBillingMutation } from "./use-billing-mutation";

/** R10/R12: assign Unassigned members to a live billing group, many at once, one transaction. */
export function HandleDrawer({
  groups,
  period,
  onClose,
}: {
  groups: { id: string; name: string }[];
  period: string;
  onClose: () => void;
}) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const assign = useBillingMutation(assignMembersAction);
  const submit = () => {
    setDone(null);
    assign.mutate(
      { period, memberIds: [...selected], billingGroupId: target },
      {
        onSuccess: (result) => {
          setSelected(new Set());
          setDone(
            `Assigned ${result.assigned} member${result.assigned === 1 ? "" : "s"} to ${result.billingGroupName}.`,
          );
        },
      },
    );
  };
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      variant="drawer"
      title="Handle unassigned members"
      description="Select members and a billing group, then Assign."
    >
      <div className="flex flex-col gap-4">
        <MemberPicker scope="unassigned" label="Unassigned members" selected={selected} onChange={setSelected} />
        <BillingGroupSelect groups={groups} value={target} onChange={setTarget} />
        {assign.isError ? (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
            {assign.error.message}
          </p>
        ) : null}
        <p role="status" className="text-sm text-green-800">
          {done}
        </p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <Button onClick={submit} disabled={assign.isPending || selected.size === 0 || !target}>
            Assign
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
