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
