"use client";

import { UNASSIGNED_ID } from "@/lib/ids";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import { assignMembersAction } from "../actions";
import { BillingGroupSelect } from "./billing-group-select";
import { MemberPicker } from "./member-picker";

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
  // The drawer stays open for the next batch, so the outcome is said in it (status), not in a toast.
  const assign = useServerAction(assignMembersAction, {
    // The list behind the drawer: Unassigned shrank, the target grew.
    changed: (_, input) => [UNASSIGNED_ID, String(input.billingGroupId)],
  });
  const submit = () => {
    setDone(null);
    assign.run({ period, memberIds: [...selected], billingGroupId: target }, (result) => {
      setSelected(new Set());
      setDone(`Assigned ${result.assigned} member${result.assigned === 1 ? "" : "s"} to ${result.billingGroupName}.`);
    });
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
        <FormError message={assign.error} />
        <p role="status" className="text-sm text-green-800">
          {done}
        </p>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          <Button onClick={submit} disabled={assign.pending || selected.size === 0 || !target}>
            Assign
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
