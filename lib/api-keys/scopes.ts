// R44's API key scopes: plain data, safe for client components (nothing here imports node:crypto).

/**
 * R44: what a key may do, chosen when it is created. `usage` meters (R30–R32), `read` reads the
 * org's billing data (R32a), `admin` manages billing groups, assignments and limits (R44).
 */
export const API_KEY_SCOPES = ["usage", "read", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Keys made before scopes existed, and the Create form's preselection: metering and reading. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = ["usage", "read"];

export const API_KEY_SCOPE_LABELS: Record<ApiKeyScope, { label: string; description: string }> = {
  usage: { label: "usage", description: "Record usage and check entitlements" },
  read: { label: "read", description: "Read billing groups, members and bills" },
  admin: { label: "admin", description: "Manage billing groups, assignments and limits" },
};
