// The cluster test's organization, written by the owner straight into the primary: billing groups
// with limits and alert thresholds, members with personal limits, statement recipients, a webhook
// endpoint for alerts and an API key (hash only, as the console stores it).
import { randomBytes } from "node:crypto";
import type postgres from "postgres";
import { createDatabase } from "../../../db/connection";
import { secretBoxKey, sealSecret } from "../../../lib/crypto/secret-box";
import { mintApiKey } from "../local-console";

export const MEMBERS_PER_GROUP = 6;
export const UNASSIGNED_MEMBERS = 3;
/**
 * Limits in hundredths of a Credit. Team 1 and the Unassigned members reach theirs within seconds
 * (refusals at the limit, every alert threshold); the others keep accepting for the whole run, so
 * recorded events keep flowing through the restarts.
 */
const GROUPS = [
  { name: "Team 1", periodLimit: 450_00n, personalLimit: 120_00n },
  { name: "Team 2", periodLimit: 40_000_00n, personalLimit: 10_000_00n },
  { name: "Team 3", periodLimit: null, personalLimit: 10_000_00n },
];
const UNASSIGNED_PERSONAL_LIMIT = 120_00n;

export type Fixture = {
  orgId: string;
  apiKey: string;
  memberEmails: string[];
  /** One per billing group and one for Unassigned: what a period close mails. */
  recipients: number;
  webhookSecret: string;
};

export async function createFixture(ownerUrl: string, encryptionKey: string, webhookUrl: string): Promise<Fixture> {
  const { db, client } = createDatabase(ownerUrl, { max: 1 });
  const sql: postgres.Sql = client;
  try {
    const [org] = await sql<{ id: string }[]>`insert into organizations (name) values ('Cluster test') returning id`;
    const orgId = org!.id;
    const memberEmails: string[] = [];
    const addMember = async (email: string, billingGroupId: string | null, personalLimit: bigint) => {
      await sql`
        insert into members (org_id, name, email, role, billing_group_id, personal_limit)
        values (${orgId}, ${email.split("@")[0]!}, ${email}, 'member', ${billingGroupId}, ${personalLimit.toString()})`;
      memberEmails.push(email);
    };
    const groupIds: string[] = [];
    for (const [g, group] of GROUPS.entries()) {
      const [row] = await sql<{ id: string }[]>`
        insert into billing_groups (org_id, name, period_limit)
        values (${orgId}, ${group.name}, ${group.periodLimit?.toString() ?? null}) returning id`;
      groupIds.push(row!.id);
      for (let m = 1; m <= MEMBERS_PER_GROUP; m++) {
        await addMember(`team${g + 1}-member${m}@cluster.example.com`, row!.id, group.personalLimit);
      }
    }
    for (let m = 1; m <= UNASSIGNED_MEMBERS; m++) {
      await addMember(`unassigned${m}@cluster.example.com`, null, UNASSIGNED_PERSONAL_LIMIT);
    }
    for (const [g, groupId] of [...groupIds, null].entries()) {
      await sql`
        insert into billing_group_recipients (org_id, billing_group_id, email)
        values (${orgId}, ${groupId}, ${`finance${g + 1}@cluster.example.com`})`;
    }
    const webhookSecret = `whsec_${randomBytes(24).toString("base64url")}`;
    const at = new Date().toISOString();
    await sql`
      insert into webhook_endpoints (org_id, url, event_types, secret_ciphertext, created_at, updated_at)
      values (${orgId}, ${webhookUrl}, ${sql.array(["threshold.crossed", "threshold.resolved", "forecast.exceeds"])},
              ${sealSecret(secretBoxKey(encryptionKey), webhookSecret)}, ${at}, ${at})`;
    const key = await mintApiKey(db, orgId, "Cluster test", "npm run test:cluster");
    return { orgId, apiKey: key.secret, memberEmails, recipients: groupIds.length + 1, webhookSecret };
  } finally {
    await client.end();
  }
}
