// Integration tests of the real guard, server actions and console routes replace one thing: the
// session that next-auth would read from the cookie. Import this module before the code under test
// (which is then imported dynamically), and sign in with `signInAs`.
import { vi } from "vitest";

export const session: { current: { memberId: string; orgId: string; issuedAt?: number } | null } = { current: null };

export function signInAs(member: { id: string; orgId: string } | null) {
  session.current = member && { memberId: member.id, orgId: member.orgId };
}

vi.mock("next-auth", async (original) => ({
  ...(await original<object>()),
  getServerSession: async () => session.current,
}));
// The app queries as the runtime login role, as in production, so row-level security applies (R47).
vi.mock("@/lib/env", () => ({
  env: () => ({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_APP_URL: process.env.DATABASE_APP_URL }),
  authSecret: () => "integration-session-secret-".repeat(3),
}));
vi.mock("next/server", async (original) => ({ ...(await original<object>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
