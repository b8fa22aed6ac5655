import type { ReactNode } from "react";
import { Cell, HeaderCell, RowHeaderCell, Table, TableBody, TableHead, TableRow } from "@/components/ui/table";

// R45: every chart has a text alternative. The drawing itself is hidden from assistive technology;
// a one-sentence summary says what it shows, and the exact figures sit in a table behind "Show
// data" (the same numbers, as exact text, that the chart plots).

export type ChartTable = {
  /** The table's accessible name, e.g. "Usage by period". */
  label: string;
  columns: { name: string; numeric?: boolean }[];
  rows: { key: string; cells: ReactNode[] }[];
};

export function ChartFigure({
  title,
  summary,
  table,
  children,
}: {
  title: string;
  summary: ReactNode;
  table: ChartTable;
  children: ReactNode;
}) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <figcaption>
        <h3 className="font-semibold">{title}</h3>
        <p className="mt-1 text-sm text-slate-700">{summary}</p>
      </figcaption>
      <div aria-hidden="true" className="mt-3 h-56 w-full">
        {children}
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-indigo-700">Show data</summary>
        <div className="mt-2">
          <Table label={table.label} framed={false}>
            <TableHead>
              {table.columns.map((c) => (
                <HeaderCell key={c.name} numeric={c.numeric}>
                  {c.name}
                </HeaderCell>
              ))}
            </TableHead>
            <TableBody>
              {table.rows.map((row) => (
                <TableRow key={row.key}>
                  {row.cells.map((cell, i) =>
                    i === 0 ? (
                      <RowHeaderCell key="row">{cell}</RowHeaderCell>
                    ) : (
                      <Cell key={table.columns[i]?.name ?? i} numeric={table.columns[i]?.numeric}>
                        {cell}
                      </Cell>
                    ),
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </details>
    </figure>
  );
}
