import { createLogger, replaceLogger } from "@/lib/log";

/** Captures this process's log lines (lib/log.ts) until `restore()`: one string per JSON line. */
export function captureLogLines(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const previous = replaceLogger(createLogger({ write: (line: string) => void lines.push(line.trimEnd()) }));
  return { lines, restore: () => void replaceLogger(previous) };
}
