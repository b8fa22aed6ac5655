import type { AuditRow } from "@/lib/audit/queries";
import { auditChanges, formatUtc } from "@/lib/audit/rules";

const COLUMNS = ["Time (UTC)", "Actor", "Action", "Target", "Changes"];

function rawJson(row: AuditRow) {
  return JSON.stringify({ before: row.before ?? null, after: row.after ?? null }, null, 2);
}

export function AuditTable({ rows, emptyText }: { rows: AuditRow[]; emptyText: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table aria-label="Audit log" className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className="px-3 py-2 font-medium">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={COLUMNS.length} className="px-3 py-8 text-center text-slate-600">
                {emptyText}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const changes = auditChanges(row.before, row.after);
              return (
                <tr key={row.id} className="border-t border-slate-100 align-top">
                  <td className="whitespace-nowrap px-3 py-2">
                    <time dateTime={row.createdAt.toISOString()}>{formatUtc(row.createdAt)}</time>
                  </td>
                  <td className="px-3 py-2">{row.actorLabel}</td>
                  <td className="px-3 py-2 font-mono text-xs">{row.action}</td>
                  <td className="px-3 py-2">
                    <span className="block">{row.targetLabel || row.targetId || "—"}</span>
                    <span className="block text-xs text-slate-600">
                      {row.targetType}
                      {row.targetId ? <span className="font-mono"> · {row.targetId}</span> : null}
                    </span>
                  </td>
                  <td className="px-3 py-2">
                    {changes.length > 0 ? (
                      <ul className="space-y-0.5">
                        {changes.map((c) => (
                          <li key={c.key} className="break-words">
                            <span className="font-medium">{c.key}</span>:{" "}
                            <span className="text-slate-700">{c.before}</span> <span aria-hidden="true">→</span>
                            <span className="sr-only"> changed to </span> <span>{c.after}</span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <span className="text-slate-600">No field changes</span>
                    )}
                    {row.before != null || row.after != null ? (
                      <details className="mt-1">
                        <summary className="cursor-pointer text-xs text-indigo-700">Raw JSON</summary>
                        <pre className="mt-1 max-w-md overflow-x-auto rounded bg-slate-50 p-2 text-xs">
                          {rawJson(row)}
                        </pre>
                      </details>
                    ) : null}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
