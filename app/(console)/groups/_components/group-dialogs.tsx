"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError, formObject, useActionCall } from "../../members/_components/use-action-call";
import { createGroupAction, deleteGroupAction, updateGroupAction } from "../actions";

type Open = { open: boolean; onOpenChange: (open: boolean) => void };
export type GroupView = { id: string; name: string; description: string; memberCount: number };

function DescriptionField({ defaultValue, errors }: { defaultValue?: string; errors?: string[] }) {
  const invalid = Boolean(errors?.length);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="field-description" className="text-sm font-medium text-slate-800">
        Description
      </label>
      <textarea
        id="field-description"
        name="description"
        rows={3}
        maxLength={500}
        defaultValue={defaultValue}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? "field-description-error" : undefined}
        className={`rounded-md border px-3 py-1.5 text-sm ${invalid ? "border-red-600" : "border-slate-300"}`}
      />
      {invalid ? (
        <p id="field-description-error" className="text-sm text-red-700">
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** Create (R5) when `group` is absent, Edit otherwise. Typed values survive a validation error (R37). */
export function GroupFormDialog({ open, onOpenChange, group }: Open & { group?: GroupView }) {
  const call = useActionCall(group ? updateGroupAction : createGroupAction, ["name", "description"]);
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
        onSubmit={(event) => {
          event.preventDefault();
          const input = { ...formObject(event.currentTarget), ...(group ? { groupId: group.id } : {}) };
          call.run(input, (data) => {
            onOpenChange(false);
            if (!group && data && typeof data === "object" && "id" in data) return `/groups/${String(data.id)}`;
          });
        }}
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
        <DescriptionField defaultValue={group?.description} errors={call.fieldErrors.description} />
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

/** R7: deletes the group and its memberships only; members are untouched. */
export function DeleteGroupDialog({
  open,
  onOpenChange,
  group,
  afterDelete,
}: Open & { group: GroupView; afterDelete?: string }) {
  const call = useActionCall(deleteGroupAction);
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Delete ${group.name}?`}
      description={`The group and its ${group.memberCount} membership${group.memberCount === 1 ? "" : "s"} are removed. No member's role, billing group, limit or usage changes.`}
    >
      <FormError message={call.error} />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={call.pending}
          onClick={() =>
            call.run({ groupId: group.id }, () => {
              onOpenChange(false);
              return afterDelete;
            })
          }
        >
          Delete
        </Button>
      </div>
    </Dialog>
  );
}
