// R47: NUL and other control characters are refused wherever input enters — forms, JSON bodies,
// query strings, route parameters, cursors — with a 400 (or a field error) naming the field.
// PostgreSQL cannot store NUL in text at all, so letting one through meant a 500; other C0/C1
// controls are never meaningful in names, emails, keys or searches. Tab and line breaks are
// allowed in free text (descriptions).

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const CONTROL_CHARACTER_MESSAGE = "Remove control characters (such as NUL) from this field.";

export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * The path (`member`, `events.3.member`, `q`) of the first string in `value` that holds a control
 * character — keys included — or null when every string is clean.
 */
export function findControlCharacter(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return hasControlCharacter(value) ? path.join(".") || "(value)" : null;
  if (value === null || typeof value !== "object") return null;
  const entries: Iterable<[string, unknown]> =
    value instanceof FormData || value instanceof URLSearchParams
      ? value.entries()
      : Array.isArray(value)
        ? value.map((item, index): [string, unknown] => [String(index), item])
        : Object.entries(value);
  for (const [key, item] of entries) {
    if (hasControlCharacter(key)) return [...path, key].join(".");
    const found = findControlCharacter(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
