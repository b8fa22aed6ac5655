"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

type Preview = {
  period: string;
  fileName: string;
  rows: { billingGroup: string; memberName: string; email: string; credits: string }[];
  rowCount: number;
  totals: { billingGroup: string; rows: number; credits: string }[];
  totalCredits: string;
};

const BASE = "/api/export/billing-group-bills";

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.message ?? "The preview could not be loaded. Try again.");
  return body as T;
}

type ExportDrawerProps = {
  period: string;
  periodLabel: string;
  /** Preselected scope: `all`, `unassigned` or a billing group id. */
  initialScope?: string;
  /** The trigger's text: `Export` on the list, "Export this billing group" in details. */
  triggerLabel?: string;
};

/** "Export Billing Group Bills" (R24): scope, preview with totals, then Download CSV. */
export function ExportDrawer({
  period,
  periodLabel,
  initialScope = "all",
  triggerLabel = "Export",
}: ExportDrawerProps) {
  const [open, setOpen] = useState(false);
  const [scope, setScope] = useState(initialScope);
  const query = `period=${encodeURIComponent(period)}&billingGroup=${encodeURIComponent(scope)}`;
  const scopes = useQuery({
    queryKey: ["export-scopes", period],
    queryFn: () =>
      getJson<{ options: { value: string; label: string }[] }>(`${BASE}/scopes?period=${encodeURIComponent(period)}`),
    enabled: open,
  });
  const preview = useQuery({
    queryKey: ["export-preview", period, scope],
    queryFn: () => getJson<Preview>(`${BASE}/preview?${query}`),
    enabled: open,
  });

  function download() {
    // A plain navigation to an attachment: the browser streams the file straight to disk.
    const link = document.createElement("a");
    link.href = `${BASE}?${query}`;
    link.download = preview.data?.fileName ?? "";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {triggerLabel}
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Export Billing Group Bills"
        description={`Credits consumption for ${periodLabel}.`}
        variant="drawer"
        wide
      >
        <div className="flex flex-col gap-4">
          <div className="flex flex-col gap-1">
            <label htmlFor="export-scope" className="text-sm font-medium">
              Billing Group
            </label>
            <select
              id="export-scope"
              value={scope}
              onChange={(e) => setScope(e.target.value)}
              className="max-w-sm rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              {(
                scopes.data?.options ?? [
                  {
                    value: scope,
                    label: scope === "all" ? "All billing groups" : scope === "unassigned" ? "Unassigned" : "Loading…",
                  },
                ]
              ).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>

          {preview.isError ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
              {preview.error.message}
            </p>
          ) : null}
          {preview.isPending ? <p className="text-sm text-slate-600">Loading preview…</p> : null}

          {preview.data ? (
            <>
              <p className="text-sm text-slate-700" aria-live="polite">
                <span className="font-medium">{preview.data.rowCount.toLocaleString("en-US")}</span> rows ·{" "}
                <span className="font-medium">{preview.data.totalCredits}</span> Credits in total · file{" "}
                <code className="text-xs">{preview.data.fileName}</code>
              </p>
              <table aria-label="Totals by billing group" className="w-full max-w-lg text-sm">
                <thead>
                  <tr className="border-b border-slate-200 text-left text-slate-600">
                    <th scope="col" className="py-1 font-medium">
                      Billing Group
                    </th>
                    <th scope="col" className="py-1 text-right font-medium">
                      Rows
                    </th>
                    <th scope="col" className="py-1 text-right font-medium">
                      Credits Consumption
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {preview.data.totals.map((t) => (
                    <tr key={t.billingGroup} className="border-b border-slate-100">
                      <td className="py-1">{t.billingGroup}</td>
                      <td className="py-1 text-right tabular-nums">{t.rows}</td>
                      <td className="py-1 text-right tabular-nums">{t.credits}</td>
                    </tr>
                  ))}
                  <tr className="font-semibold">
                    <td className="py-1">Total</td>
                    <td className="py-1 text-right tabular-nums">{preview.data.rowCount}</td>
                    <td className="py-1 text-right tabular-nums">{preview.data.totalCredits}</td>
                  </tr>
                </tbody>
              </table>
              <div className="overflow-x-auto">
                <table aria-label="Export preview" className="w-full text-sm">
                  <caption className="mb-1 text-left text-xs text-slate-600">
                    First {Math.min(preview.data.rows.length, preview.data.rowCount)} of {preview.data.rowCount} rows
                  </caption>
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-slate-600">
                      <th scope="col" className="py-1 font-medium">
                        Billing Group
                      </th>
                      <th scope="col" className="py-1 font-medium">
                        Member Name
                      </th>
                      <th scope="col" className="py-1 font-medium">
                        Email
                      </th>
                      <th scope="col" className="py-1 text-right font-medium">
                        Credits Consumption
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.data.rows.map((row) => (
                      <tr key={`${row.billingGroup}\n${row.email}`} className="border-b border-slate-100">
                        <td className="py-1">{row.billingGroup}</td>
                        <td className="py-1">{row.memberName}</td>
                        <td className="py-1">{row.email}</td>
                        <td className="py-1 text-right tabular-nums">{row.credits}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {preview.data.rowCount === 0 ? (
                  <p className="mt-2 text-sm text-slate-600">
                    No Credits were consumed in this scope and period: the file will hold the header only.
                  </p>
                ) : null}
              </div>
            </>
          ) : null}

          <div>
            <Button onClick={download} disabled={!preview.data}>
              Download CSV
            </Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
