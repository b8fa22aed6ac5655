import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

const HISTORICAL_REASON = "Historical periods are read-only: switch to the current period to make changes.";

// Issue 13: the shared primitives behave the same on every screen.
test.describe("shared UI primitives", () => {
  test.beforeEach(async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
  });

  test("a dialog starts on its first field and gives focus back to what opened it (issue 18)", async ({ page }) => {
    const screen = new BillingGroupsPage(page);
    await screen.goto();
    const create = page.getByRole("button", { name: "Create", exact: true });
    await create.click();
    await expect(screen.dialog("Create billing group").getByLabel("Name")).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(create).toBeFocused();

    // Opened from a row's Actions menu, whose item is gone once the dialog closes: back to Actions.
    const actions = screen.row("Sales").getByRole("button", { name: "Actions" });
    await screen.rowAction("Sales", "Set Period Limit");
    const limit = screen.dialog("Set Period Limit for Sales");
    await expect(limit.getByLabel("Period Usage Limit")).toBeFocused();
    // A limit below what the group already used is allowed (R19), with a warning before Save.
    await limit.getByLabel("Period Usage Limit").fill("0.01");
    await expect(limit.getByRole("status")).toContainText("already used this period");
    await limit.getByLabel("Period Usage Limit").fill("");
    await expect(limit.getByRole("status")).toHaveCount(0);
    await limit.getByRole("button", { name: "Cancel" }).click();
    await expect(actions).toBeFocused();
    await screen.rowAction("Sales", "Edit");
    await page.keyboard.press("Escape");
    await expect(actions).toBeFocused();
  });

  test("the details drawer's tabs move with the arrow keys", async ({ page }) => {
    const screen = new BillingGroupsPage(page);
    await screen.goto();
    await screen.rowAction("Sales", "View details");
    const details = screen.dialog("Sales details");
    const detailsTab = details.getByRole("tab", { name: "Details" });
    const usageTab = details.getByRole("tab", { name: "Usage" });
    const recipientsTab = details.getByRole("tab", { name: "Recipients" });
    const alertsTab = details.getByRole("tab", { name: "Alerts" });
    const permissionsTab = details.getByRole("tab", { name: "Permissions" });
    await expect(detailsTab).toHaveAttribute("aria-selected", "true");
    await detailsTab.focus();
    await page.keyboard.press("ArrowRight");
    await expect(usageTab).toBeFocused();
    await expect(details.getByRole("tabpanel", { name: "Usage" })).toBeVisible();
    await page.keyboard.press("ArrowRight");
    await expect(recipientsTab).toBeFocused();
    await expect(details.getByRole("tabpanel", { name: "Recipients" })).toBeVisible();
    await page.keyboard.press("ArrowRight");
    await expect(alertsTab).toBeFocused();
    await expect(details.getByRole("tabpanel", { name: "Alerts" })).toBeVisible();
    await page.keyboard.press("ArrowRight");
    await expect(permissionsTab).toBeFocused();
    await expect(permissionsTab).toHaveAttribute("aria-selected", "true");
    await expect(details.getByRole("tabpanel", { name: "Permissions" })).toBeVisible();
    await expect(details.getByRole("table", { name: "Billing group viewers" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press("ArrowLeft");
    await expect(alertsTab).toBeFocused();
    await page.keyboard.press("Home");
    await expect(detailsTab).toBeFocused();
    await expect(details.getByRole("tabpanel", { name: "Details" })).toContainText("Period usage");
    await page.keyboard.press("End");
    await expect(permissionsTab).toBeFocused();
  });

  test("a disabled control's reason reaches keyboard and screen-reader users", async ({ page }) => {
    const screen = new BillingGroupsPage(page);
    await screen.goto();
    const period = page.getByRole("combobox", { name: "Period" });
    const oldest = await period.locator("option").nth(2).getAttribute("value");
    await period.selectOption(oldest!);
    await expect(page).toHaveURL(new RegExp(`period=${oldest}`));

    const create = page.getByRole("button", { name: "Create", exact: true });
    await expect(create).toBeDisabled();
    await expect(create).toHaveAccessibleDescription(HISTORICAL_REASON);
    // The disabled button takes no focus; Tab (from Export, before it in the header's actions)
    // lands on its wrapper, which shows the reason.
    await page.getByRole("button", { name: "Export", exact: true }).focus();
    await page.keyboard.press("Tab");
    await expect(page.getByRole("tooltip")).toHaveText(HISTORICAL_REASON);
    await expectNoSeriousA11yViolations(page);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("tooltip")).toHaveCount(0);

    // A disabled menu item is still reached with the arrow keys and says why.
    await screen.row("Engineering").getByRole("button", { name: "Actions" }).focus();
    await page.keyboard.press("Enter");
    const remove = page.getByRole("menuitem", { name: "Delete" });
    await page.keyboard.press("End");
    await expect(remove).toBeFocused();
    await expect(remove).toBeDisabled();
    await expect(remove).toHaveAccessibleDescription(HISTORICAL_REASON);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("dialog")).toHaveCount(0);
  });

  test("Remove and Revoke ask first; Cancel changes nothing", async ({ page }) => {
    // A group member's Remove.
    await page.goto("/groups");
    await page.getByRole("table", { name: "Groups" }).getByRole("link", { name: "Platform Team" }).click();
    const members = page.getByRole("table", { name: "Group members" });
    const rows = members.getByRole("row");
    await expect(rows.nth(1)).toBeVisible();
    const before = await rows.count();
    expect(before).toBeGreaterThan(1);
    const first = rows.nth(1);
    const email = (await first.getByRole("cell").nth(1).innerText()).trim();
    await first.getByRole("button", { name: "Remove" }).click();
    const confirm = page.getByRole("dialog", { name: /^Remove .* from Platform Team\?$/ });
    await expect(confirm).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(confirm).toBeHidden();
    await page.reload();
    await expect(rows).toHaveCount(before);
    await expect(members.getByRole("row").filter({ hasText: email })).toHaveCount(1);

    // A billing group member's Remove in the details drawer.
    const screen = new BillingGroupsPage(page);
    await screen.goto();
    await screen.rowAction("Engineering", "View details");
    const details = screen.dialog("Engineering details");
    const inGroup = details.getByRole("table", { name: "Billing group members" }).getByRole("row");
    await expect(inGroup.nth(1)).toBeVisible();
    const count = await inGroup.count();
    await inGroup.nth(1).getByRole("button", { name: "Remove" }).click();
    const ask = page.getByRole("dialog", { name: /^Remove .* from Engineering\?$/ });
    await expect(ask).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(ask).toBeHidden();
    await expect(details).toBeVisible();
    await expect(inGroup).toHaveCount(count);

    // An API key's Revoke.
    await page.goto("/api-keys");
    const name = `E2E keep ${Math.random().toString(36).slice(2, 8)}`;
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name").fill(name);
    await create.getByRole("button", { name: "Create", exact: true }).click();
    await page.getByRole("dialog", { name: "API key created" }).getByRole("button", { name: "Done" }).click();
    const key = page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: name });
    await key.getByRole("button", { name: "Revoke" }).click();
    const revoke = page.getByRole("dialog", { name: "Revoke API key" });
    await revoke.getByRole("button", { name: "Cancel" }).click();
    await expect(revoke).toBeHidden();
    await page.reload();
    await expect(key).toContainText("Active");
  });

  test("a successful save is confirmed in a toast", async ({ page }) => {
    await page.goto("/groups");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const create = page.getByRole("dialog", { name: "Create group" });
    const name = `E2E Toast ${Math.random().toString(36).slice(2, 8)}`;
    await create.getByLabel("Name").fill(name);
    await create.getByRole("button", { name: "Create" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    const messages = page.getByRole("region", { name: /^Messages/ });
    await expect(messages.getByText("Group created.")).toBeVisible();

    await page.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit group" });
    await edit.getByLabel("Description").fill("Saved through the one mutation hook");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    await expect(messages.getByText("Group saved.")).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  });

  test("a toast offers View to what a change made, and the changed row lights up for a moment", async ({ page }) => {
    const screen = new BillingGroupsPage(page);
    await screen.goto();
    await screen.rowAction("Sales", "Set Period Limit");
    const dialog = screen.dialog("Set Period Limit for Sales");
    const limit = dialog.getByLabel("Period Usage Limit");
    await limit.fill(await limit.inputValue());
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    const messages = page.getByRole("region", { name: /^Messages/ });
    await expect(messages.getByText("Period limit saved.")).toBeVisible();
    await expect(screen.row("Sales")).toHaveAttribute("data-changed", "true");
    // Only for a moment.
    await expect(screen.row("Sales")).not.toHaveAttribute("data-changed", "true", { timeout: 6_000 });

    await page.goto("/members");
    await page.getByRole("button", { name: "Add Member", exact: true }).click();
    const add = page.getByRole("dialog", { name: "Add member" });
    const tag = Math.random().toString(36).slice(2, 8);
    await add.getByLabel("Name").fill(`Toast View ${tag}`);
    await add.getByLabel("Email").fill(`toast-view-${tag}@example.test`);
    await add.getByRole("button", { name: "Add Member" }).click();
    await expect(add).toBeHidden();
    const toast = messages.getByRole("listitem").filter({ hasText: `Toast View ${tag} added.` });
    await toast.getByRole("button", { name: "View" }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Toast View ${tag}` })).toBeVisible();
  });

  test("the details drawer carries the group's own actions: Edit and Set Period Limit", async ({ page }) => {
    const screen = new BillingGroupsPage(page);
    await screen.goto();
    await screen.rowAction("Sales", "View details");
    const details = screen.dialog("Sales details");
    await details.getByRole("button", { name: "Set Period Limit" }).click();
    const dialog = screen.dialog("Set Period Limit for Sales");
    await expect(dialog.getByLabel("Period Usage Limit")).toBeFocused();
    await page.keyboard.press("Escape");
    await screen.rowAction("Sales", "View details");
    await screen.dialog("Sales details").getByRole("button", { name: "Edit" }).click();
    await expect(screen.dialog("Edit Sales").getByLabel("Name")).toHaveValue("Sales");
  });
});
