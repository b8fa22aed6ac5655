import { z } from "zod";

// R29: one schema per form, shared by the client form and the server action.
export const createApiKeySchema = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
});

export const revokeApiKeySchema = z.object({
  id: z.uuid({ error: "Choose a key to revoke." }),
});

export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;
