import { describe, expect, it } from "vitest";
import { text } from "@/lib/text";
import { findControlCharacter, hasControlCharacter } from "./control-characters";

describe("control characters in input (R47)", () => {
  it("refuses NUL and other C0/C1 controls, allows tab and line breaks in free text", () => {
    for (const bad of ["dev@example.com\u0000", "\u0007bell", "a\u001bb", "\u007f", "x\u0085"]) {
      expect(hasControlCharacter(bad), JSON.stringify(bad)).toBe(true);
    }
    for (const good of ["plain", "two\nlines\r\n", "tab\there", "Zoë Müller — 東京", ""]) {
      expect(hasControlCharacter(good), JSON.stringify(good)).toBe(false);
    }
  });

  it("names the field that holds one, in nested bodies, arrays, keys, forms and query strings", () => {
    expect(findControlCharacter({ member: "dev@example.com\u0000", credits: "1" })).toBe("member");
    expect(findControlCharacter({ events: [{ member: "a" }, { member: "b", idempotencyKey: "k\u0000" }] })).toBe(
      "events.1.idempotencyKey",
    );
    expect(findControlCharacter({ "bad\u0000key": "x" })).toBe("bad\u0000key");
    const form = new FormData();
    form.set("name", "Ops");
    form.set("description", "line\u0000");
    expect(findControlCharacter(form)).toBe("description");
    expect(findControlCharacter(new URLSearchParams("q=%00"))).toBe("q");
    expect(findControlCharacter({ name: "Ops", count: 3, nested: { ok: ["fine"] } })).toBeNull();
  });

  it("gives zod schemas one base string that refuses them with a clear message", () => {
    const result = text().safeParse("x\u0000");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("Remove control characters (such as NUL) from this field.");
    expect(text().safeParse("fine").success).toBe(true);
  });
});
