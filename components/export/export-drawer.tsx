"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";

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
          <Select
            id="export-scope"
            label="Billing Group"
            value={scope}
            onChange={(e) => setScope(e.target.value)}
            className="max-w-sm"
            options={
              scopes.data?.options ?? [
                {
                  value: scope,
                  label: scope === "all" ? "All billing groups" : scope === "unassigned" ? "Unassigned" : "Loading…",
                },
              ]
            }
          />

          <FormError message={preview.error?.message} />
          {preview.isPending ? <p className="text-sm text-slate-600">Loading preview…</p> : null}

          {preview.data ? (
            <>
              <p className="text-sm text-slate-700" aria-live="polite">
                <span className="font-medium">{preview.data.rowCount.toLocaleString("en-US")}</span> rows ·{" "}
                <span className="font-medium">{preview.data.totalCredits}</span> Credits in total · file{" "}
                <code className="text-xs">{preview.data.fileName}</code>
              </p>
              <div className="max-w-lg">
                <Table label="Totals by billing group" framed={false}>
                  <TableHead>
                    <HeaderCell>Billing Group</HeaderCell>
                    <HeaderCell numeric>Rows</HeaderCell>
                    <HeaderCell numeric>Credits Consumption</HeaderCell>
                  </TableHead>
                  <TableBody>
                    {preview.data.totals.map((t) => (
                      <TableRow key={t.billingGroup}>
                        <Cell>{t.billingGroup}</Cell>
                        <Cell numeric>{t.rows}</Cell>
                        <Cell numeric>{t.credits}</Cell>
                      </TableRow>
                    ))}
                    <TableRow className="font-semibold">
                      <Cell>Total</Cell>
                      <Cell numeric>{preview.data.rowCount}</Cell>
                      <Cell numeric>{preview.data.totalCredits}</Cell>
                    </TableRow>
                  </TableBody>
                </Table>
              </div>
              <Table
                label="Export preview"
                framed={false}
                caption={`First ${Math.min(preview.data.rows.length, preview.data.rowCount)} of ${preview.data.rowCount} rows`}
              >
                <TableHead>
                  <HeaderCell>Billing Group</HeaderCell>
                  <HeaderCell>Member Name</HeaderCell>
                  <HeaderCell>Email</HeaderCell>
                  <HeaderCell numeric>Credits Consumption</HeaderCell>
                </TableHead>
                <TableBody>
                  {preview.data.rows.map((row) => (
                    <TableRow key={`${row.billingGroup}\n${row.email}`}>
                      <Cell>{row.billingGroup}</Cell>
                      <Cell>{row.memberName}</Cell>
                      <Cell>{row.email}</Cell>
                      <Cell numeric>{row.credits}</Cell>
                    </TableRow>
                  ))}
                  {preview.data.rowCount === 0 ? (
                    <EmptyRow columns={4}>
                      No Credits were consumed in this scope and period: the file will hold the header only.
                    </EmptyRow>
                  ) : null}
                </TableBody>
              </Table>
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
