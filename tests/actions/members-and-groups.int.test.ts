// The server actions end to end (wrapper → service → database), with the session mocked: R3 role
// checks, R23 stale-period refusal, R37 field errors with echoed values.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Transaction } from "@/db/connection";
import { members } from "@/db/schema";
import { GUARDED_ACTION } from "@/lib/actions";
import type { SignedInMember } from "@/lib/auth/guard";
import type { Role } from "@/lib/auth/roles";
import { setClock } from "@/lib/clock";
import { ForbiddenError } from "@/lib/errors";
import { createBillingGroup, createMember, createOrg, testDb } from "@/tests/support/db";

const session: { member: SignedInMember | null } = { member: null };

vi.mock("@/lib/auth/guard", () => ({
  requireMember: async (roles: readonly Role[]) => {
    if (!session.member) throw new Error("no session in test");
    if (!roles.includes(session.member.role)) throw new ForbiddenError();
    return session.member;
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("@/db", async () => {
  const { testDb: db } = await import("@/tests/support/db");
  return { withOrg: <T>(_orgId: string, work: (tx: Transaction) => Promise<T>) => db().transaction(work) };
});

const memberActions = await import("@/app/(console)/members/actions");
const groupActions = await import("@/app/(console)/groups/actions");

const NOW = "2026-11";
beforeAll(() => setClock(new Date("2026-11-15T12:00:00Z")));
afterAll(() => setClock(null));

async function signIn(orgId: string, role: Role) {
  const row = await createMember(orgId, { role });
  session.member = {
    id: row.id,
    orgId,
    orgName: "Org",
    orgCreatedAt: new Date("2026-01-01"),
    name: row.name,
    email: row.email,
    role,
    sessionsValidAfter: null,
  };
  return row;
}

describe("members and groups server actions", () => {
  it("every exported action is made with defineAction", () => {
    for (const [name, value] of Object.entries({ ...memberActions, ...groupActions })) {
      expect((value as { [GUARDED_ACTION]?: string })[GUARDED_ACTION], name).toBeTruthy();
    }
  });

  it("a billing admin is refused role changes and (de)activation, but may assign and set limits (R3)", async () => {
    const org = await createOrg();
    await signIn(org.id, "billing_admin");
    const target = await createMember(org.id);
    const group = await createBillingGroup(org.id);
    expect(await memberActions.changeRoleAction({ memberId: target.id, role: "admin", period: NOW })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await memberActions.deactivateMemberAction({ memberId: target.id, period: NOW })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(
      await memberActions.addMemberAction({ name: "X", email: "x@example.test", role: "member", period: NOW }),
    ).toMatchObject({ ok: false, code: "forbidden" });
    expect(await groupActions.createGroupAction({ name: "G" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(
      await memberActions.assignBillingGroupAction({ memberIds: [target.id], billingGroupId: group.id, period: NOW }),
    ).toMatchObject({ ok: true });
    expect(
      await memberActions.setPersonalLimitAction({ memberIds: [target.id], personalLimit: "10.5", period: NOW }),
    ).toMatchObject({ ok: true });
    const [row] = await testDb().select().from(members).where(eq(members.id, target.id));
    expect(row).toMatchObject({ role: "member", deactivatedAt: null, billingGroupId: group.id, personalLimit: 1050n });
  });

  it("refuses a stale period and changes nothing (R23)", async () => {
    const org = await createOrg();
    await signIn(org.id, "admin");
    const target = await createMember(org.id, { personalLimit: 100n });
    const result = await memberActions.setPersonalLimitAction({
      memberIds: [target.id],
      personalLimit: "5",
      period: "2026-10",
    });
    expect(result).toMatchObject({ ok: false, code: "stale_period" });
    expect((await testDb().select().from(members).where(eq(members.id, target.id)))[0]!.personalLimit).toBe(100n);
    expect(
      await memberActions.changeRoleAction({ memberId: target.id, role: "admin", period: "2026-10" }),
    ).toMatchObject({ ok: false, code: "stale_period" });
  });

  it("a duplicate email returns a field error and echoes what was typed (R2, R37)", async () => {
    const org = await createOrg();
    const admin = await signIn(org.id, "admin");
    const form = new FormData();
    for (const [k, v] of Object.entries({
      name: "Dup",
      email: admin.email.toUpperCase(),
      role: "member",
      personalLimit: "",
      billingGroupId: "unassigned",
      period: NOW,
    }))
      form.set(k, v);
    const result = await memberActions.addMemberAction(undefined, form);
    expect(result).toMatchObject({
      ok: false,
      code: "conflict",
      fieldErrors: { email: [expect.stringContaining("already exists")] },
      values: { name: "Dup" },
    });
    const bad = await memberActions.addMemberAction({
      name: "",
      email: "nope",
      role: "member",
      personalLimit: "1.001",
      period: NOW,
    });
    expect(bad).toMatchObject({ ok: false, code: "invalid_input", values: { email: "nope", personalLimit: "1.001" } });
  });
});
