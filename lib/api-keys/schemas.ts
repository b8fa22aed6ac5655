import { z } from "zod";
import { API_KEY_SCOPES, orderScopes } from "./rules";

// R29: one schema per form, shared by the client form and the server action.
export const createApiKeySchema = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  // R44: what the key may do. A caller that names none gets what every key had before scopes.
  scopes: z
    .array(z.enum(API_KEY_SCOPES, { message: "Choose from the listed scopes." }))
    .min(1, "Choose at least one scope.")
    .default(["usage", "read"])
    .transform(orderScopes),
});

export const revokeApiKeySchema = z.object({
  id: z.uuid({ error: "Choose a key to revoke." }),
});

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
