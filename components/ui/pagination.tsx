import Link from "next/link";

/**
 * Offset pagination under a table: "1–50 of 2,737 members", Previous page / Page N of M / Next
 * page. Links carry the page in the URL (as every list's filters do), so a page can be shared.
 */
export function Pagination({
  page,
  pageSize,
  total,
  noun,
  hrefFor,
}: {
  page: number;
  pageSize: number;
  total: number;
  /** Plural, e.g. "members". */
  noun: string;
  hrefFor: (page: number) => string;
}) {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100";
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-700">
      <p>
        {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {total.toLocaleString("en-US")} {noun}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link className={linkClass} href={hrefFor(page - 1)}>
            Previous page
          </Link>
        ) : null}
        <span className="px-2 py-1.5">
          Page {page} of {lastPage}
        </span>
        {page < lastPage ? (
          <Link className={linkClass} href={hrefFor(page + 1)}>
            Next page
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
