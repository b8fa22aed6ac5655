"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { TableRow } from "./table";

// Issue 18: after a change, the rows it touched are highlighted for a moment, so the eye finds what
// moved (a toast says what happened; the row says where). One provider in the console layout;
// useServerAction marks rows, ChangedRow draws them.

const HIGHLIGHT_MS = 2_500;

type ChangedRows = { changed: ReadonlySet<string>; markChanged: (ids: readonly string[]) => void };

const ChangedRowsContext = createContext<ChangedRows>({ changed: new Set(), markChanged: () => {} });

export function ChangedRowsProvider({ children }: { children: ReactNode }) {
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const markChanged = useCallback((ids: readonly string[]) => {
    if (ids.length === 0) return;
    setChanged(new Set(ids));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setChanged(new Set()), HIGHLIGHT_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  const value = useMemo(() => ({ changed, markChanged }), [changed, markChanged]);
  return <ChangedRowsContext.Provider value={value}>{children}</ChangedRowsContext.Provider>;
}

export function useMarkChanged() {
  return useContext(ChangedRowsContext).markChanged;
}

/** A table row that lights up briefly when a change touched `id` (`data-changed` for tests). */
export function ChangedRow({ id, className = "", children }: { id: string; className?: string; children: ReactNode }) {
  const changed = useContext(ChangedRowsContext).changed.has(id);
  return (
    <TableRow
      className={`${className} transition-colors duration-700 ${changed ? "bg-amber-50" : ""}`}
      data-changed={changed ? "true" : undefined}
    >
      {children}
    </TableRow>
  );
}
