import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { SignInPage } from "./pages/sign-in-page";
import { createPagedOrg } from "./support/db";

// Issue 8: lists that outgrow one screen. R10/R14: Unassigned stays the first row of the list on
// every page, sorting covers the whole list; R15: a large group's details show a bounded slice
// with the full counts and a way to every member.
test("a 60-group org pages the Billing Groups list and bounds a 120-member group's details", async ({ page }) => {
  const org = await createPagedOrg();
  await new SignInPage(page).signInAs(org);
  const groups = new BillingGroupsPage(page);
  await groups.goto();

  const rows = groups.table().getByRole("row");
  await expect(rows).toHaveCount(1 + 1 + 25); // header, Unassigned, one page of groups
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("Unassigned");
  await expect(groups.row("Big Group")).toBeVisible();
  const pagination = page.getByRole("navigation", { name: "Pagination" });
  await expect(pagination).toContainText("1–25 of 60 billing groups");

  await pagination.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(pagination).toContainText("26–50 of 60 billing groups");
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("Unassigned");
  await pagination.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=3/);
  await expect(pagination).toContainText("51–60 of 60 billing groups");
  await expect(rows).toHaveCount(1 + 1 + 10);
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("Unassigned");
  await expect(groups.row("Cost Center 59")).toBeVisible();

  // Sorting by Members (most first) orders the whole list and starts again from its first page.
  await groups
    .table()
    .getByRole("link", { name: /Members/ })
    .click();
  await expect(page).not.toHaveURL(/page=3/);
  await expect(pagination).toContainText("1–25 of 60 billing groups");
  await expect(rows.nth(1).getByRole("rowheader")).toHaveText("Unassigned");
  await expect(rows.nth(2).getByRole("rowheader")).toHaveText("Big Group");

  // Details: the first 100 members by name, the full count, and the way to all of them.
  await groups.rowAction("Big Group", "View details");
  const details = groups.dialog("Big Group details");
  await expect(details.getByRole("heading", { name: "Members (120)" })).toBeVisible();
  await expect(details.getByText("Showing the first 100 of 120 members, by name.")).toBeVisible();
  await expect(details.getByRole("table", { name: "Billing group members" }).getByRole("row")).toHaveCount(1 + 100);
  await expect(details.getByText("Showing the first 100 of 120 members with usage, most Credits first.")).toBeVisible();
  await details.getByRole("link", { name: "Open all 120 in Members" }).click();
  await expect(page).toHaveURL(new RegExp(`/members\\?billingGroup=${org.bigGroupId}`));
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("1–50 of 120 members");

  // Member search (through the trigram-indexed search function) finds by name and by email.
  await page.getByRole("searchbox", { name: "Search" }).fill("Person 11");
  await expect(page).toHaveURL(/q=Person\+11|q=Person%2011/);
  await expect(page.getByRole("table", { name: "Members" }).getByRole("row")).toHaveCount(1 + 10); // Person 110–119
  await page.getByRole("searchbox", { name: "Search" }).fill("person7-");
  await expect(page.getByRole("table", { name: "Members" }).getByRole("row")).toHaveCount(1 + 1);
  await expect(page.getByRole("table", { name: "Members" })).toContainText("Person 007");
});
