import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startWebhookReceiver, type WebhookReceiver } from "../lib/webhooks/receiver";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R41: the Webhooks page. The server under test runs with LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE=true,
// so an endpoint on this machine's loopback over plain http may be added. The receiver answers 204;
// the server's job worker delivers the test ping to it, signed with the secret the page showed.

test.describe("Webhooks (R41)", () => {
  let receiver: WebhookReceiver;

  test.beforeAll(async () => {
    receiver = await startWebhookReceiver({});
  });

  test.afterAll(async () => {
    await receiver?.close();
  });

  test("an admin adds an endpoint, sees its secret once, sends a test event, disables, enables and deletes it", async ({
    page,
  }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const url = `${receiver.url}/${randomUUID().slice(0, 8)}`;
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const addDialog = page.getByRole("dialog", { name: "Add endpoint" });
    await addDialog.getByLabel("URL").fill(url);
    // Every event type is chosen by default.
    for (const type of ["threshold.crossed", "threshold.resolved", "forecast.exceeds"]) {
      await expect(addDialog.getByRole("checkbox", { name: new RegExp(type.replace(".", "\\.")) })).toBeChecked();
    }
    await expectNoSeriousA11yViolations(page);
    await addDialog.getByRole("button", { name: "Create", exact: true }).click();

    const shown = page.getByRole("dialog", { name: "Webhook endpoint added" });
    const secretField = shown.getByRole("textbox", { name: "Signing secret" });
    await expect(secretField).toHaveValue(/^whsec_[A-Za-z0-9_-]{43}$/);
    await expect(secretField).toHaveAttribute("readonly", "");
    await expect(shown.getByRole("button", { name: "Copy" })).toBeVisible();
    await expect(shown).toContainText("It will not be shown again.");
    const secret = await secretField.inputValue();
    receiver.setSecret(secret);
    await shown.getByRole("button", { name: "Done" }).click();

    // Shown once: the list never shows it.
    const table = page.getByRole("table", { name: "Webhook endpoints" });
    const row = table.getByRole("row").filter({ hasText: url });
    await expect(row).toContainText("threshold.crossed, threshold.resolved, forecast.exceeds");
    await expect(row).toContainText("Enabled");
    await expect(row).toContainText("None yet");
    await expect(page.getByText(secret)).toHaveCount(0);

    // Send Test Event: the delivery log opens with the ping (queued, or sent once an engine runs).
    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Send Test Event" }).click();
    const drawer = page.getByRole("dialog", { name: "Deliveries" });
    const deliveries = drawer.getByRole("table", { name: "Deliveries" });
    const ping = deliveries.getByRole("row").filter({ hasText: "ping" });
    await expect(ping).toHaveCount(1);
    // The worker sends it: the receiver gets a signed ping, and the log says it succeeded with 204.
    const pings = () => receiver.received.filter((r) => r.body?.type === "ping");
    await expect.poll(() => pings().length, { timeout: 30_000 }).toBe(1);
    expect(pings()[0]!.verified).toBe(true);
    await expect(ping).toContainText("succeeded", { timeout: 15_000 });
    await expect(ping).toContainText("204");
    await expect(ping.getByRole("button", { name: "Resend" })).toBeVisible();
    await ping.getByRole("button", { name: "Attempts" }).click();
    await expect(ping.getByRole("button", { name: "Attempts" })).toHaveAttribute("aria-expanded", "true");
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(row).not.toContainText("None yet");

    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Disable" }).click();
    await expect(row).toContainText("Disabled");
    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Enable" }).click();
    await expect(row).toContainText("Enabled");

    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete webhook endpoint" });
    await expect(confirm).toContainText(url);
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toHaveCount(0);
  });

  test("a billing admin sees no Webhooks link and cannot open the page", async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.billingAdmin);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
    const response = await page.goto("/webhooks");
    expect(response?.status()).toBe(403);
  });
});
