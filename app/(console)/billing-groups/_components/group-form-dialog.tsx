"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextareaField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useServerAction } from "@/components/ui/use-server-action";
import type { GuardedAction } from "@/lib/actions";
import type { BillingGroupRowDto } from "@/lib/billing-groups/dto";
import { createBillingGroupAction, updateBillingGroupAction } from "../actions";

/** Create (no group) or Edit (a group) with Name, Description (R11) and Default Personal Limit (R42). */
export function GroupFormDialog({
  group,
  period,
  onClose,
  onCreated,
}: {
  group?: BillingGroupRowDto;
  period: string;
  onClose: () => void;
  /** After Create: the new group, which the list may not show on this page. */
  onCreated?: (created: { id: string; name: string }) => void;
}) {
  const action: GuardedAction<unknown> = group ? updateBillingGroupAction : createBillingGroupAction;
  const call = useServerAction(action, {
    fields: ["name", "description", "defaultPersonalLimit"],
    success: group ? "Billing group saved." : "Billing group created.",
    changed: (data) => {
      const row = data as { id?: unknown } | null;
      return typeof row?.id === "string" ? [row.id] : group ? [group.id] : [];
    },
  });
  const identity = group ? { id: group.id, version: String(group.version) } : {};
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={group ? `Edit ${group.name}` : "Create billing group"}
    >
      <form
        onSubmit={call.submit({ period, ...identity }, (data) => {
          const created = data as { id?: unknown; name?: unknown } | null;
          if (!group && onCreated && typeof created?.id === "string" && typeof created.name === "string")
            onCreated({ id: created.id, name: created.name });
          else onClose();
        })}
        className="flex flex-col gap-4"
        noValidate
      >
        <FormError message={call.error} />
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          autoComplete="off"
          defaultValue={group?.name}
          errors={call.fieldErrors.name}
        />
        <TextareaField
          label="Description"
          name="description"
          maxLength={500}
          defaultValue={group?.description}
          errors={call.fieldErrors.description}
        />
        <Field
          label="Default Personal Limit"
          name="defaultPersonalLimit"
          inputMode="decimal"
          autoComplete="off"
          hint="Credits per period, up to 2 decimals, for members of this group without a personal usage limit of their own. Leave empty for none: such members cannot use Credits."
          defaultValue={group?.defaultPersonalLimit ?? ""}
          errors={call.fieldErrors.defaultPersonalLimit}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
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
