// Client-side reads of the console's GET route handlers (React Query fetchers). The routes answer
// errors as `{ error, message }`; the message is what the user sees.

export async function fetchConsoleJson<T>(path: string, query: Record<string, string> = {}): Promise<T> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(search ? `${path}?${search}` : path, { cache: "no-store" });
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  if (!response.ok) {
    throw new Error(typeof body?.message === "string" ? body.message : "Something went wrong. Try again.");
  }
  return body as T;
}
