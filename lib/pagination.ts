// Offset pagination of a list whose page lives in the URL (`?page=N`).

/** The page to show for `?page=`: a whole number within 1…last page, else the nearest bound. */
export function clampPage(requested: unknown, total: number, pageSize: number): number {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.floor(Number(requested));
  return Number.isFinite(page) ? Math.min(Math.max(page, 1), lastPage) : 1;
}

/** `path?…` with every current search param but `page`, then `page=N`. */
export function pageHrefFrom(path: string, searchParams: Record<string, string | string[] | undefined>) {
  return (page: number) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(searchParams))
      if (typeof value === "string" && key !== "page") next.set(key, value);
    next.set("page", String(page));
    return `${path}?${next.toString()}`;
  };
}

/**
 * Reads page `requested` of a list (`read` gets a 1-based page and returns its rows with the
 * total); a page past the end (a stale link after deletes, a narrower search) reads the last page
 * instead. Answers the list with the page it is.
 */
export async function readClampedPage<List extends { total: number }>(
  requested: unknown,
  pageSize: number,
  read: (page: number) => Promise<List>,
): Promise<List & { page: number; pageSize: number }> {
  let page = Math.max(1, Math.floor(Number(requested)) || 1);
  let list = await read(page);
  const lastPage = clampPage(page, list.total, pageSize);
  if (lastPage !== page) {
    page = lastPage;
    list = await read(page);
  }
  return { ...list, page, pageSize };
}
