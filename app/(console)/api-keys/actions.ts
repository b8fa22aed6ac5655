"use server";

import { withOrg } from "@/db";
import { defineAction } from "@/lib/actions";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/service";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/api-keys/schemas";
import { ADMIN_ONLY } from "@/lib/auth/roles";

// R29: admins only; the secret goes back to the creating admin once and is never stored.
export const createApiKeyAction = defineAction({
  name: "createApiKey",
  schema: createApiKeySchema,
  roles: ADMIN_ONLY,
  revalidate: ["/api-keys"],
  run: ({ orgId, actor }, input) => withOrg(orgId, (tx) => createApiKey(tx, { orgId, actor, name: input.name })),
});

export const revokeApiKeyAction = defineAction({
  name: "revokeApiKey",
  schema: revokeApiKeySchema,
  roles: ADMIN_ONLY,
  revalidate: ["/api-keys"],
  run: async ({ orgId, actor }, input) => {
    const revoked = await withOrg(orgId, (tx) => revokeApiKey(tx, { orgId, actor, id: input.id }));
    return { id: revoked.id, name: revoked.name };
  },
});
