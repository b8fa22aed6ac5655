import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R46: the Billing Groups and Groups lists have a `Search` box (name, description) whose text,
// with sort and page, lives in the URL; a new billing group is shown to its creator at once.

test("Billing Groups: Search narrows the list by name or description, kept in the URL with the sort", async ({
  page,
}) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  const search = page.getByRole("search", { name: "Search billing groups" }).getByLabel("Search");
  await search.fill("engineer");
  await expect(page).toHaveURL(/[?&]q=engineer/);
  await expect(screen.row("Engineering")).toBeVisible();
  await expect(screen.row("Unassigned")).toHaveCount(0);
  await expect(screen.table().getByRole("row")).toHaveCount(2);
  await expectNoSeriousA11yViolations(page);

  // Sorting keeps the search; a reload keeps both.
  await screen.table().getByRole("columnheader", { name: "Members" }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=members/);
  await expect(page).toHaveURL(/q=engineer/);
  await page.reload();
  await expect(search).toHaveValue("engineer");
  await expect(screen.table().getByRole("row")).toHaveCount(2);

  // Nothing matches: the table says so; `unassigned` finds the system row.
  await search.fill("no such group anywhere");
  await expect(screen.table()).toContainText(
    "No billing group’s name or description contains “no such group anywhere”.",
  );
  await search.fill("unassig");
  await expect(screen.row("Unassigned")).toBeVisible();
  await search.fill("");
  await expect(page).not.toHaveURL(/q=/);
  await expect(screen.row("Unassigned")).toBeVisible();
});

test("Billing Groups: a new group opens in its details after Create, wherever it sorts (R46)", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const screen = new BillingGroupsPage(page);
  await screen.goto("?sort=name&dir=asc");
  const name = `zz Search ${randomUUID().slice(0, 6)}`;
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const dialog = screen.dialog("Create billing group");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Description").fill("Findable by its description");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  await expect(screen.dialog(`${name} details`)).toBeVisible();
  await page.keyboard.press("Escape");

  await page.getByRole("search", { name: "Search billing groups" }).getByLabel("Search").fill("findable by its");
  await expect(screen.row(name)).toBeVisible();
  await expect(screen.table().getByRole("row")).toHaveCount(2);
});

test("Groups: Search narrows the list by name or description, in the URL (R46)", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  await page.goto("/groups");
  const table = page.getByRole("table", { name: "Groups" });
  const search = page.getByRole("search", { name: "Search groups" }).getByLabel("Search");
  await search.fill("platform");
  await expect(page).toHaveURL(/\/groups\?q=platform/);
  await expect(table.getByRole("link", { name: "Platform Team" })).toBeVisible();
  await expect(table.getByRole("link", { name: "Security Reviewers" })).toHaveCount(0);
  await page.reload();
  await expect(search).toHaveValue("platform");
  await search.fill("zzz-nothing");
  await expect(table).toContainText("No group’s name or description contains “zzz-nothing”.");
  await expectNoSeriousA11yViolations(page);
});
