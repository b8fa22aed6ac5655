// Types for the TypeScript scripts that share runtime-role.mjs (scripts/cluster-test.ts).
export const APP_PRIVILEGE_ROLE: string;
export function generatePassword(): string;
export function withLogin(url: string, login: { user: string; password: string; database?: string }): string;
export function loginOf(url: string): { user: string; password: string };
export function ensureRuntimeLogin(
  ownerUrl: string,
  runtimeUrl: string,
  options?: { resetPassword?: boolean },
): Promise<void>;
