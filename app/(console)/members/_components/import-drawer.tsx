"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import Papa from "papaparse";
import { useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/button-class";
import { Dialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Pagination } from "@/components/ui/pagination";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { IMPORT_PREVIEW_PAGE_SIZE, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from "@/lib/limits";
import type { ImportPreview, ImportPreviewRow, ImportResult } from "@/lib/members/import/diff";
import { IMPORT_HEADER, mapImportHeader, startsWithUtf16Bom, UTF16_MESSAGE } from "@/lib/members/import/file";

// R43: Import on Members. The browser takes a quick look at the chosen file (size, and the header
// with papaparse) so an obviously wrong file is named at once; the server reads the whole file and
// is the authority for the preview and for Apply, which sends the same file again with the
// preview's fingerprint.

const BASE = "/api/console/members";

class RequestFailed extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

async function postCsv<T>(path: string, file: File, query: Record<string, string>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${BASE}/${path}?${new URLSearchParams(query).toString()}`, {
      method: "POST",
      headers: { "Content-Type": "text/csv" },
      body: file,
    });
  } catch {
    throw new RequestFailed("The file could not be sent. Check your connection and try again.", null);
  }
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (!response.ok)
    throw new RequestFailed(
      body?.message ?? "Something went wrong on our side. Nothing was changed.",
      body?.error ?? null,
    );
  return body as T;
}

/** The browser's quick look: a clear message for a file that cannot be right, before uploading it. */
async function quickLook(file: File): Promise<string | null> {
  if (file.size === 0) return "The file is empty. The first line must be the header.";
  if (file.size > MAX_IMPORT_BYTES)
    return `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files.`;
  // The browser would decode UTF-16 by its byte order mark; the server reads UTF-8 only.
  if (startsWithUtf16Bom(new Uint8Array(await file.slice(0, 2).arrayBuffer()))) return UTF16_MESSAGE;
  const header = await new Promise<string[] | null>((resolve) => {
    Papa.parse<string[]>(file, {
      preview: 1,
      delimiter: ",",
      complete: (results) => resolve(results.data[0] ?? null),
      error: () => resolve(null),
    });
  });
  if (!header) return null; // the server says what is wrong
  try {
    mapImportHeader(header);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : null;
  }
}

type Show = "all" | "errors" | "changes" | "unchanged";
const SHOW_OPTIONS: { value: Show; label: string }[] = [
  { value: "all", label: "All rows" },
  { value: "errors", label: "Rows with errors" },
  { value: "changes", label: "Changes" },
  { value: "unchanged", label: "No change" },
];

function matches(row: ImportPreviewRow, show: Show) {
  const changes = Boolean(row.move || row.limit);
  if (show === "errors") return row.errors.length > 0;
  if (show === "changes") return changes;
  if (show === "unchanged") return row.errors.length === 0 && !changes;
  return true;
}

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;

function ChangeCell({ row }: { row: ImportPreviewRow }) {
  if (row.errors.length > 0)
    return (
      <ul className="space-y-0.5 text-red-800">
        {row.errors.map((error) => (
          <li key={error}>
            <span className="font-medium">Error:</span> {error}
          </li>
        ))}
      </ul>
    );
  if (!row.move && !row.limit) return <span className="text-slate-600">No change</span>;
  return (
    <ul className="space-y-0.5">
      {row.move ? (
        <li>
          <span className="font-medium">Move</span>: {row.move.from} → {row.move.to}
        </li>
      ) : null}
      {row.limit ? (
        <li>
          <span className="font-medium">Set limit</span>: {row.limit.from ?? "No own limit"} → {row.limit.to}
        </li>
      ) : null}
    </ul>
  );
}

export function ImportButton({
  period,
  disabledReason,
  canOpenAuditLog,
}: {
  period: string;
  /** R23: set in a historical period. */
  disabledReason?: string;
  /** Admins get a link to the import's entries in the Audit Log (billing admins have no Audit Log, R3). */
  canOpenAuditLog: boolean;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const inputId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState<"checking" | "applying" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [show, setShow] = useState<Show>("all");
  const [page, setPage] = useState(1);

  const shownRows = useMemo(() => (preview ? preview.rows.filter((row) => matches(row, show)) : []), [preview, show]);
  const pageRows = shownRows.slice((page - 1) * IMPORT_PREVIEW_PAGE_SIZE, page * IMPORT_PREVIEW_PAGE_SIZE);

  function reset() {
    setFile(null);
    setBusy(null);
    setError(null);
    setNotice(null);
    setPreview(null);
    setResult(null);
    setShow("all");
    setPage(1);
    if (fileInput.current) fileInput.current.value = "";
  }

  async function runPreview(chosen: File, stale?: string) {
    setBusy("checking");
    setError(null);
    setNotice(stale ?? null);
    setPreview(null);
    try {
      const looked = stale ? null : await quickLook(chosen);
      if (looked) {
        setError(looked);
        return;
      }
      setPreview(await postCsv<ImportPreview>("import/preview", chosen, { period }));
      setShow("all");
      setPage(1);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(null);
    }
  }

  async function apply() {
    if (!file || !preview) return;
    setBusy("applying");
    setError(null);
    setNotice(null);
    try {
      const applied = await postCsv<ImportResult>("import/apply", file, {
        period,
        fingerprint: preview.fingerprint,
      });
      setPreview(null);
      setFile(null);
      if (fileInput.current) fileInput.current.value = "";
      setResult(applied);
      toast.success(
        `Import applied: ${plural(applied.moved, "member")} moved, ${plural(applied.limitsSet, "limit")} set.`,
      );
      await queryClient.invalidateQueries();
      router.refresh();
      setBusy(null);
    } catch (failure) {
      setBusy(null);
      if (failure instanceof RequestFailed && failure.code === "stale_write") {
        // R43: something changed since the preview; show the preview as it is now.
        await runPreview(file, failure.message);
        return;
      }
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const applyReason = !preview
    ? undefined
    : preview.totals.error > 0
      ? "Fix the rows with errors in the file, then choose it again: Apply changes all rows or none."
      : preview.changes === 0
        ? "Every row is No change: there is nothing to apply."
        : undefined;

  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} disabledReason={disabledReason}>
        Import
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          if (busy === "applying") return;
          if (!next) reset();
          setOpen(next);
        }}
        title="Import assignments and limits"
        description={
          <>
            A CSV with the header <code className="text-xs">{IMPORT_HEADER.join(",")}</code> (any order). Billing Group
            by name, or Unassigned; Personal Usage Limit in Credits; an empty cell leaves that value unchanged. Up to{" "}
            {MAX_IMPORT_ROWS.toLocaleString("en-US")} rows and {MAX_IMPORT_BYTES / 1024 / 1024} MB.
          </>
        }
        variant="drawer"
        wide
      >
        <div className="flex flex-col gap-4">
          <div className="flex flex-wrap items-end justify-between gap-4">
            <div className="flex flex-col gap-1">
              <label htmlFor={inputId} className="text-sm font-medium text-slate-800">
                CSV file
              </label>
              <input
                ref={fileInput}
                id={inputId}
                type="file"
                accept=".csv,text/csv"
                disabled={busy !== null}
                className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
                // Choosing the same file again after editing it must read it again.
                onClick={(event) => {
                  event.currentTarget.value = "";
                }}
                onChange={(event) => {
                  const chosen = event.target.files?.[0] ?? null;
                  setResult(null);
                  setFile(chosen);
                  if (chosen) void runPreview(chosen);
                  else setPreview(null);
                }}
              />
            </div>
            <a href={`${BASE}/assignments`} download className={buttonClass("secondary")}>
              Download current assignments
            </a>
          </div>

          <p className="text-sm text-slate-700" role="status" aria-live="polite">
            {busy === "checking" ? "Checking the file…" : busy === "applying" ? "Applying…" : ""}
          </p>
          {notice ? (
            <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              {notice}
            </p>
          ) : null}
          <FormError message={error} />

          {result ? (
            <div role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm">
              <p className="text-emerald-900">
                Import applied: {plural(result.moved, "member")} moved, {plural(result.limitsSet, "limit")} set,{" "}
                {plural(result.unchanged, "row")} without change.
              </p>
              {result.importId && canOpenAuditLog ? (
                <Link href={`/audit-log?import=${result.importId}`} className="text-indigo-700 hover:underline">
                  View in Audit Log
                </Link>
              ) : null}
            </div>
          ) : null}

          {preview ? (
            <>
              <ul aria-label="Import totals" className="flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-800">
                <li>
                  <span className="font-semibold">{preview.totals.move.toLocaleString("en-US")}</span> Move
                </li>
                <li>
                  <span className="font-semibold">{preview.totals.setLimit.toLocaleString("en-US")}</span> Set limit
                </li>
                <li>
                  <span className="font-semibold">{preview.totals.noChange.toLocaleString("en-US")}</span> No change
                </li>
                <li className={preview.totals.error > 0 ? "text-red-800" : ""}>
                  <span className="font-semibold">{preview.totals.error.toLocaleString("en-US")}</span>{" "}
                  {preview.totals.error === 1 ? "Error" : "Errors"}
                </li>
              </ul>
              <div className="flex flex-wrap items-end justify-between gap-4">
                <Select
                  id="import-show"
                  label="Show"
                  value={show}
                  onChange={(event) => {
                    setShow(event.target.value as Show);
                    setPage(1);
                  }}
                  options={SHOW_OPTIONS}
                />
                <Button onClick={apply} disabledReason={applyReason} disabled={busy !== null}>
                  Apply
                </Button>
              </div>
              <Table
                label="Import preview"
                framed={false}
                caption={file ? `${file.name}: ${plural(preview.rows.length, "row")}` : undefined}
              >
                <TableHead>
                  <HeaderCell numeric>Line</HeaderCell>
                  <HeaderCell>Email</HeaderCell>
                  <HeaderCell>Member</HeaderCell>
                  <HeaderCell>Change</HeaderCell>
                </TableHead>
                <TableBody>
                  {pageRows.map((row) => (
                    <TableRow key={row.line} className="align-top">
                      <Cell numeric>{row.line}</Cell>
                      <Cell className="break-all">{row.email || "—"}</Cell>
                      <Cell>{row.member ?? "—"}</Cell>
                      <Cell>
                        <ChangeCell row={row} />
                      </Cell>
                    </TableRow>
                  ))}
                  {pageRows.length === 0 ? <EmptyRow columns={4}>No rows of this kind.</EmptyRow> : null}
                </TableBody>
              </Table>
              <Pagination
                page={page}
                pageSize={IMPORT_PREVIEW_PAGE_SIZE}
                total={shownRows.length}
                noun="rows"
                onPage={setPage}
              />
            </>
          ) : null}
        </div>
      </Dialog>
    </>
  );
}
