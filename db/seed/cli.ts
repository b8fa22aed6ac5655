// `npm run db:seed` — seeds the demo organization (SPEC §11). With --if-empty it does nothing
// when any organization exists, which is how the embedded first start uses it.
import { createDatabase } from "../connection";
import { DEMO_ACCOUNTS, hasAnyOrganization, seedDemoOrganization } from "./demo";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: point it at the PostgreSQL server to seed.");
  process.exit(1);
}
const { db, client } = createDatabase(url, { max: 1 });
try {
  if (process.argv.includes("--if-empty") && (await hasAnyOrganization(db))) {
    console.log("Database already has data; demo seed skipped.");
  } else {
    const exists = await db.query.members.findFirst({
      where: (m, { sql }) => sql`lower(${m.email}) = ${DEMO_ACCOUNTS.admin.email}`,
    });
    if (exists) {
      console.log("The demo organization is already seeded.");
    } else {
      await seedDemoOrganization(db);
      console.log(
        `Demo organization seeded. Sign in as ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password}`,
      );
    }
  }
} finally {
  await client.end();
}
