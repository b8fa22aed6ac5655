import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { z } from "zod";
import { requireMember, type SignedInMember } from "@/lib/auth/guard";
import { memberPrincipal, type MemberPrincipal } from "@/lib/auth/principal";
import type { Role } from "@/lib/auth/roles";
import { isDomainError } from "@/lib/errors";
import { logFailure, requestIdFrom } from "@/lib/log";
import { requireCurrentPeriod } from "@/lib/periods/page-period";
import { CONTROL_CHARACTER_MESSAGE, findControlCharacter } from "@/lib/validation/control-characters";

export type FieldErrors = Record<string, string[]>;

export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | {
      ok: false;
      code: string;
      error: string;
      fieldErrors?: FieldErrors;
      /** What the user typed, echoed back so a form can re-render it (R37). */
      values?: Record<string, string>;
      /** An unexpected failure's request id, as in the server's log line (issue 20). */
      requestId?: string;
    };

export type ActionContext = {
  /** What the access layer (lib/<domain>/access.ts) takes: the signed-in member, org and actor. */
  principal: MemberPrincipal;
  member: SignedInMember;
  orgId: string;
  actor: { id: string; label: string };
};

type ActionConfig<S extends z.ZodType, T> = {
  /** For logs and the guarded-actions test. */
  name: string;
  schema: S;
  roles: readonly Role[];
  /**
   * R23: the input carries the `period` the page showed; the action refuses unless it is still
   * the current one, so a tab left open across a month boundary changes nothing.
   */
  requiresCurrentPeriod?: boolean;
  revalidate?: string[];
  run: (ctx: ActionContext, input: z.infer<S>) => Promise<T>;
};

export const GUARDED_ACTION = Symbol.for("ledgerline.guardedAction");
/** The roles an action admits, for the security suite that calls every action as every role. */
export const ACTION_ROLES = Symbol.for("ledgerline.actionRoles");

export type GuardedAction<T> = ((first: unknown, second?: unknown) => Promise<ActionResult<T>>) & {
  [GUARDED_ACTION]?: string;
  [ACTION_ROLES]?: readonly Role[];
};

const periodInput = z.object({ period: z.string() });

function formValues(raw: unknown): Record<string, string> | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) values[key] = value;
  }
  return values;
}

function toInput(first: unknown, second: unknown): unknown {
  // useActionState calls (previousState, formData); useMutation callers pass a plain object.
  const source = second instanceof FormData ? second : first;
  if (source instanceof FormData) {
    const entries: Record<string, unknown> = {};
    for (const key of new Set(source.keys())) {
      if (key.startsWith("$ACTION")) continue;
      const all = source.getAll(key).filter((v): v is string => typeof v === "string");
      entries[key] = key.endsWith("[]") ? all : all[0];
    }
    return Object.fromEntries(Object.entries(entries).map(([k, v]) => [k.replace(/\[\]$/, ""), v]));
  }
  return source;
}

/**
 * The one server-action wrapper (docs/architecture.md): session and member from the database, role check,
 * org and actor from the session (never the form), zod validation with field errors and echoed
 * values, the domain service, typed errors mapped to clear messages, revalidation.
 */
export function defineAction<S extends z.ZodType, T>(config: ActionConfig<S, T>): GuardedAction<T> {
  const action: GuardedAction<T> = async (first, second) => {
    const raw = toInput(first, second);
    try {
      const member = await requireMember(config.roles);
      // R47: a control character anywhere in the input is a field error, whatever the schema.
      const tainted = findControlCharacter(raw);
      if (tainted !== null) {
        return {
          ok: false,
          code: "invalid_input",
          error: "Check the highlighted fields.",
          fieldErrors: { [tainted]: [CONTROL_CHARACTER_MESSAGE] },
          values: formValues(raw),
        };
      }
      const parsed = config.schema.safeParse(raw);
      if (!parsed.success) {
        const flat = z.flattenError(parsed.error);
        return {
          ok: false,
          code: "invalid_input",
          error: flat.formErrors[0] ?? "Check the highlighted fields.",
          fieldErrors: flat.fieldErrors as FieldErrors,
          values: formValues(raw),
        };
      }
      if (config.requiresCurrentPeriod) requireCurrentPeriod(periodInput.safeParse(raw).data?.period);
      const principal = memberPrincipal(member);
      const data = await config.run(
        { principal, member, orgId: principal.orgId, actor: { id: principal.actor.id, label: principal.actor.label } },
        parsed.data,
      );
      for (const path of config.revalidate ?? []) revalidatePath(path);
      return { ok: true, data };
    } catch (error) {
      if (isDomainError(error)) {
        // A caller who is not allowed in gets the refusal only, nothing echoed back.
        const refused = error.code === "unauthenticated" || error.code === "forbidden";
        return {
          ok: false,
          code: error.code,
          error: error.message,
          fieldErrors: error.fieldErrors,
          values: refused ? undefined : formValues(raw),
        };
      }
      const requestId = await currentRequestId();
      logFailure(`action ${config.name}`, error, requestId);
      return {
        ok: false,
        code: "internal",
        requestId,
        error: "Something went wrong on our side. Nothing was changed; try again.",
        values: formValues(raw),
      };
    }
  };
  action[GUARDED_ACTION] = config.name;
  action[ACTION_ROLES] = config.roles;
  return action;
}

/** The request id of the action's request, for the failure log (none outside a request, e.g. in tests). */
async function currentRequestId(): Promise<string> {
  try {
    return requestIdFrom(await headers());
  } catch {
    return crypto.randomUUID();
  }
}
