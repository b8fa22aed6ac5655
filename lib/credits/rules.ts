// R17: Credits have at most 2 fractional digits and are stored exactly as integer hundredths.

/** Largest amount accepted anywhere (1 trillion Credits), far inside bigint. */
export const MAX_CREDITS_HUNDREDTHS = 100_000_000_000_000n;

const CREDITS_PATTERN = /^(\d{1,15})(?:\.(\d{1,2}))?$/;

/** Parses "12", "12.5", "0.25" into hundredths. Returns null for anything else. */
export function parseCredits(input: string | number): bigint | null {
  const text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input.trim();
  const match = CREDITS_PATTERN.exec(text);
  if (!match) return null;
  const whole = BigInt(match[1]!);
  const fraction = BigInt((match[2] ?? "").padEnd(2, "0"));
  const value = whole * 100n + fraction;
  return value > MAX_CREDITS_HUNDREDTHS ? null : value;
}

/** Why a typed amount is not Credits, so a form can say what to fix (R37). */
export type CreditsInputProblem = "format" | "negative" | "too_large";

/**
 * `parseCredits` for what a person typed: the hundredths, or which problem it has. A minus sign in
 * front of an otherwise valid amount is `negative`; more than the largest amount is `too_large`.
 */
export function parseCreditsInput(input: string): { value: bigint } | { problem: CreditsInputProblem } {
  const text = input.trim();
  const value = parseCredits(text);
  if (value !== null) return { value };
  const negative = text.startsWith("-");
  if (!/^\d+(?:\.\d{1,2})?$/.test(negative ? text.slice(1).trim() : text)) return { problem: "format" };
  return { problem: negative ? "negative" : "too_large" };
}

/** R25: plain decimal, `.` separator, no grouping, no trailing zeros: 12.5, 3, 0.25. */
export function formatCredits(hundredths: bigint): string {
  const negative = hundredths < 0n;
  const abs = negative ? -hundredths : hundredths;
  const whole = abs / 100n;
  const fraction = abs % 100n;
  let text = whole.toString();
  if (fraction !== 0n) text += `.${fraction.toString().padStart(2, "0").replace(/0$/, "")}`;
  return negative ? `-${text}` : text;
}
