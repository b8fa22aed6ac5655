import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { MembersPage } from "./pages/members-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R42: a billing group's Default Personal Limit, set in the Edit form, applies to its members
// without a limit of their own; the Members table and the member's page say it is the group default.
// The flow makes its own group and member, so the demo groups other specs rely on keep no default.
test("an admin sets a Default Personal Limit; members without their own limit inherit it, marked as such", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const tag = randomUUID().slice(0, 8);
  const groupName = `Default Limit ${tag}`;
  const personName = `Inherits ${tag}`;
  const email = `e2e-inherits-${tag}@example.test`;
  await new SignInPage(page).signInAs(ACCOUNTS.admin);

  // A new billing group, without a default yet: the Create form has the field, empty.
  const groups = new BillingGroupsPage(page);
  await groups.goto();
  await expect(page.getByRole("heading", { level: 1, name: "Billing Groups" })).toBeVisible();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  let dialog = groups.dialog("Create billing group");
  await expect(dialog.getByLabel("Default Personal Limit")).toHaveValue("");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Name").fill(groupName);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  await groups.closeCreatedDetails(groupName);
  await expect(groups.row(groupName)).toBeVisible();

  // A member of that group without a personal limit of their own cannot use Credits yet.
  const members = new MembersPage(page);
  await members.goto();
  await members.addMember({ name: personName, email, billingGroup: groupName });
  await members.search(email);
  await expect(members.row(email)).toContainText("Not configured");

  // Edit: a bad value is refused inline and kept; then 100 Credits.
  await groups.goto();
  await expect(page.getByRole("heading", { level: 1, name: "Billing Groups" })).toBeVisible();
  await groups.rowAction(groupName, "Edit");
  dialog = groups.dialog(`Edit ${groupName}`);
  const field = dialog.getByLabel("Default Personal Limit");
  await field.fill("-5");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("Enter 0 or more Credits, or leave it empty for no default.")).toBeVisible();
  await expect(field).toHaveValue("-5");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousA11yViolations(page);
  await field.fill("100");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();

  // The details drawer's Details tab shows the default, and the member inherits it.
  await groups.row(groupName).getByRole("button", { name: groupName }).click();
  dialog = groups.dialog(`${groupName} details`);
  await expect(dialog.getByRole("region", { name: "Default Personal Limit" })).toContainText(
    "100.00 Credits per period for each member without a personal usage limit of their own.",
  );
  const drawerRow = dialog
    .getByRole("table", { name: "Billing group members" })
    .getByRole("row")
    .filter({ hasText: email });
  await expect(drawerRow).toContainText("100.00 (group default)");
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // The Members table: the inherited limit, marked for sighted users and described for screen readers.
  await members.goto();
  await members.search(email);
  const row = members.row(email);
  const limitCell = row.getByRole("cell").nth(5);
  await expect(limitCell).toHaveText("100.00 (group default)");
  await expect(limitCell.locator("[aria-describedby]")).toHaveAccessibleDescription(
    /billing group's Default Personal Limit, because this member has no personal usage limit of their own/,
  );
  await expectNoSeriousA11yViolations(page);

  // The member's page says which limit applies and where it comes from.
  await row.getByRole("link", { name: personName }).click();
  await expect(page.getByRole("heading", { level: 1, name: personName })).toBeVisible();
  const limitRegion = page.getByRole("region", { name: "Personal usage limit" });
  await expect(limitRegion).toContainText("Credits of 100.00 (group default)");
  await expect(limitRegion).toContainText(
    `Limit source: billing group default: the Default Personal Limit of ${groupName}`,
  );
  await expect(limitRegion.getByRole("status")).toHaveText(`Can use Credits now: 100.00 Credits left personally.`);
  await expect(limitRegion.getByLabel("Personal Usage Limit")).toHaveValue("");
  await expectNoSeriousA11yViolations(page);
});
