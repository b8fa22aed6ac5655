import { expect, type Locator, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R40: the Alerts tab of a billing group's details drawer — edit the thresholds, a refused value
// keeps what was typed, read-only in a historical period. Delivery of the alerts is other specs'.

const HISTORICAL_REASON = "Historical periods are read-only: switch to the current period to make changes.";
// A group of its own per run, so no other flow's group changes (and E2E_BASE_URL runs stay clean).
const group = `Alerts ${Math.random().toString(36).slice(2, 8)}`;

test.beforeEach(async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
});

async function openAlerts(screen: BillingGroupsPage, name: string): Promise<Locator> {
  await screen.row(name).getByRole("button", { name, exact: true }).click();
  const drawer = screen.dialog(`${name} details`);
  await drawer.getByRole("tab", { name: "Alerts" }).click();
  await expect(drawer.getByRole("textbox", { name: "Thresholds" })).toBeVisible();
  return drawer;
}

test("admin edits a group's alert thresholds; a bad value is refused with the text kept", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const create = screen.dialog("Create billing group");
  await create.getByLabel("Name").fill(group);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create).toBeHidden();
  await screen.closeCreatedDetails(group);

  let drawer = await openAlerts(screen, group);
  const field = drawer.getByRole("textbox", { name: "Thresholds" });
  await expect(field).toHaveValue("75, 90, 100");
  await expect(drawer.getByText("1 to 5 percents of the period limit, e.g. 75, 90, 100")).toBeVisible();
  await expect(drawer.getByText("Alerts start once the group has a period limit.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await field.fill("80, 50");
  await drawer.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(`Alert thresholds saved for ${group}.`)).toBeVisible();
  await expect(field).toHaveValue("50, 80");

  await field.fill("0, 150");
  await drawer.getByRole("button", { name: "Save" }).click();
  await expect(drawer.getByText(/whole number from 1 to 100/)).toBeVisible();
  await expect(field).toHaveValue("0, 150");
  await expect(field).toHaveAttribute("aria-invalid", "true");

  await page.reload();
  await expect(screen.table()).toBeVisible();
  drawer = await openAlerts(screen, group);
  await expect(drawer.getByRole("textbox", { name: "Thresholds" })).toHaveValue("50, 80");
});

test("the Alerts tab is read-only in a historical period", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  const period = page.getByLabel("Period");
  const previous = await period.locator("option").nth(1).getAttribute("value");
  await period.selectOption(previous!);
  await expect(page).toHaveURL(new RegExp(`period=${previous}`));
  const drawer = await openAlerts(screen, "Sales");
  await expect(drawer.getByRole("textbox", { name: "Thresholds" })).toBeDisabled();
  const save = drawer.getByRole("button", { name: "Save" });
  await expect(save).toBeDisabled();
  await expect(save).toHaveAttribute("title", HISTORICAL_REASON);
});
