import http from "node:http";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createDatabase } from "../db/connection";
import { mintApiKey, databaseUrl } from "../scripts/lib/local-console";
import { drive } from "./lib/ingest";
const base = process.env.BASE ?? "http://localhost:3601";
const what = process.env.WHAT ?? "usage";
const seconds = Number(process.env.SECONDS ?? 10);
const org = JSON.parse(readFileSync("/tmp/probe-org.json", "utf8"));
const { db, client } = createDatabase(databaseUrl(), { max: 2 });
const key = await mintApiKey(db, org.orgId, "probe", "probe");
const agent = new http.Agent({ keepAlive: true });
function req(path: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      `${base}${path}`,
      {
        method: body ? "POST" : "GET",
        agent,
        headers: body
          ? {
              Authorization: `Bearer ${key.secret}`,
              "Content-Type": "application/json",
              "Content-Length": Buffer.byteLength(body),
            }
          : {},
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    r.on("error", reject);
    r.end(body);
  });
}
const rate = await drive(32, seconds, async (c, n) => {
  if (what === "health") return (await req("/api/health")) === 200;
  return (
    (await req(
      "/api/v1/usage",
      JSON.stringify({ member: org.people[(c + n * 32) % 64].email, credits: "1", idempotencyKey: randomUUID() }),
    )) === 201
  );
});
console.log(`${what} c32: ${rate.toFixed(0)}/s`);
agent.destroy();
await client.end();
