import { z } from "zod";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // R47: the owner's login, for migrations and seeds; the app itself needs it only as a fallback.
    DATABASE_URL: z.string().url({ message: "DATABASE_URL must be a postgres:// URL" }).optional(),
    // R47: the runtime's own login role (neither superuser nor owner, cannot bypass RLS).
    DATABASE_APP_URL: z.string().url({ message: "DATABASE_APP_URL must be a postgres:// URL" }).optional(),
    // Issue 20: a streaming replica for exports, statements' files and reports (optional): the
    // runtime's login there, or the owner's (the app then switches role, as with DATABASE_URL alone).
    DATABASE_REPLICA_APP_URL: z
      .string()
      .url({ message: "DATABASE_REPLICA_APP_URL must be a postgres:// URL" })
      .optional(),
    DATABASE_REPLICA_URL: z.string().url({ message: "DATABASE_REPLICA_URL must be a postgres:// URL" }).optional(),
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
    OIDC_ISSUER: z.string().url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default("Single sign-on"),
    // Issue 22: the one organization the identity provider signs into (never a global email lookup).
    OIDC_ORG_ID: z.string().uuid("OIDC_ORG_ID must be an organization id").optional(),
    // R47: proxies in front of the console that append to X-Forwarded-For (0: trust the socket only).
    LEDGERLINE_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // R39: where statements are handed over; unset, nothing is mailed and the Recipients tab says so.
    SMTP_URL: z
      .string()
      .optional()
      .transform((value) => value?.trim() || undefined)
      .refine((value) => value === undefined || isSmtpUrl(value), {
        message: "SMTP_URL must look like smtp://user:pass@host:port or smtps://user:pass@host:port",
      }),
    // R41: webhooks may reach loopback and private addresses, and plain http (development, CI).
    LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE: z
      .enum(["true", "false", ""], { message: "LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE must be true or false" })
      .optional()
      .transform((value) => value === "true"),
    // R41: the key material webhook signing secrets are encrypted with (default: derived from AUTH_SECRET).
    LEDGERLINE_ENCRYPTION_KEY: z
      .string()
      .min(32, "LEDGERLINE_ENCRYPTION_KEY must be at least 32 characters")
      .optional(),
    MAIL_FROM: z
      .string()
      .optional()
      .transform((value) => value?.trim() || DEFAULT_MAIL_FROM)
      .refine(isMailbox, { message: 'MAIL_FROM must be an address, e.g. "Ledgerline <billing@example.com>"' }),
  })
  .superRefine((value, ctx) => {
    if (!value.DATABASE_APP_URL && !value.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_APP_URL"],
        message: "set DATABASE_APP_URL (the runtime's login role) or at least DATABASE_URL",
      });
    }
    const runtimeLogin = value.DATABASE_APP_URL ? loginName(value.DATABASE_APP_URL) : undefined;
    if (runtimeLogin !== undefined && value.DATABASE_URL && runtimeLogin === loginName(value.DATABASE_URL)) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_APP_URL"],
        message: "DATABASE_APP_URL must log in as its own role, not as DATABASE_URL's owner",
      });
    }
    const oidc = [value.OIDC_ISSUER, value.OIDC_CLIENT_ID, value.OIDC_CLIENT_SECRET, value.OIDC_ORG_ID];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC needs all of OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ORG_ID",
      });
    }
  });

/** Statements come from this sender when MAIL_FROM is not set. */
export const DEFAULT_MAIL_FROM = "Ledgerline <statements@localhost>";

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** `name@host` or `Display Name <name@host>`: the two forms a From header takes. */
function isMailbox(value: string): boolean {
  const address = /<([^<>]+)>$/.exec(value)?.[1] ?? value;
  return /^[^\s@<>"]+@[^\s@<>"]+$/.test(address);
}

/** The user a postgres:// URL logs in as, or undefined when it is no URL (reported on its own). */
function loginName(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).username);
  } catch {
    return undefined;
  }
}

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Validated environment. Throws one readable error listing every problem. */
export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  cached = parsed.data;
  return cached;
}

/** The JWT signing secret. Production refuses to run without a real one. */
export function authSecret(): string {
  const secret = process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET;
  if (secret && secret.length >= 32) return secret;
  if (process.env.NODE_ENV === "production" && process.env.LEDGERLINE_ALLOW_DEV_SECRET !== "1") {
    throw new Error("AUTH_SECRET must be set (at least 32 characters) in production.");
  }
  return "ledgerline-development-secret-do-not-use-in-production";
}

/** The key webhook signing secrets are sealed with: its own setting, else derived from the auth secret. */
export function encryptionKeyMaterial(): string {
  return env().LEDGERLINE_ENCRYPTION_KEY ?? authSecret();
}
