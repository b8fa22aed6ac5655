// `npm run bench:ingest [-- --seconds 5]`: the ingestion benchmark (bench/lib/ingest.ts) against the
// console this machine runs, printed as a table. Exits 1 on any overshoot.
import { consoleBaseUrl, databaseUrl, option } from "../scripts/lib/local-console";
import { benchIngest } from "./lib/ingest";

try {
  const result = await benchIngest({
    base: consoleBaseUrl(),
    databaseUrl: databaseUrl(),
    seconds: option("seconds", 5, 60),
    serverGroup: Number(process.env.BENCH_SERVER_PGID ?? 0),
    log: console.log,
  });
  if (result.overshoot !== 0 || result.personalAccepted !== 10 || result.groupAccepted !== 5) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
