"use server";

import { defineAction } from "@/lib/actions";
import { createApiKey, revokeApiKey } from "@/lib/api-keys/access";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/api-keys/schemas";
import { ADMIN_ONLY } from "@/lib/auth/roles";

// R29: admins only; the secret goes back to the creating admin once and is never stored.
export const createApiKeyAction = defineAction({
  name: "createApiKey",
  schema: createApiKeySchema,
  roles: ADMIN_ONLY,
  revalidate: ["/api-keys"],
  run: ({ principal }, input) => createApiKey(principal, input),
});

export const revokeApiKeyAction = defineAction({
  name: "revokeApiKey",
  schema: revokeApiKeySchema,
  roles: ADMIN_ONLY,
  revalidate: ["/api-keys"],
  run: ({ principal }, input) => revokeApiKey(principal, input),
});
