// The runtime's own login role (issue 22, SPEC R47). It logs in, inherits the grants of the NOLOGIN
// privilege role `ledgerline_app` (migration 0003), and has nothing else: no superuser, no BYPASSRLS,
// no CREATEDB/CREATEROLE/REPLICATION, owns nothing, and is a member of no other role — so `SET ROLE`
// can never take it back to the owner or `postgres`. Roles are cluster-wide, so the scripts give each
// database its own login (a test run's role is named after its database) rather than sharing one.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import postgres from "postgres";

/** The NOLOGIN role that carries the app's grants (migration 0003; `APP_ROLE` in db/connection.ts). */
export const APP_PRIVILEGE_ROLE = "ledgerline_app";

export function generatePassword() {
  return randomBytes(24).toString("base64url");
}

/** `url` with another login (user and password) and, optionally, another database. */
export function withLogin(url, { user, password, database }) {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  if (database) parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function loginOf(url) {
  const parsed = new URL(url);
  return { user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802/7677, as libpq's
 * PQencryptPasswordConn builds it). Sending the verifier instead of the password keeps the
 * password itself out of the server's statement log.
 */
export function scramVerifier(password, salt = randomBytes(16), iterations = 4096) {
  const salted = pbkdf2Sync(password.normalize("NFKC"), salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/**
 * Makes `runtimeUrl`'s user a least-privilege runtime login on the server of `ownerUrl` (run after
 * the migrations, which create `ledgerline_app`). Creates it when missing; with `resetPassword`
 * (credentials the scripts generated) also sets its password to the URL's, otherwise an existing
 * role's password is the operator's and is left alone. Refuses a role that could do more than the
 * app needs, so a misconfigured DATABASE_APP_URL fails at start rather than running privileged.
 */
export async function ensureRuntimeLogin(ownerUrl, runtimeUrl, { resetPassword = false } = {}) {
  const { user, password } = loginOf(runtimeUrl);
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [{ me }] = await owner`select current_user as me`;
    if (user === me) {
      throw new Error(`DATABASE_APP_URL logs in as ${user}, the owner: give the runtime its own login role (R47).`);
    }
    const [existing] = await owner`select 1 from pg_roles where rolname = ${user}`;
    try {
      if (!existing || resetPassword) {
        // A verifier is base64 and `$:` only, so it is safe inline (utility statements take no
        // parameters). No password in the URL: the server authenticates it otherwise (certificate, peer).
        const login = owner.unsafe(password ? `LOGIN PASSWORD '${scramVerifier(password)}'` : "LOGIN");
        if (existing) await owner`ALTER ROLE ${owner(user)} ${login}`;
        else {
          await owner`CREATE ROLE ${owner(user)} ${login} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION INHERIT`;
        }
      }
      const [{ member }] = await owner`select pg_has_role(${user}, ${APP_PRIVILEGE_ROLE}, 'USAGE') as member`;
      if (!member) await owner`GRANT ${owner(APP_PRIVILEGE_ROLE)} TO ${owner(user)}`;
    } catch (error) {
      if (error?.code !== "42501") throw error;
      throw new Error(
        `DATABASE_URL's role may not ${existing ? "grant roles to" : "create"} ${user} (${error.message}). As an administrator, run: ` +
          `CREATE ROLE ${user} LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION IN ROLE ${APP_PRIVILEGE_ROLE};`,
      );
    }
    await assertLeastPrivilege(owner, user);
  } finally {
    await owner.end();
  }
}

/** Throws unless `user` can do no more than log in and use ledgerline_app's grants. */
async function assertLeastPrivilege(sql, user) {
  const [role] = await sql`
    select r.rolsuper, r.rolbypassrls, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolcanlogin,
      (select count(*)::int from pg_shdepend d
        where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid and d.deptype = 'o') as owned,
      array(select o.rolname from pg_roles o
        where o.oid <> r.oid and o.rolname <> ${APP_PRIVILEGE_ROLE} and pg_has_role(r.oid, o.oid, 'MEMBER')
        order by o.rolname)::text[] as other_roles
    from pg_roles r where r.rolname = ${user}`;
  const problems = [
    role.rolsuper && "is a superuser",
    role.rolbypassrls && "has BYPASSRLS",
    role.rolcreatedb && "has CREATEDB",
    role.rolcreaterole && "has CREATEROLE",
    role.rolreplication && "has REPLICATION",
    !role.rolcanlogin && "cannot log in",
    role.owned > 0 && `owns ${role.owned} object(s)`,
    role.other_roles.length > 0 && `is a member of ${role.other_roles.join(", ")}`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new Error(`The runtime role ${user} ${problems.join("; ")}: it must be least-privilege (R47).`);
  }
}

/** Removes a runtime login the scripts created (a test run's), once nothing uses it. */
export async function dropRuntimeLogin(sql, user) {
  await sql`DROP ROLE IF EXISTS ${sql(user)}`;
}
