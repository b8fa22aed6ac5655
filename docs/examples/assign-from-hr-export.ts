// Assign members to billing groups from an HR export (R44): plain `fetch`, no dependencies. Run
// it with any TypeScript runner (this repository has tsx; Node ≥ 22.6 runs it directly):
//
//   LEDGERLINE_URL=https://ledgerline.example.com LEDGERLINE_API_KEY=ll_… \
//     npx tsx docs/examples/assign-from-hr-export.ts hr-export.csv
//
// The CSV has a header `email,billing_group` (the group's name, or `Unassigned`). The key needs
// the `read` scope (to look up group ids) and the `admin` scope (to assign). Each request carries
// an Idempotency-Key derived from its content, so running the script again after a failure never
// assigns twice, and a 429 is waited out as its Retry-After says.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

type BillingGroup = { id: string; name: string; deleted: boolean };
type Assignment = { billingGroup: { id: string; name: string }; assigned: number; unchanged: number };
type ApiError = {
  error: string;
  message: string;
  errors?: { index: number; member: string; error: string; message: string }[];
};

const base = process.env.LEDGERLINE_URL ?? "http://localhost:3000";
const key = process.env.LEDGERLINE_API_KEY;
if (!key) throw new Error("Set LEDGERLINE_API_KEY to a key with the read and admin scopes.");
const MAX_PER_REQUEST = 1_000;

async function call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<T> {
  for (;;) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${key}`,
        "Content-Type": "application/json",
        ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 429) {
      const seconds = Number(response.headers.get("Retry-After") ?? "1");
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    const json = (await response.json()) as T | ApiError;
    if (!response.ok) {
      const failure = json as ApiError;
      const details = (failure.errors ?? []).map((e) => `\n  #${e.index} ${e.member}: ${e.message}`).join("");
      throw new Error(`${method} ${path}: ${response.status} ${failure.error}: ${failure.message}${details}`);
    }
    return json as T;
  }
}

/** `email,billing_group` rows; a real export may need a CSV parser for quoted commas. */
function readExport(file: string): { email: string; group: string }[] {
  const [header, ...lines] = readFileSync(file, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/);
  if (header?.trim().toLowerCase() !== "email,billing_group")
    throw new Error("Expected the header email,billing_group");
  return lines
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [email = "", group = ""] = line.split(",").map((cell) => cell.trim());
      return { email, group };
    });
}

async function main(file: string) {
  const { billingGroups } = await call<{ billingGroups: BillingGroup[] }>("GET", "/api/v1/billing-groups");
  const idByName = new Map(billingGroups.filter((g) => !g.deleted).map((g) => [g.name.toLowerCase(), g.id]));

  const byGroup = new Map<string, string[]>();
  for (const { email, group } of readExport(file)) {
    const id = idByName.get(group.toLowerCase());
    if (!id)
      throw new Error(`${email}: no billing group named “${group}”; create it first (POST /api/v1/billing-groups).`);
    byGroup.set(id, [...(byGroup.get(id) ?? []), email]);
  }

  for (const [groupId, emails] of byGroup) {
    for (let start = 0; start < emails.length; start += MAX_PER_REQUEST) {
      const members = emails.slice(start, start + MAX_PER_REQUEST);
      // Same chunk, same key: a rerun replays the first answer instead of assigning again.
      const idempotencyKey = createHash("sha256")
        .update(`${groupId}\n${members.join("\n")}`)
        .digest("hex");
      const result = await call<Assignment>(
        "POST",
        `/api/v1/billing-groups/${groupId}/members`,
        { members },
        idempotencyKey,
      );
      console.log(`${result.billingGroup.name}: ${result.assigned} moved, ${result.unchanged} already there`);
    }
  }
}

await main(process.argv[2] ?? "hr-export.csv");
