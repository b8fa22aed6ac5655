import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R41: the Webhooks page. The server under test runs with LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE=true,
// so an endpoint on this machine's loopback over plain http may be added. A receiver answers 204
// to whatever reaches it: with a delivery engine running the test ping is sent to it, without one
// it stays queued, and the log shows the `ping` delivery either way.

test.describe("Webhooks (R41)", () => {
  let receiver: Server;
  let port: number;

  test.beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    port = (receiver.address() as AddressInfo).port;
  });

  test.afterAll(async () => {
    await new Promise((resolve) => receiver.close(resolve));
  });

  test("an admin adds an endpoint, sees its secret once, sends a test event, disables, enables and deletes it", async ({
    page,
  }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const url = `http://127.0.0.1:${port}/hooks/${randomUUID().slice(0, 8)}`;
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
    await expect(ping).toContainText(/queued|retrying|succeeded/);
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
