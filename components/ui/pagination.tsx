import Link from "next/link";
import { pageHrefFrom } from "@/lib/pagination";

type PageControls =
  /** Pages in the URL (as every list's filters are), so a page can be shared. */
  | { hrefFor: (page: number) => string; onPage?: never }
  /** Pages of data the browser already holds (the import preview): buttons. */
  | { onPage: (page: number) => void; hrefFor?: never };

/**
 * Offset pagination under a table: "1–50 of 2,737 members", Previous page / Page N of M / Next
 * page — links that carry the page in the URL, or buttons for a list held in the browser.
 */
export function Pagination({
  page,
  pageSize,
  total,
  noun,
  ...controls
}: {
  page: number;
  pageSize: number;
  total: number;
  /** Plural, e.g. "members". */
  noun: string;
} & PageControls) {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100";
  const control = (target: number, text: string) =>
    controls.onPage ? (
      <button type="button" className={linkClass} onClick={() => controls.onPage(target)}>
        {text}
      </button>
    ) : (
      <Link className={linkClass} href={controls.hrefFor(target)}>
        {text}
      </Link>
    );
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-700">
      <p>
        {first.toLocaleString("en-US")}–{last.toLocaleString("en-US")} of {total.toLocaleString("en-US")} {noun}
      </p>
      <div className="flex gap-2">
        {page > 1 ? control(page - 1, "Previous page") : null}
        <span className="px-2 py-1.5">
          Page {page} of {lastPage}
        </span>
        {page < lastPage ? control(page + 1, "Next page") : null}
      </div>
    </nav>
  );
}

/**
 * The pagination of a list whose page lives in the URL, from the page the access layer answered:
 * every current search param is kept. Nothing when the list fits on one page, unless `always`
 * (a list that states its count, like Members).
 */
export function UrlPagination({
  list,
  noun,
  path,
  searchParams,
  always = false,
}: {
  list: { page: number; pageSize: number; total: number };
  noun: string;
  path: string;
  searchParams: Record<string, string | string[] | undefined>;
  always?: boolean;
}) {
  if (!always && list.total <= list.pageSize) return null;
  return (
    <Pagination
      page={list.page}
      pageSize={list.pageSize}
      total={list.total}
      noun={noun}
      hrefFor={pageHrefFrom(path, searchParams)}
    />
  );
}
