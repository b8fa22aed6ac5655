// `npm run seed:large` (through scripts/seed-large.mjs): the large organization of issue 8 and its
// page-equal baseline (issue 19) in DATABASE_URL. Each is left alone when already complete;
// `--force` replaces both; an interrupted run (org still named "… (seeding)") is replaced.
import { now } from "../../lib/clock";
import { createDatabase } from "../connection";
import { BASELINE_ORG, deleteLargeOrg, LARGE_ORG, largeOrgState, seedLargeOrganization } from "./large";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the PostgreSQL server to seed.");
  process.exit(1);
}
// One connection: the generator's pg_temp helpers and temp tables live in its session.
const { db, client } = createDatabase(url, { max: 1 });
try {
  let seeded = false;
  for (const org of [LARGE_ORG, BASELINE_ORG]) {
    const state = await largeOrgState(db, org);
    if (state === "complete" && !process.argv.includes("--force")) {
      console.log(`${org.name} is already seeded (\`npm run seed:large -- --force\` replaces it).`);
      continue;
    }
    if (state !== "absent") {
      console.log(state === "partial" ? `Removing an interrupted seed of ${org.name}…` : `Replacing ${org.name}…`);
      await deleteLargeOrg(db, org);
    }
    const s = org.shape;
    console.log(
      `Seeding ${org.name}: ${s.members.toLocaleString("en-US")} members, ${s.billingGroups} billing groups, ` +
        `${s.groups.toLocaleString("en-US")} groups, ${s.historicalPeriods} historical periods + the current one, ` +
        `${s.eventsTotal.toLocaleString("en-US")} usage events (${s.eventsCurrentPeriod.toLocaleString("en-US")} this period).`,
    );
    const summary = await seedLargeOrganization(db, { now: now(), log: (line) => console.log(line), org });
    seeded = true;
    const { admin, billingAdmin } = org.accounts;
    console.log(
      `\n${org.name} seeded in ${summary.seconds.toFixed(0)} s: ${summary.events.toLocaleString("en-US")} usage events over ${summary.periods[0]} … ${summary.periods.at(-1)}.` +
        `\nSign in as ${admin.email} / ${admin.password} (billing admin: ${billingAdmin.email} / ${billingAdmin.password}).\n`,
    );
  }
  if (seeded) {
    console.log("Updating planner statistics (vacuum analyze)…");
    const started = performance.now();
    await client.unsafe(
      "vacuum (analyze) organizations, members, billing_groups, groups, group_memberships, usage_events, member_group_period_usage, member_period_usage, group_period_usage",
    );
    console.log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : "";
  console.error("The large seed failed:", error instanceof Error ? error.message : error, cause);
  process.exitCode = 1;
} finally {
  await client.end();
}
