import { ConflictError } from "@/lib/errors";

/**
 * The one confirmation rule for deleting a named thing (R13 for billing groups; issue 18 made groups
 * the same): the name typed must be the name, exactly, after trimming; otherwise a conflict on
 * `confirmName` and nothing changes.
 */
export function assertTypedName(typed: string, name: string): void {
  if (typed.trim() !== name) throw new ConflictError(`Type “${name}” exactly to confirm.`, "confirmName");
}
