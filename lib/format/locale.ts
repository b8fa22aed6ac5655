// Issue 18: one number format for Credits on screen, in the reader's locale (their browser's
// Accept-Language), English when none of theirs is available. Files and the API keep R25's plain
// decimals; only what people read is grouped.

export const FALLBACK_LOCALE = "en-US";

/**
 * The first language of an Accept-Language header that this runtime can format numbers in, by
 * q-value (ties keep header order); the fallback for none, `*`, or a malformed header.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): string {
  if (!header) return FALLBACK_LOCALE;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(
      (entry) =>
        entry.tag && entry.tag !== "*" && entry.weight > 0 && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(entry.tag),
    )
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // An invalid tag (RangeError): try the next one.
    }
  }
  return FALLBACK_LOCALE;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Credits for reading: grouped, always two decimals (R17's precision, so columns line up):
 * "10000" → "10,000.00" in en-US, "10.000,00" in de-DE. Takes R25's plain decimal text, exactly
 * (amounts stay far below 2^53 hundredths, so no digit is lost on the way).
 */
export function displayCredits(plain: string, locale: string = FALLBACK_LOCALE): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set(locale, formatter);
  }
  const value = Number(plain);
  return Number.isFinite(value) ? formatter.format(value) : plain;
}
