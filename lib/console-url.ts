// The console's public origin as configured (NEXTAUTH_URL, which `npm start` always sets), for
// code that has no request to ask: links in statement and alert emails. Null when unset or malformed.
export function configuredConsoleOrigin(): string | null {
  const configured = process.env.NEXTAUTH_URL;
  if (!configured) return null;
  try {
    return new URL(configured).origin;
  } catch {
    return null;
  }
}

/** The origin links in emails point at: the configured one, else the local server's. */
export function consoleOriginForLinks(): string {
  return configuredConsoleOrigin() ?? `http://localhost:${process.env.PORT ?? 3000}`;
}
