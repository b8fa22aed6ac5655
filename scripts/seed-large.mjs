// `npm run seed:large [-- --force]`: the issue-8 scale dataset (50,000 members, 5,000,000 usage
// events) next to the demo organization, in the embedded database that `npm start` uses (or in
// DATABASE_URL). `npm run bench` then measures both orgs side by side.
import { onShutdown, runTs } from "./lib/processes.mjs";
import { startEmbeddedPostgres } from "./lib/embedded.mjs";

const dataDir = process.env.LEDGERLINE_DATA_DIR ?? ".data";
const stops = [];
onShutdown(async () => {
  for (const stop of stops.reverse()) await stop();
});

let code = 0;
try {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const db = await startEmbeddedPostgres({ dataDir });
    stops.push(db.stop);
    databaseUrl = db.url;
  }
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  await runTs("db/migrate-cli.ts", [], { env });
  // The benchmark compares every page with the same page on the demo organization.
  await runTs("db/seed/cli.ts", [], { env });
  await runTs("db/seed/large-cli.ts", process.argv.slice(2), { env });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  for (const stop of stops.reverse()) await stop();
}
process.exit(code);
