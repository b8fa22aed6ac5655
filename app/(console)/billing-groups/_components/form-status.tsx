import type { ActionResult } from "@/lib/actions";

/** The form-level message of an action result, announced to screen readers (R37). */
export function FormError({ state }: { state: ActionResult<unknown> | null | undefined }) {
  if (!state || state.ok) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      {state.error}
    </p>
  );
}

/** Typed values echoed by the server win over the initial ones, so nothing typed is lost. */
export function typed(state: ActionResult<unknown> | null | undefined, name: string, initial = ""): string {
  if (state && !state.ok && state.values && name in state.values) return state.values[name] ?? initial;
  return initial;
}
