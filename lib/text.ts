import { z } from "zod";
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter } from "@/lib/validation/control-characters";

/**
 * The one base string schema every input schema builds on: it refuses NUL and other control
 * characters (R47) with a message naming the problem, so the field's 400 or form error says
 * which field. Takes the same parameters as `z.string()` (e.g. a custom `error`).
 */
export function text(params?: Parameters<typeof z.string>[0]) {
  return z.string(params).refine((value) => !hasControlCharacter(value), CONTROL_CHARACTER_MESSAGE);
}

/** A `contains` pattern for ILIKE: `%` and `_` typed in a search box are literal characters, not wildcards. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** R46: a list's `?q=` as the lists search with it: the first value, trimmed, at most 200 characters; empty = none. */
export function searchParamText(value: string | string[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return (first ?? "").trim().slice(0, 200);
}
