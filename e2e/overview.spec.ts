import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// Issue 18: the overview's figures lead to the screen that shows what each one counts.
test("overview cards are links to the filtered screens", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  await page.goto("/");
  const cards = page.getByRole("list", { name: "This period at a glance" });
  await expect(cards.getByRole("link")).toHaveCount(5);
  await expectNoSeriousA11yViolations(page);

  await cards.getByRole("link", { name: /^Unassigned members \d+$/ }).click();
  await expect(page).toHaveURL(/\/members\?billingGroup=unassigned$/);
  await expect(page.getByRole("search", { name: "Filter members" }).getByLabel("Billing Group")).toHaveValue(
    "unassigned",
  );

  await page.goto("/");
  await cards.getByRole("link", { name: /^Members without a personal limit \d+$/ }).click();
  await expect(page).toHaveURL(/\/members\?limit=none$/);
  await expect(page.getByLabel("Limit not configured")).toBeChecked();

  await page.goto("/");
  await cards.getByRole("link", { name: /^Period usage \(Credits\)/ }).click();
  await expect(page).toHaveURL(/\/billing-groups\?sort=usage&dir=desc$/);
  await expect(
    page.getByRole("table", { name: "Billing groups" }).getByRole("columnheader", { name: "Period Usage" }),
  ).toHaveAttribute("aria-sort", "descending");
});
