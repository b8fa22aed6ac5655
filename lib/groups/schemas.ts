import { z } from "zod";

// R5: Name trimmed 1–100, Description ≤ 500. Shared by the forms and the server actions.
export const groupFieldsSchema = z.object({
  name: z.string().trim().min(1, { message: "Enter a name." }).max(100, { message: "Use at most 100 characters." }),
  description: z.string().trim().max(500, { message: "Use at most 500 characters." }).optional().default(""),
});

export const updateGroupSchema = groupFieldsSchema.extend({ groupId: z.uuid() });
export const groupIdSchema = z.object({ groupId: z.uuid() });

/** Issue 18: deleting a group is confirmed like deleting a billing group (R13): by typing its name. */
export const deleteGroupSchema = z.object({
  groupId: z.uuid(),
  confirmName: z.string().min(1, "Type the group's name to confirm."),
});

export const addGroupMembersSchema = z.object({
  groupId: z.uuid(),
  memberIds: z
    .array(z.uuid())
    .min(1, { message: "Select at least one member." })
    .max(1_000, { message: "Add at most 1,000 members at a time." }),
});

export const removeGroupMemberSchema = z.object({ groupId: z.uuid(), memberId: z.uuid() });

export const searchGroupCandidatesSchema = z.object({
  groupId: z.uuid(),
  search: z.string().trim().max(200).optional().default(""),
});
