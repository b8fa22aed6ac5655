/** Shown while a console page's data loads (a large org's first page, a slow network). */
export default function ConsoleLoading() {
  return (
    <main className="p-4 lg:p-8" aria-busy="true">
      <p role="status" className="text-sm text-slate-600">
        Loading…
      </p>
    </main>
  );
}
