import Link from "next/link";
import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

// Plain module (no "use client"): server pages and client screens render the same table.

type TableProps = {
  /** The accessible name ("Billing groups", "Members"… SPEC §10), as aria-label. */
  label: string;
  /** A visible caption under the name, e.g. "First 50 of 1,204 rows". */
  caption?: ReactNode;
  children: ReactNode;
  /** A bordered card (lists) or bare (inside drawers and sections). */
  framed?: boolean;
  className?: string;
};

/** A data table with an accessible name; rows go in TableHead / TableBody. */
export function Table({ label, caption, children, framed = true, className = "" }: TableProps) {
  const table = (
    <table aria-label={label} className={`w-full text-left text-sm ${className}`}>
      {caption ? <caption className="mb-1 text-left text-xs text-slate-600">{caption}</caption> : null}
      {children}
    </table>
  );
  // `relative`: absolutely placed pieces of a row (screen-reader text, tooltips) are then clipped
  // by this scroll area instead of widening the page on a phone (issue 18).
  return (
    <div className={`relative overflow-x-auto ${framed ? "rounded-lg border border-slate-200 bg-white" : ""}`}>
      {table}
    </div>
  );
}

export function TableHead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
      <tr>{children}</tr>
    </thead>
  );
}

export function TableBody({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <tbody className={className}>{children}</tbody>;
}

export function TableRow({
  children,
  className = "",
  ...props
}: {
  children: ReactNode;
  className?: string;
  "data-changed"?: string;
}) {
  return (
    <tr className={`border-b border-slate-100 last:border-0 ${className}`} {...props}>
      {children}
    </tr>
  );
}

type Align = { numeric?: boolean };

/** A column header. `hidden` keeps a name for screen readers on an otherwise empty header. */
export function HeaderCell({
  children,
  numeric,
  hidden,
  className = "",
  ...props
}: ThHTMLAttributes<HTMLTableCellElement> & Align & { hidden?: boolean }) {
  return (
    <th scope="col" className={`px-3 py-2 font-medium ${numeric ? "text-right" : ""} ${className}`} {...props}>
      {hidden ? <span className="sr-only">{children}</span> : children}
    </th>
  );
}

/**
 * A sortable column header: the order lives in the URL (a link), the header says which way the
 * column is sorted (aria-sort) and shows it.
 */
export function SortableHeaderCell({
  label,
  href,
  direction,
  numeric,
}: Align & { label: string; href: string; direction: "asc" | "desc" | null }) {
  return (
    <th
      scope="col"
      aria-sort={direction === "asc" ? "ascending" : direction === "desc" ? "descending" : undefined}
      className={`px-3 py-2 font-medium ${numeric ? "text-right" : ""}`}
    >
      <Link href={href} scroll={false} className="inline-flex items-center gap-1 hover:underline">
        {label}
        <span aria-hidden="true" className="text-xs text-slate-500">
          {direction === "asc" ? "▲" : direction === "desc" ? "▼" : "↕"}
        </span>
      </Link>
    </th>
  );
}

/** The row's own name (first column), so each cell is announced with it. */
export function RowHeaderCell({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <th scope="row" className={`px-3 py-2 text-left font-medium ${className}`}>
      {children}
    </th>
  );
}

export function Cell({ children, numeric, className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement> & Align) {
  return (
    <td className={`px-3 py-2 ${numeric ? "text-right tabular-nums" : ""} ${className}`} {...props}>
      {children}
    </td>
  );
}

/** The one empty state: a single row across every column that says why nothing is listed. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="px-3 py-6 text-center text-slate-600">
        {children}
      </td>
    </tr>
  );
}
