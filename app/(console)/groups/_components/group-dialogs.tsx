"use client";

import { TypeToConfirmDialog } from "@/components/ui/type-to-confirm-dialog";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextareaField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import type { GuardedAction } from "@/lib/actions";
import { createGroupAction, deleteGroupAction, updateGroupAction } from "../actions";

type Open = { open: boolean; onOpenChange: (open: boolean) => void };
export type GroupView = { id: string; name: string; description: string; memberCount: number };

/** Create (R5) when `group` is absent, Edit otherwise. Typed values survive a validation error (R37). */
export function GroupFormDialog({ open, onOpenChange, group }: Open & { group?: GroupView }) {
  const action: GuardedAction<unknown> = group ? updateGroupAction : createGroupAction;
  const call = useServerAction(action, {
    fields: ["name", "description"],
    success: group ? "Group saved." : "Group created.",
    changed: () => (group ? [group.id] : []),
    // A new group opens on its own page.
    onSuccess: (data) => {
      if (!group && data && typeof data === "object" && "id" in data) return `/groups/${String(data.id)}`;
    },
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        call.reset();
        onOpenChange(next);
      }}
      title={group ? "Edit group" : "Create group"}
    >
      <form
        className="flex flex-col gap-4"
        noValidate
        onSubmit={call.submit(group ? { groupId: group.id } : {}, () => onOpenChange(false))}
      >
        <FormError message={call.error} />
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          defaultValue={group?.name}
          errors={call.fieldErrors.name}
          autoComplete="off"
        />
        <TextareaField
          label="Description"
          name="description"
          maxLength={500}
          defaultValue={group?.description}
          errors={call.fieldErrors.description}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={call.pending}>
            {group ? "Save" : "Create"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** R7: deletes the group and its memberships only; members are untouched. Confirmed by typing its name. */
export function DeleteGroupDialog({
  open,
  onOpenChange,
  group,
  afterDelete,
}: Open & { group: GroupView; afterDelete?: string }) {
  const call = useServerAction(deleteGroupAction, {
    fields: ["confirmName"],
    success: `Group “${group.name}” deleted.`,
    onSuccess: () => afterDelete,
  });
  return (
    <TypeToConfirmDialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete ${group.name}`}
      description={`The group and its ${group.memberCount} membership${group.memberCount === 1 ? "" : "s"} are removed. No member's role, billing group, limit or usage changes.`}
      name={group.name}
      call={call}
      input={{ groupId: group.id }}
      onDeleted={() => onOpenChange(false)}
    />
  );
}
