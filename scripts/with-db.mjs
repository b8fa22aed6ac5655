// `node scripts/with-db.mjs <command…>`: runs a command against a fresh, migrated test database
// (DATABASE_URL points at it as its owner, DATABASE_APP_URL as its runtime login role;
// TEST_ADMIN_DATABASE_URL at its server) and drops it afterwards.
import { onShutdown, run } from "./lib/processes.mjs";
import { createTestDatabase } from "./lib/test-database.mjs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: with-db.mjs <command> [args…]");
  process.exit(2);
}
const database = await createTestDatabase({ label: "test" });
onShutdown(() => database.drop());
let code = 0;
try {
  const bin = command.includes("/") ? command : `node_modules/.bin/${command}`;
  await run(bin, args, {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      DATABASE_APP_URL: database.appUrl,
      TEST_ADMIN_DATABASE_URL: database.adminUrl,
      TEST_PG_VERSION: database.version,
    },
  });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  code = 1;
} finally {
  await database.drop();
}
process.exit(code);
