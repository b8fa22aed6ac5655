import { describe, expect, it } from "vitest";
import {
  APP_ROLE,
  OWNER_FALLBACK_WARNING,
  REPLICA_OWNER_FALLBACK_WARNING,
  replicaConnection,
  runtimeConnection,
} from "./connection";

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

describe("the reports' replica connection (issue 20)", () => {
  it("is absent without a replica URL, so every read goes to the primary", () => {
    expect(replicaConnection({})).toBeUndefined();
  });

  it("prefers the runtime login on the replica", () => {
    expect(
      replicaConnection({
        DATABASE_REPLICA_URL: "postgres://owner:secret@replica.example.test/ledgerline",
        DATABASE_REPLICA_APP_URL: "postgres://ledgerline_web:pw@replica.example.test/ledgerline",
      }),
    ).toEqual({ url: "postgres://ledgerline_web:pw@replica.example.test/ledgerline" });
  });

  it("given only the owner's replica URL, switches to the app role and warns, as on the primary", () => {
    expect(
      replicaConnection({ DATABASE_REPLICA_URL: "postgres://owner:secret@replica.example.test/ledgerline" }),
    ).toEqual({
      url: "postgres://owner:secret@replica.example.test/ledgerline",
      role: APP_ROLE,
      warning: REPLICA_OWNER_FALLBACK_WARNING,
    });
  });
});
