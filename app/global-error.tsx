"use client";

/** The last resort when the root layout itself failed: a plain page in the same words. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "2rem" }}>
        <title>Something went wrong · Ledgerline</title>
        <h1>Something went wrong</h1>
        <p role="alert">
          Ledgerline could not be shown. Nothing was changed.
          {error.digest ? ` Reference: ${error.digest}.` : ""}
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
