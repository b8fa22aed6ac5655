"use client";

import { useState } from "react";
import { InlineFieldForm } from "@/components/ui/inline-field-form";
import { useServerAction } from "@/components/ui/use-server-action";
import { formatThresholds } from "@/lib/alerts/format";
import type { BillingGroupDetailsDto } from "@/lib/billing-groups/dto";
import { setAlertThresholdsAction } from "../actions";

const DELETED_REASON = "This billing group was deleted: its alert thresholds can no longer change.";

/**
 * R40: the details drawer's Alerts tab. The group's thresholds, percents of its period limit, as
 * one comma-separated field; billing roles save them in the current period (R23), a billing
 * group viewer (`canManage` false) only reads them. What was typed stays after a refusal (R37).
 */
export function AlertsPanel({
  d,
  period,
  readOnlyReason,
  canManage,
}: {
  d: BillingGroupDetailsDto | undefined;
  period: string;
  readOnlyReason: string;
  canManage: boolean;
}) {
  if (!d) return <p className="text-sm text-slate-600">Loading…</p>;
  // Keyed by the saved version, so a save (or someone else's) shows the thresholds as stored.
  return (
    <AlertsForm key={d.group.version} d={d} period={period} readOnlyReason={readOnlyReason} canManage={canManage} />
  );
}

function AlertsForm({
  d,
  period,
  readOnlyReason,
  canManage,
}: {
  d: BillingGroupDetailsDto;
  period: string;
  readOnlyReason: string;
  canManage: boolean;
}) {
  const [thresholds, setThresholds] = useState(formatThresholds(d.group.alertThresholds));
  const save = useServerAction(setAlertThresholdsAction, {
    fields: ["thresholds"],
    success: `Alert thresholds saved for ${d.group.name}.`,
  });
  const lockedReason = d.isHistorical ? readOnlyReason : d.group.deleted ? DELETED_REASON : undefined;
  return (
    <section aria-labelledby="alerts-heading" className="flex flex-col gap-3">
      <h3 id="alerts-heading" className="font-semibold">
        Alerts
      </h3>
      <p className="text-sm text-slate-600">
        When this period&apos;s usage reaches a threshold, an alert goes to Notifications, this billing group&apos;s
        recipients and subscribed webhooks — once per threshold and period.
      </p>
      {d.group.periodLimit === null ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Alerts start once the group has a period limit.
        </p>
      ) : null}
      {canManage ? (
        <InlineFieldForm
          onSubmit={save.submit({ period, id: d.group.id, version: String(d.group.version) })}
          error={save.error}
          pending={save.pending}
          lockedReason={lockedReason}
          submitLabel="Save"
          field={{
            label: "Thresholds",
            name: "thresholds",
            inputMode: "numeric",
            maxLength: 100,
            hint: "1 to 5 percents of the period limit, e.g. 75, 90, 100",
            value: thresholds,
            onChange: (event) => setThresholds(event.target.value),
            errors: save.fieldErrors.thresholds,
          }}
        />
      ) : (
        <p className="text-sm">
          <span className="font-medium">Thresholds:</span> {formatThresholds(d.group.alertThresholds)} % of the period
          limit
        </p>
      )}
    </section>
  );
}
