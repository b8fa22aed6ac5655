"use client";

import { useEffect } from "react";

/**
 * A console page that failed to render: what happened in words, the request's digest to quote to
 * support (the server log line carries the same digest), and a retry. Nothing the user typed
 * elsewhere is lost: the shell and its navigation stay.
 */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    document.title = "Something went wrong · Ledgerline";
  }, []);
  return (
    <main className="p-4 lg:p-8">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p role="alert" className="mt-2 max-w-2xl text-sm text-slate-700">
        This page could not be shown. Nothing was changed. Try again; if it keeps happening, tell your administrator
        {error.digest ? (
          <>
            {" "}
            the reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800"
      >
        Try again
      </button>
    </main>
  );
}
