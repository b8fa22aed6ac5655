import { randomUUID } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "../lib/webhooks/receiver";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { SignInPage } from "./pages/sign-in-page";
import { createAccount, e2eDb } from "./support/db";

// R40 + R41 from end to end, the way an admin meets them: a group limit of 10 Credits with one
// 50 % threshold, set in the browser; a webhook endpoint added on the Webhooks page; 6 Credits
// metered through the API. The bell then shows the notification, and the endpoint (a real HTTP
// server in this spec, reached by the server's own job worker) receives `threshold.crossed`
// signed with the secret the page showed once. A receiver that answers 500 first shows the retry
// in the delivery log, and Resend delivers the same event id again.

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver({});
});
test.afterAll(async () => {
  await receiver?.close();
});

async function addEndpoint(page: Page, url: string): Promise<string> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  await dialog.getByLabel("URL").fill(url);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const secret = await page
    .getByRole("dialog", { name: "Webhook endpoint added" })
    .getByRole("textbox", { name: "Signing secret" })
    .inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** A key for the metering service, created (and audited) on the API Keys page; its secret shown once. */
async function createApiKey(page: Page, name: string): Promise<string> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" }).click();
  // The page before has a `Create` button too: press this page's, once it is here.
  await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const secret = await page
    .getByRole("dialog", { name: "API key created" })
    .getByRole("textbox", { name: "API key" })
    .inputValue();
  await page.getByRole("button", { name: "Done" }).click();
  return secret;
}

/** The deliveries of `type` for the group, as the receiver got them. */
function deliveriesFor(type: string, groupName: string): ReceivedWebhook[] {
  return receiver.received.filter(
    (r) => r.body?.type === type && (r.body.data?.billingGroup as { name?: string } | undefined)?.name === groupName,
  );
}

test("limit 10, threshold 50 %, 6 Credits metered: the bell shows it and a signed threshold.crossed arrives, retried after a 500", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const tag = randomUUID().slice(0, 8);
  const groupName = `Alerting ${tag}`;
  const admin = await createAccount("admin");
  await new SignInPage(page).signInAs(admin);

  // The endpoint, its secret shown once. Its first answer is a 500, then 204s.
  const endpointUrl = `${receiver.url}/${tag}`;
  const secret = await addEndpoint(page, endpointUrl);
  receiver.setSecret(secret);
  let failedOnce = false;
  receiver.setResponder((request) => {
    const ours = request.body?.type === "threshold.crossed" && request.rawBody.includes(groupName);
    if (ours && !failedOnce) {
      failedOnce = true;
      return { status: 500 };
    }
    return { status: 204 };
  });

  // The group, its limit of 10 and its one threshold of 50 %, in the browser.
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const create = screen.dialog("Create billing group");
  await create.getByLabel("Name").fill(groupName);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create).toBeHidden();
  await screen.closeCreatedDetails(groupName);
  await screen.rowAction(groupName, "Set Period Limit");
  const limit = screen.dialog(`Set Period Limit for ${groupName}`);
  await limit.getByLabel("Period Usage Limit").fill("10");
  await limit.getByRole("button", { name: "Save" }).click();
  await expect(limit).toBeHidden();
  await screen.row(groupName).getByRole("button", { name: groupName, exact: true }).click();
  const drawer = screen.dialog(`${groupName} details`);
  await drawer.getByRole("tab", { name: "Alerts" }).click();
  await drawer.getByRole("textbox", { name: "Thresholds" }).fill("50");
  await drawer.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Alert thresholds saved for ${groupName}.`)).toBeVisible();
  await page.keyboard.press("Escape");

  // A member of the group, and a service metering 6 Credits for them.
  const db = e2eDb();
  const email = `alerted-${tag}@example.test`;
  const [group] = await db<{ id: string }[]>`
    select id from billing_groups where org_id = ${admin.orgId} and name = ${groupName} and deleted_at is null`;
  await db`insert into members (org_id, name, email, personal_limit, billing_group_id)
           values (${admin.orgId}, ${`Alerted ${tag}`}, ${email}, 10000, ${group!.id})`;
  const apiKey = await createApiKey(page, `Alerts ${tag}`);
  const metered = await request.post("/api/v1/usage", {
    headers: { Authorization: `Bearer ${apiKey}` },
    data: { member: email, credits: "6", idempotencyKey: randomUUID() },
  });
  expect(metered.status()).toBe(201);

  // The bell: one unread notification (this admin is new), saying what happened.
  await page.reload();
  const bell = page.getByRole("button", { name: "Notifications", exact: true });
  await expect(bell).toHaveAccessibleDescription("1 unread");
  await expect(page.getByTestId("notifications-badge")).toHaveText("1");
  await bell.click();
  const item = page
    .getByRole("dialog", { name: "Notifications" })
    .getByRole("list", { name: "Notifications" })
    .getByRole("listitem")
    .filter({ hasText: `${groupName} reached 50% of its period limit` });
  await expect(item).toContainText("6 of 10 Credits used");
  await page.keyboard.press("Escape");

  // The webhook: refused once with a 500 (the log shows the retry), then Resend delivers the same
  // event again, signed with the secret shown once.
  await expect.poll(() => deliveriesFor("threshold.crossed", groupName).length, { timeout: 30_000 }).toBe(1);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  const endpointRow = page
    .getByRole("table", { name: "Webhook endpoints" })
    .getByRole("row")
    .filter({ hasText: endpointUrl });
  await endpointRow.getByRole("button", { name: "Deliveries" }).click();
  const log = page.getByRole("dialog", { name: "Deliveries" }).getByRole("table", { name: "Deliveries" });
  const crossed = log.getByRole("row").filter({ hasText: "threshold.crossed" }).first();
  await expect(crossed).toContainText("retrying");
  await expect(crossed).toContainText("500");
  await crossed.getByRole("button", { name: "Resend" }).click();
  await expect.poll(() => deliveriesFor("threshold.crossed", groupName).length, { timeout: 30_000 }).toBe(2);
  await expect(crossed).toContainText("succeeded", { timeout: 15_000 });

  const [first, second] = deliveriesFor("threshold.crossed", groupName);
  for (const delivery of [first!, second!]) {
    expect(delivery.verified).toBe(true);
    expect(delivery.eventId).toBe(first!.body!.id);
    expect(delivery.body).toMatchObject({
      type: "threshold.crossed",
      data: { billingGroup: { id: group!.id, name: groupName }, threshold: 50, used: "6", limit: "10" },
    });
  }
  expect(second!.rawBody).toBe(first!.rawBody);
});
