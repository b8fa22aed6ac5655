// Prints a new API key of the demo organization as JSON (`{"secret":"ll_…"}`), minted straight
// into DATABASE_URL like the console does; for scripts/standalone.mjs, which drives a server
// from outside and needs a key it can send.
import { eq } from "drizzle-orm";
import { createDatabase } from "../../db/connection";
import { organizations } from "../../db/schema";
import { DEMO_ORG_NAME } from "../../db/seed/demo";
import { mintApiKey } from "./local-console";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const { db, client } = createDatabase(url, { max: 1 });
try {
  const [org] = await db.select().from(organizations).where(eq(organizations.name, DEMO_ORG_NAME));
  if (!org) throw new Error("The demo organization is not seeded");
  const key = await mintApiKey(db, org.id, "standalone smoke", "scripts/standalone.mjs");
  console.log(JSON.stringify({ secret: key.secret }));
} finally {
  await client.end();
}
