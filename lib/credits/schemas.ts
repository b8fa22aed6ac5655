import { z } from "zod";
import { MAX_CREDITS_HUNDREDTHS, parseCreditsInput } from "./rules";

const LARGEST = (MAX_CREDITS_HUNDREDTHS / 100n).toLocaleString("en-US");

/**
 * A limit typed in Credits (R17) for the forms' zod schemas: empty = none (null), else exact
 * hundredths, or a message that says what to fix (R37). `positive` refuses 0 as well.
 */
export function creditsLimitField(options: { example: string; ifEmpty: string; positive?: boolean }) {
  const messages = {
    format: `Enter Credits as a number with at most 2 decimals, e.g. ${options.example}.`,
    // A negative amount, or 0 where the limit must be positive.
    negative: `${options.positive ? "Enter a limit greater than 0" : "Enter 0 or more Credits"}, or leave it empty ${options.ifEmpty}.`,
    too_large: `Enter at most ${LARGEST} Credits.`,
  };
  return z
    .string()
    .trim()
    .transform((text, ctx) => {
      if (text === "") return null;
      const parsed = parseCreditsInput(text);
      if ("value" in parsed && !(options.positive && parsed.value === 0n)) return parsed.value;
      ctx.addIssue({ code: "custom", message: messages["problem" in parsed ? parsed.problem : "negative"] });
      return z.NEVER;
    });
}
