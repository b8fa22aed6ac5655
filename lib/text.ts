import { z } from "zod";

/**
 * The one base string schema every API schema builds on, so a rule that applies to all text
 * (issue 22: refuse NUL and other control characters) is added here once and reaches every field.
 * Takes the same parameters as `z.string()` (e.g. a custom `error`).
 */
export function text(params?: Parameters<typeof z.string>[0]) {
  return z.string(params);
}
