import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import type { AuditRow } from "@/lib/audit/queries";
import Link from "next/link";
import { auditChanges, formatUtc, importIdOf } from "@/lib/audit/rules";
import { describeAuditEntry } from "@/lib/audit/sentences";

const COLUMNS = ["Time (UTC)", "Actor", "Action", "Target", "Changes"];

function rawJson(row: AuditRow) {
  return JSON.stringify({ before: row.before ?? null, after: row.after ?? null }, null, 2);
}

export function AuditTable({ rows, emptyText }: { rows: AuditRow[]; emptyText: string }) {
  return (
    <Table label="Audit log">
      <TableHead>
        {COLUMNS.map((c) => (
          <HeaderCell key={c}>{c}</HeaderCell>
        ))}
      </TableHead>
      <TableBody>
        {rows.length === 0 ? <EmptyRow columns={COLUMNS.length}>{emptyText}</EmptyRow> : null}
        {rows.map((row) => {
          // An import's id is not a change of the target: it links to the import's other entries.
          const importId = importIdOf(row.after);
          const changes = auditChanges(row.before, row.after).filter((c) => !(importId && c.key === "importId"));
          return (
            <TableRow key={row.id} className="align-top">
              <Cell className="whitespace-nowrap">
                <time dateTime={row.createdAt.toISOString()}>{formatUtc(row.createdAt)}</time>
              </Cell>
              <Cell>
                <span className="block">{row.actorLabel}</span>
                {row.actorApiKeyId ? <span className="block text-xs text-slate-600">API key</span> : null}
              </Cell>
              <Cell className="font-mono text-xs">{row.action}</Cell>
              <Cell>
                <span className="block">{row.targetLabel || row.targetId || "—"}</span>
                <span className="block text-xs text-slate-600">
                  {row.targetType}
                  {row.targetId ? <span className="font-mono"> · {row.targetId}</span> : null}
                </span>
              </Cell>
              <Cell className="min-w-[18rem]">
                <p>{describeAuditEntry(row)}.</p>
                {importId ? (
                  <Link
                    href={`/audit-log?import=${importId}`}
                    className="mt-1 block text-xs text-indigo-700 hover:underline"
                  >
                    Import <span className="font-mono">{importId.slice(0, 8)}</span>
                    <span className="sr-only">: show every entry of this import</span>
                  </Link>
                ) : null}
                {/* Issue 18: the sentence first; the exact change, field by field and raw, on expand. */}
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-indigo-700">Show change</summary>
                  {changes.length > 0 ? (
                    <ul className="mt-1 space-y-0.5 text-xs">
                      {changes.map((c) => (
                        <li key={c.key} className="break-words">
                          <span className="font-medium">{c.key}</span>:{" "}
                          <span className="text-slate-700">{c.before}</span> <span aria-hidden="true">→</span>
                          <span className="sr-only"> changed to </span> <span>{c.after}</span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="mt-1 text-xs text-slate-600">No field changes</p>
                  )}
                  {row.before != null || row.after != null ? (
                    <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-50 p-2 text-xs">{rawJson(row)}</pre>
                  ) : null}
                </details>
              </Cell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
