import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// Issue 18: the console follows the system's dark setting, and stays axe-clean (contrast included)
// in it, on every screen and in the drawers and dialogs people spend time in.

test.use({ colorScheme: "dark" });

test("dark mode: every screen is dark and passes axe", async ({ page }) => {
  test.setTimeout(150_000);
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  // slate-950 under the dark theme, not the light slate-50.
  expect(await background()).not.toMatch(/oklch\(0\.98|rgb\(248, 250, 252\)/);
  await expect(page.locator("html")).toHaveCSS("color-scheme", "dark");

  for (const path of ["/", "/members", "/groups", "/billing-groups", "/api-keys", "/audit-log", "/webhooks"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
  }

  // A historical notice, a drawer with charts, a dialog.
  const screen = new BillingGroupsPage(page);
  const period = page.getByLabel("Period");
  await screen.goto();
  const previous = await period.locator("option").nth(1).getAttribute("value");
  await period.selectOption(previous!);
  await expect(page.getByRole("status").filter({ hasText: "Back to current period" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await screen.goto();
  await screen.rowAction("Engineering", "View details");
  const details = screen.dialog("Engineering details");
  await details.getByRole("tab", { name: "Usage" }).click();
  await expect(details.getByRole("figure", { name: /Usage by period/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await screen.rowAction("Engineering", "Set Period Limit");
  await expect(screen.dialog("Set Period Limit for Engineering")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
