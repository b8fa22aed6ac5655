import { describe, expect, it } from "vitest";
import { APP_ROLE, OWNER_FALLBACK_WARNING, runtimeConnection } from "./connection";

describe("the app's database connection (R47)", () => {
  it("logs in as the runtime role of DATABASE_APP_URL, with no role switch and no warning", () => {
    expect(
      runtimeConnection({
        DATABASE_URL: "postgres://owner:secret@db.example.test/ledgerline",
        DATABASE_APP_URL: "postgres://ledgerline_web:pw@db.example.test/ledgerline",
      }),
    ).toEqual({ url: "postgres://ledgerline_web:pw@db.example.test/ledgerline" });
  });

  it("given only DATABASE_URL, switches the owner's connections to the app role and says why that is weaker", () => {
    const connection = runtimeConnection({ DATABASE_URL: "postgres://owner:secret@db.example.test/ledgerline" });
    expect(connection).toEqual({
      url: "postgres://owner:secret@db.example.test/ledgerline",
      role: APP_ROLE,
      warning: OWNER_FALLBACK_WARNING,
    });
    expect(connection.warning).toMatch(/DATABASE_APP_URL is not set/);
  });

  it("refuses to guess without either URL", () => {
    expect(() => runtimeConnection({})).toThrow(/DATABASE_APP_URL/);
  });
});
