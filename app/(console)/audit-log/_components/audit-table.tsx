import Link from "next/link";
import { Cell, EmptyRow, HeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";
import type { AuditRow } from "@/lib/audit/queries";
import { auditChanges, formatUtc, importIdOf } from "@/lib/audit/rules";
import { describeAuditEntry } from "@/lib/audit/sentences";

const COLUMNS = ["Time (UTC)", "Actor", "Action", "Target", "Changes"];

// Issue 18: at 1440 px every column fits without scrolling, so no cell may demand more width than
// it needs to read: ids, emails, URLs and JSON wrap anywhere instead of widening their column. Each
// column keeps a readable minimum (a block inside the cell: min-width on a cell itself is not
// honoured everywhere), so a narrow screen scrolls the table in its own area instead of squeezing
// names into a letter a line.
const wrapAnywhere = "[overflow-wrap:anywhere]";

function rawJson(row: AuditRow) {
  return JSON.stringify({ before: row.before ?? null, after: row.after ?? null }, null, 2);
}

/** "Ada Admin <admin@example.com>" as the name, then the email on its own line. */
function actorParts(label: string): { name: string; detail: string | null } {
  const match = /^(.*) <([^>]+)>$/.exec(label);
  return match ? { name: match[1]!, detail: match[2]! } : { name: label, detail: null };
}

/** `billing_group.alert_thresholds_set` may break after its dot (the text stays the same). */
function ActionName({ action }: { action: string }) {
  const dot = action.indexOf(".");
  if (dot < 0) return <>{action}</>;
  return (
    <>
      {action.slice(0, dot + 1)}
      <wbr />
      {action.slice(dot + 1)}
    </>
  );
}

export function AuditTable({ rows, emptyText, locale }: { rows: AuditRow[]; emptyText: string; locale: string }) {
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
          const [day, time] = formatUtc(row.createdAt).split(" ", 2);
          const actor = actorParts(row.actorLabel);
          return (
            <TableRow key={row.id} className="align-top">
              <Cell>
                <time dateTime={row.createdAt.toISOString()}>
                  <span className="whitespace-nowrap">{day}</span> <span className="whitespace-nowrap">{time} UTC</span>
                </time>
              </Cell>
              <Cell>
                <div className={`min-w-40 ${wrapAnywhere}`}>
                  <span className="block">{actor.name}</span>
                  {row.actorApiKeyId ? <span className="block text-xs text-slate-600">API key</span> : null}
                  {actor.detail ? <span className="block text-xs text-slate-600">{actor.detail}</span> : null}
                </div>
              </Cell>
              <Cell className="font-mono text-xs">
                <ActionName action={row.action} />
              </Cell>
              <Cell>
                <div className={`min-w-40 ${wrapAnywhere}`}>
                  <span className="block">{row.targetLabel || row.targetId || "—"}</span>
                  <span className="block text-xs text-slate-600">{row.targetType}</span>
                </div>
              </Cell>
              <Cell>
                <div className="min-w-64">
                  <p>{describeAuditEntry(row, { locale })}.</p>
                  {importId ? (
                    <Link
                      href={`/audit-log?import=${importId}`}
                      className="mt-1 block text-xs text-indigo-700 hover:underline"
                    >
                      Import <span className="font-mono">{importId.slice(0, 8)}</span>
                      <span className="sr-only">: show every entry of this import</span>
                    </Link>
                  ) : null}
                  {/* The sentence first; the exact change, field by field and raw, on expand. A
                    native disclosure: keyboard and screen readers know it, and it needs no script. */}
                  <details className="mt-1">
                    <summary className="cursor-pointer text-xs text-indigo-700">Show change</summary>
                    {changes.length > 0 ? (
                      <ul className="mt-1 space-y-0.5 text-xs">
                        {changes.map((c) => (
                          <li key={c.key} className={wrapAnywhere}>
                            <span className="font-medium">{c.key}</span>:{" "}
                            <span className="text-slate-700">{c.before}</span> <span aria-hidden="true">→</span>
                            <span className="sr-only"> changed to </span> <span>{c.after}</span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p className="mt-1 text-xs text-slate-600">No field changes</p>
                    )}
                    {row.targetId ? (
                      <p className={`mt-1 text-xs text-slate-600 ${wrapAnywhere}`}>
                        Target id <span className="font-mono">{row.targetId}</span>
                      </p>
                    ) : null}
                    {row.before != null || row.after != null ? (
                      <pre className={`mt-1 rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap ${wrapAnywhere}`}>
                        {rawJson(row)}
                      </pre>
                    ) : null}
                  </details>
                </div>
              </Cell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
