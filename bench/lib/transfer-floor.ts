// The floor of any HTTP download of the bill on this machine (issue 19, item 4): a bare
// `node:http` server, in a process of its own like the console's, holding the bill's bytes in
// memory and writing them in the product's chunk size (one cursor batch) to the bench's own
// download client. No database, no framework, no CSV work: what is left is loopback HTTP on the
// same 2 cores, which every server answering this download pays.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { download, median } from "./http";

/** About one cursor batch of the bill (2,000 rows), the size of the chunks the product writes. */
const CHUNK_BYTES = 128 * 1024;

const SERVER = `
const http = require("node:http");
const bytes = require("node:fs").readFileSync(process.argv[1]);
const chunk = Number(process.argv[2]);
const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/csv; charset=utf-8" });
  let at = 0;
  const next = () => {
    while (at < bytes.length) {
      const ok = res.write(bytes.subarray(at, at + chunk));
      at += chunk;
      if (!ok) return res.once("drain", next);
    }
    res.end();
  };
  next();
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

/** Median of `runs` downloads of `bytes` from the bare server, ms. */
export async function transferFloorMs(bytes: Buffer, runs: number): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "ledgerline-transfer-"));
  const file = path.join(dir, "bill.csv");
  writeFileSync(file, bytes);
  const child = spawn(process.execPath, ["-e", SERVER, file, String(CHUNK_BYTES)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once("data", (data: Buffer) => resolve(Number(data.toString().trim())));
      child.once("exit", (code) => reject(new Error(`the transfer floor server exited (${code})`)));
    });
    const url = `http://127.0.0.1:${port}/`;
    await download(url, {});
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const { bytes: received } = await download(url, {});
      times.push(performance.now() - started);
      if (received !== bytes.length) throw new Error(`transfer floor: ${received} of ${bytes.length} bytes`);
    }
    return median(times);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
