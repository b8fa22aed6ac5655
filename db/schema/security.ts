import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Failed sign-in counters per account and per client address, consulted before any org is known.
// Not tenant data (R1's one exception): the key is a SHA-256 of "email:…" or "ip:…", so no
// address or email is stored in clear.
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull(),
  failures: integer("failures").notNull().default(0),
});
