// `npm run seed:large` (through scripts/seed-large.mjs): the large organization of issue 8 in
// DATABASE_URL. Does nothing when it is already complete; `--force` replaces it; an interrupted
// run (org still named "… (seeding)") is replaced automatically.
import { now } from "../../lib/clock";
import { createDatabase } from "../connection";
import { deleteLargeOrg, LARGE_ACCOUNTS, LARGE_SHAPE, largeOrgState, seedLargeOrganization } from "./large";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the PostgreSQL server to seed.");
  process.exit(1);
}
// One connection: the generator's pg_temp helpers and temp tables live in its session.
const { db, client } = createDatabase(url, { max: 1 });
try {
  const state = await largeOrgState(db);
  if (state === "complete" && !process.argv.includes("--force")) {
    console.log("The large organization is already seeded (`npm run seed:large -- --force` replaces it).");
  } else {
    if (state !== "absent") {
      console.log(state === "partial" ? "Removing an interrupted large seed…" : "Replacing the large organization…");
      await deleteLargeOrg(db);
    }
    const s = LARGE_SHAPE;
    console.log(
      `Seeding the large organization: ${s.members.toLocaleString("en-US")} members, ${s.billingGroups} billing groups, ` +
        `${s.groups.toLocaleString("en-US")} groups, ${s.historicalPeriods} historical periods + the current one, ` +
        `${s.eventsTotal.toLocaleString("en-US")} usage events (${s.eventsCurrentPeriod.toLocaleString("en-US")} this period).`,
    );
    const summary = await seedLargeOrganization(db, { now: now(), log: (line) => console.log(line) });
    console.log("Updating planner statistics (vacuum analyze)…");
    const started = performance.now();
    await client.unsafe(
      "vacuum (analyze) organizations, members, billing_groups, groups, group_memberships, usage_events, member_group_period_usage, member_period_usage, group_period_usage",
    );
    console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(
      `\nLarge organization seeded in ${summary.seconds.toFixed(0)} s: ${summary.events.toLocaleString("en-US")} usage events over ${summary.periods[0]} … ${summary.periods.at(-1)}.` +
        `\nSign in as ${LARGE_ACCOUNTS.admin.email} / ${LARGE_ACCOUNTS.admin.password} (billing admin: ${LARGE_ACCOUNTS.billingAdmin.email} / ${LARGE_ACCOUNTS.billingAdmin.password}).`,
    );
  }
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : "";
  console.error("The large seed failed:", error instanceof Error ? error.message : error, cause);
  process.exitCode = 1;
} finally {
  await client.end();
}
