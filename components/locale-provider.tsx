"use client";

import { createContext, useCallback, useContext, type ReactNode } from "react";
import { displayCredits, FALLBACK_LOCALE } from "@/lib/format/locale";

// Issue 18: the reader's locale (from their browser's Accept-Language, resolved once per request
// by the console layout) for every Credits figure on screen. Server and client components alike
// render <CreditsText>, so the whole console formats numbers one way.

const LocaleContext = createContext<string>(FALLBACK_LOCALE);

export function LocaleProvider({ locale, children }: { locale: string; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

/** Formats R25's plain Credits text for reading, for sentences and accessible names. */
export function useCreditsFormat(): (plain: string) => string {
  const locale = useContext(LocaleContext);
  return useCallback((plain: string) => displayCredits(plain, locale), [locale]);
}

/** A Credits figure on screen: grouped, two decimals, in the reader's locale. */
export function CreditsText({ value }: { value: string }) {
  const format = useCreditsFormat();
  return <span className="tabular-nums">{format(value)}</span>;
}
