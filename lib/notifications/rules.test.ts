import { describe, expect, it } from "vitest";
import { formatRelativeTime, unreadBadge } from "./rules";

const at = new Date("2026-11-20T12:00:00Z");
const ago = (seconds: number) => new Date(at.getTime() - seconds * 1000).toISOString();

describe("formatRelativeTime", () => {
  it("words the time since an event in the largest whole unit", () => {
    expect(formatRelativeTime(ago(5), at)).toBe("just now");
    expect(formatRelativeTime(ago(-30), at)).toBe("just now");
    expect(formatRelativeTime(ago(60), at)).toBe("1 minute ago");
    expect(formatRelativeTime(ago(59 * 60), at)).toBe("59 minutes ago");
    expect(formatRelativeTime(ago(2 * 3600 + 10), at)).toBe("2 hours ago");
    expect(formatRelativeTime(ago(86_400), at)).toBe("yesterday");
    expect(formatRelativeTime(ago(3 * 86_400), at)).toBe("3 days ago");
    expect(formatRelativeTime(ago(14 * 86_400), at)).toBe("2 weeks ago");
    expect(formatRelativeTime(ago(400 * 86_400), at)).toBe("last year");
  });
});

describe("unreadBadge", () => {
  it("caps the count at 99+", () => {
    expect(unreadBadge(3)).toBe("3");
    expect(unreadBadge(99)).toBe("99");
    expect(unreadBadge(100)).toBe("99+");
  });
});
