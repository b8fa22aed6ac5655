import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

test.describe("API keys (R29, R30)", () => {
  test("an admin creates a key shown once, meters usage with it, then revokes it", async ({ page, request }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" }).click();
    await expect(page).toHaveURL(/\/api-keys$/);
    await expect(page.getByRole("heading", { level: 1, name: "API Keys" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const name = `E2E meter ${randomUUID().slice(0, 8)}`;
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const createDialog = page.getByRole("dialog", { name: "Create API key" });
    await createDialog.getByLabel("Name").fill(name);
    // R44: metering and reading by default; `admin` only when asked for, and at least one scope.
    const scopes = createDialog.getByRole("group", { name: "Scopes" });
    await expect(scopes.getByRole("checkbox", { name: "usage", exact: true })).toBeChecked();
    await expect(scopes.getByRole("checkbox", { name: "read", exact: true })).toBeChecked();
    await expect(scopes.getByRole("checkbox", { name: "admin", exact: true })).not.toBeChecked();
    await expect(scopes.getByRole("checkbox", { name: "admin", exact: true })).toHaveAccessibleDescription(
      /Manage billing groups, assignments and limits/,
    );
    await scopes.getByRole("checkbox", { name: "usage", exact: true }).uncheck();
    await scopes.getByRole("checkbox", { name: "read", exact: true }).uncheck();
    await createDialog.getByRole("button", { name: "Create", exact: true }).click();
    await expect(scopes).toContainText("Choose at least one scope.");
    await expect(createDialog.getByLabel("Name")).toHaveValue(name);
    await expect(page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: name })).toHaveCount(
      0,
    );
    await scopes.getByRole("checkbox", { name: "usage", exact: true }).check();
    await scopes.getByRole("checkbox", { name: "read", exact: true }).check();
    await createDialog.getByRole("button", { name: "Create", exact: true }).click();

    const shown = page.getByRole("dialog", { name: "API key created" });
    const secretField = shown.getByRole("textbox", { name: "API key" });
    await expect(secretField).toHaveValue(/^ll_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    await expect(secretField).toHaveAttribute("readonly", "");
    await expect(shown.getByRole("button", { name: "Copy" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    const secret = await secretField.inputValue();
    await shown.getByRole("button", { name: "Done" }).click();

    // Shown once: the list shows only the prefix, never the secret.
    const table = page.getByRole("table", { name: "API keys" });
    const row = table.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText(secret.slice(0, 11));
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(row).toContainText("Active");
    await expect(row).toContainText("usage, read");

    const event = () => ({ member: ACCOUNTS.member.email, credits: "0.01", idempotencyKey: randomUUID() });
    const accepted = await request.post("/api/v1/usage", {
      headers: { Authorization: `Bearer ${secret}` },
      data: event(),
    });
    expect(accepted.status()).toBe(201);
    expect(await accepted.json()).toMatchObject({ credits: "0.01", member: { email: ACCOUNTS.member.email } });

    await page.reload();
    await expect(row).not.toContainText("Never");

    await row.getByRole("button", { name: "Revoke" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke API key" });
    await expect(confirm).toContainText(name);
    await confirm.getByRole("button", { name: "Revoke" }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);

    const refused = await request.post("/api/v1/usage", {
      headers: { Authorization: `Bearer ${secret}` },
      data: event(),
    });
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "unauthorized" });
  });

  test("a billing admin cannot open the API Keys screen", async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.billingAdmin);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" })).toHaveCount(0);
    const response = await page.goto("/api-keys");
    expect(response?.status()).toBe(403);
  });
});
