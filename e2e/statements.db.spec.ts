import { expect, test } from "@playwright/test";
import { startSmtpSink, type SmtpSink } from "../lib/mail/sink";
import { E2E_SMTP_PORT } from "../playwright.config";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { demoOrgId, e2eDb } from "./support/db";

// R39 in the browser: an admin adds two recipients to a billing group, then presses
// `Send Statement` for last period; the server's worker hands two emails to the SMTP sink this spec
// runs, each with the group's CSV attached exactly as Download CSV serves it.

function periodOf(date: Date) {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

let sink: SmtpSink;
test.beforeAll(async () => {
  sink = await startSmtpSink({ port: E2E_SMTP_PORT });
});
test.afterAll(async () => {
  await sink?.close();
});

/** Gives the demo org's billing group `name` two members with usage last period (as the metering API would have). */
async function giveLastPeriodUsage(name: string, tag: string, lastPeriod: string) {
  const db = e2eDb();
  const orgId = await demoOrgId();
  const [group] = await db<{ id: string }[]>`select id from billing_groups where org_id = ${orgId} and name = ${name}`;
  const people = await db<{ id: string }[]>`
    insert into members (org_id, name, email, billing_group_id)
    values (${orgId}, ${`Ada ${tag}`}, ${`ada-${tag}@example.test`}, ${group!.id}),
           (${orgId}, ${`=Bob ${tag}`}, ${`bob-${tag}@example.test`}, ${group!.id})
    returning id`;
  await db`
    insert into member_group_period_usage (org_id, period, member_id, billing_group_id, credits, event_count)
    values (${orgId}, ${lastPeriod}, ${people[0]!.id}, ${group!.id}, 1250, 1),
           (${orgId}, ${lastPeriod}, ${people[1]!.id}, ${group!.id}, 5, 1)`;
  // The group's own rollup agrees with its members' (as ingestion keeps it), so last period's list
  // shows the group, which had usage then although it was created since (issue 18's history).
  await db`
    insert into group_period_usage (org_id, period, billing_group_id, credits)
    values (${orgId}, ${lastPeriod}, ${group!.id}, 1255)`;
  return group!.id;
}

test("Send Statement: two recipients each get last period's statement with the Download CSV attached", async ({
  page,
}) => {
  const now = new Date();
  const current = periodOf(now);
  const last = periodOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)));
  const tag = Math.random().toString(36).slice(2, 8);
  const group = { name: `Statements ${tag}`, id: "" };
  const recipients = [`finance-${tag}@example.com`, `controller-${tag}@example.com`];

  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const billingGroups = new BillingGroupsPage(page);

  // Current period: a new billing group (which had usage last period), and its recipients;
  // Send Statement waits for the period to close.
  await billingGroups.goto(`?period=${current}`);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const create = billingGroups.dialog("Create billing group");
  await create.getByLabel("Name").fill(group.name);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create).toBeHidden();
  await billingGroups.closeCreatedDetails(group.name);
  group.id = await giveLastPeriodUsage(group.name, tag, last);
  await billingGroups.goto(`?period=${current}`);
  await billingGroups.rowAction(group.name, "View details");
  let details = billingGroups.dialog(`${group.name} details`);
  await details.getByRole("tab", { name: "Recipients" }).click();
  for (const email of recipients) {
    await details.getByLabel("Email", { exact: true }).fill(email);
    await details.getByRole("button", { name: "Add Recipient" }).click();
    await expect(
      details.getByRole("table", { name: "Recipients" }).getByRole("row").filter({ hasText: email }),
    ).toBeVisible();
  }
  await expect(details.getByRole("button", { name: "Send Statement" })).toBeDisabled();
  await page.keyboard.press("Escape");

  // Last period: Send Statement.
  await billingGroups.goto(`?period=${last}`);
  await billingGroups.rowAction(group.name, "View details");
  details = billingGroups.dialog(`${group.name} details`);
  await details.getByRole("tab", { name: "Recipients" }).click();
  await expect(details.getByRole("button", { name: "Add Recipient" })).toBeDisabled();
  await details.getByRole("button", { name: "Send Statement" }).click();
  await expect(page.getByRole("region", { name: "Messages" })).toContainText("queued for 2 recipients");

  // The worker's own close of last period may mail other groups' recipients to the same sink
  // first (the demo org has some), so wait for this group's two, not for any two.
  const ours = () => sink.messages.filter((m) => recipients.includes(m.envelope.to[0] ?? ""));
  await expect.poll(() => ours().length, { timeout: 45_000 }).toBe(2);
  const messages = ours();
  expect(messages.map((m) => m.envelope.to[0]).sort()).toEqual([...recipients].sort());
  const download = await page.request.get(
    `/api/export/billing-group-bills?period=${last}&billingGroup=${encodeURIComponent(group.id)}`,
  );
  expect(download.ok()).toBe(true);
  const csv = Buffer.from(await download.body());
  const fileName = /filename="([^"]+)"/.exec(download.headers()["content-disposition"] ?? "")?.[1];
  for (const message of messages) {
    expect(message.subject).toBe(`Ledgerline statement: ${group.name}, ${last}`);
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]!.filename).toBe(fileName);
    expect(message.attachments[0]!.content.equals(csv)).toBe(true);
    expect(message.text).toContain("Total Credits: 12.55");
  }

  // The delivery log shows both as sent.
  const log = details.getByRole("table", { name: "Statement deliveries" });
  for (const email of recipients) {
    await expect(log.getByRole("row").filter({ hasText: email })).toContainText("sent", { timeout: 20_000 });
  }
});
