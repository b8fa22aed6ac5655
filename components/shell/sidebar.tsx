"use client";

import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * The console's navigation column. From 1024 px it is a fixed sidebar; below, it folds behind a
 * `Menu` button in a top bar and opens over the page, closing on navigation, on Escape and on
 * the backdrop, with focus back on the button (issue 18: nothing scrolls sideways on a phone).
 */
export function Sidebar({ brand, children }: { brand: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const button = useRef<HTMLButtonElement>(null);
  // A link followed from the open menu lands on a page with the menu closed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing is the effect of a new pathname
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <header className="sticky top-0 z-30 flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-2 lg:hidden">
        {brand}
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="console-sidebar"
          onClick={() => setOpen((now) => !now)}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100"
        >
          Menu
        </button>
      </header>
      {open ? (
        <div aria-hidden="true" className="fixed inset-0 z-30 bg-black/30 lg:hidden" onClick={() => setOpen(false)} />
      ) : null}
      <aside
        id="console-sidebar"
        className={`${open ? "fixed inset-y-0 left-0 z-40 flex w-64 shadow-xl" : "hidden"} shrink-0 flex-col border-r border-slate-200 bg-white p-4 lg:static lg:flex lg:w-56 lg:shadow-none`}
      >
        {children}
      </aside>
    </>
  );
}
