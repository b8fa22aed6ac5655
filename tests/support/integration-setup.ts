import { afterAll } from "vitest";
import { closeTestDb } from "./db";

if (!process.env.DATABASE_URL) {
  throw new Error("Integration tests need DATABASE_URL: run them with `npm run test:integration`.");
}

afterAll(async () => {
  await closeTestDb();
});
