import { expect, test } from "@playwright/test";
import { MembersPage } from "./pages/members-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

const HISTORICAL = "Historical periods are read-only: switch to the current period to make changes.";
const tag = () => Math.random().toString(36).slice(2, 8);

test.describe("Members screen (admin)", () => {
  test.beforeEach(async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
  });

  test("search and filter members", async ({ page }) => {
    const members = new MembersPage(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await expect(members.table()).toBeVisible();
    for (const header of ["Name", "Email", "Role", "Billing Group", "Personal Usage Limit", "Period Usage", "Groups"]) {
      await expect(members.table().getByRole("columnheader", { name: header })).toBeVisible();
    }
    await expect(page.getByRole("combobox", { name: "Period" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    await members.search("dev@example");
    await expect(members.rows()).toHaveCount(1);
    await expect(members.row("Devi Developer")).toBeVisible();

    await members.search("zz-nobody-zz");
    await expect(members.rows()).toHaveCount(0);
    await expect(page.getByText("No members match these filters.")).toBeVisible();
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await expect(page).not.toHaveURL(/q=/);

    await page.getByLabel("Billing Group").selectOption({ label: "Unassigned" });
    await expect(page).toHaveURL(/billingGroup=unassigned/);
    const unassigned = await members.rows().count();
    expect(unassigned).toBeGreaterThan(0);
    for (let i = 0; i < unassigned; i++)
      await expect(members.rows().nth(i).getByRole("cell").nth(4)).toHaveText("Unassigned");

    await page.getByLabel("Billing Group").selectOption({ label: "All billing groups" });
    await page.getByRole("checkbox", { name: "Limit not configured" }).check();
    await expect(page).toHaveURL(/limit=none/);
    const noLimit = await members.rows().count();
    expect(noLimit).toBeGreaterThan(0);
    for (let i = 0; i < noLimit; i++) await expect(members.rows().nth(i)).toContainText("Not configured");
    await page.getByRole("checkbox", { name: "Limit not configured" }).uncheck();

    await page.getByLabel("Role").selectOption({ label: "Billing admin" });
    await expect(members.rows()).toHaveCount(1);
    await expect(members.row("billing@example.com")).toBeVisible();

    // Sorting by email: the demo admin (admin@…) comes first.
    await page.getByLabel("Role").selectOption({ label: "All roles" });
    await expect(page).not.toHaveURL(/role=/);
    await members.table().getByRole("link", { name: "Email" }).click();
    await expect(page).toHaveURL(/sort=email&dir=asc/);
    await expect(members.rows().first()).toContainText("admin@example.com");
  });

  test("add a member, assign a billing group from the list and from details, set a personal limit", async ({
    page,
  }) => {
    const members = new MembersPage(page);
    await members.goto();
    const t = tag();
    const email = `e2e-${t}@example.test`;
    await members.addMember({ name: `E2E Person ${t}`, email });
    await members.search(email);
    const row = members.row(email);
    await expect(row).toContainText("Unassigned");
    await expect(row).toContainText("Not configured");

    // From the list: the row's Actions menu.
    await members.rowAction(email, "Assign");
    const assign = page.getByRole("dialog", { name: "Assign billing group" });
    await assign.getByLabel("Billing Group").selectOption({ label: "Design" });
    await assign.getByRole("button", { name: "Assign" }).click();
    await expect(assign).toBeHidden();
    await expect(row.getByRole("cell").nth(4)).toHaveText("Design");

    // A bad limit keeps what was typed and explains why; a good one replaces "Not configured".
    await members.rowAction(email, "Set Personal Usage Limit");
    const limit = page.getByRole("dialog", { name: "Set personal usage limit" });
    await limit.getByLabel("Personal Usage Limit").fill("12.345");
    await limit.getByRole("button", { name: "Save" }).click();
    await expect(limit.getByText("at most 2 decimals")).toBeVisible();
    await expect(limit.getByLabel("Personal Usage Limit")).toHaveValue("12.345");
    await limit.getByLabel("Personal Usage Limit").fill("250.50");
    await limit.getByRole("button", { name: "Save" }).click();
    await expect(limit).toBeHidden();
    await expect(row).not.toContainText("Not configured");
    await expect(row.getByRole("cell").nth(5)).toHaveText("250.50");

    // From details.
    await row.getByRole("link", { name: `E2E Person ${t}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `E2E Person ${t}` })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    const billing = page.getByRole("region", { name: "Billing group" });
    await billing.getByLabel("Billing Group").selectOption({ label: "Sales" });
    await billing.getByRole("button", { name: "Assign" }).click();
    await expect(billing.getByText("Current: Sales")).toBeVisible();
    const limitRegion = page.getByRole("region", { name: "Personal usage limit" });
    await limitRegion.getByLabel("Personal Usage Limit").fill("");
    await limitRegion.getByRole("button", { name: "Save" }).click();
    await expect(limitRegion.getByText("cannot use Credits until a limit above 0 is set")).toBeVisible();
    await page.getByRole("link", { name: "← Members" }).click();
    await members.search(email);
    await expect(members.row(email)).toContainText("Sales");
    await expect(members.row(email)).toContainText("Not configured");
  });

  test("bulk assign and bulk limit apply to every selected member", async ({ page }) => {
    const members = new MembersPage(page);
    await members.goto();
    const t = tag();
    for (const n of [1, 2])
      await members.addMember({ name: `E2E Bulk ${t} ${n}`, email: `e2e-bulk-${t}-${n}@example.test` });
    await members.search(`e2e-bulk-${t}`);
    await expect(members.rows()).toHaveCount(2);
    await page.getByRole("checkbox", { name: "Select all members on this page" }).check();
    await page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Assign" }).click();
    const assign = page.getByRole("dialog", { name: "Assign billing group" });
    // Issue 18: no default target — Assign without a choice asks for one and moves nobody.
    await expect(assign.getByLabel("Billing Group")).toHaveValue("");
    await assign.getByRole("button", { name: "Assign" }).click();
    await expect(assign).toContainText("Choose a billing group.");
    await assign.getByLabel("Billing Group").selectOption({ label: "Data Science" });
    await assign.getByRole("button", { name: "Assign" }).click();
    await expect(assign).toBeHidden();
    // The selection is cleared after a bulk change; the next one starts from a new selection.
    await expect(page.getByRole("toolbar", { name: "Bulk actions" })).toContainText("0 selected");
    await page.getByRole("checkbox", { name: "Select all members on this page" }).check();
    await page
      .getByRole("toolbar", { name: "Bulk actions" })
      .getByRole("button", { name: "Set Personal Usage Limit" })
      .click();
    const limit = page.getByRole("dialog", { name: "Set personal usage limit" });
    await limit.getByLabel("Personal Usage Limit").fill("75");
    await limit.getByRole("button", { name: "Save" }).click();
    await expect(limit).toBeHidden();
    for (const n of [1, 2]) {
      await expect(members.row(`E2E Bulk ${t} ${n}`).getByRole("cell").nth(4)).toHaveText("Data Science");
      await expect(members.row(`E2E Bulk ${t} ${n}`).getByRole("cell").nth(5)).toHaveText("75.00");
    }
  });

  test("a duplicate email gets a field error and keeps what was typed", async ({ page }) => {
    const members = new MembersPage(page);
    await members.goto();
    await page.getByRole("button", { name: "Add Member" }).click();
    const dialog = page.getByRole("dialog", { name: "Add member" });
    await expectNoSeriousA11yViolations(page);
    await dialog.getByLabel("Name").fill("Someone New");
    await dialog.getByLabel("Email").fill("ADMIN@example.com");
    await dialog.getByRole("button", { name: "Add Member" }).click();
    await expect(
      dialog.getByText("A member with this email already exists in this organization.").first(),
    ).toBeVisible();
    await expect(dialog.getByLabel("Name")).toHaveValue("Someone New");
    await expect(dialog.getByLabel("Email")).toHaveValue("ADMIN@example.com");
  });

  test("a historical period disables mutations with the reason", async ({ page }) => {
    const members = new MembersPage(page);
    await members.goto();
    const period = page.getByRole("combobox", { name: "Period" });
    const historical = await period.locator("option").nth(1).getAttribute("value");
    await period.selectOption(historical!);
    await expect(page).toHaveURL(new RegExp(`period=${historical}`));
    await expect(page.getByRole("button", { name: "Add Member" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Add Member" })).toHaveAttribute("title", HISTORICAL);
    await expect(page.getByRole("status").filter({ hasText: HISTORICAL })).toContainText("Back to current period");
    await page.getByRole("checkbox", { name: "Select all members on this page" }).check();
    await expect(
      page.getByRole("toolbar", { name: "Bulk actions" }).getByRole("button", { name: "Assign" }),
    ).toBeDisabled();
    await members.rows().first().getByRole("link").first().click();
    await expect(
      page.getByRole("region", { name: "Billing group" }).getByRole("button", { name: "Assign" }),
    ).toBeDisabled();
    await expect(
      page.getByRole("region", { name: "Personal usage limit" }).getByRole("button", { name: "Save" }),
    ).toHaveAttribute("title", HISTORICAL);
    const notice = page.getByRole("status").filter({ hasText: HISTORICAL });
    await notice.getByRole("link", { name: "Back to current period" }).click();
    await expect(page).not.toHaveURL(/period=/);
    await expect(
      page.getByRole("region", { name: "Billing group" }).getByRole("button", { name: "Assign" }),
    ).toBeEnabled();
  });
});

test.describe("Member role and access (admin)", () => {
  test("change a role, deactivate and reactivate; an admin cannot change themself", async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
    const members = new MembersPage(page);
    await members.goto();
    const t = tag();
    const email = `e2e-role-${t}@example.test`;
    await members.addMember({ name: `E2E Role ${t}`, email, limit: "10", billingGroup: "Engineering" });
    await members.search(email);
    await expect(members.row(email)).toContainText("Engineering");
    await members
      .row(email)
      .getByRole("link", { name: `E2E Role ${t}` })
      .click();

    const access = page.getByRole("region", { name: "Role and access" });
    await access.getByRole("combobox", { name: "Role" }).selectOption({ label: "Billing admin" });
    await access.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`${email} · Billing admin`)).toBeVisible();

    await access.getByRole("button", { name: "Deactivate" }).click();
    const confirm = page.getByRole("dialog", { name: `Deactivate E2E Role ${t}?` });
    await confirm.getByRole("button", { name: "Deactivate" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Deactivated");
    await expect(
      page.getByRole("region", { name: "Billing group" }).getByRole("button", { name: "Assign" }),
    ).toBeDisabled();
    await access.getByRole("button", { name: "Reactivate" }).click();
    await expect(access.getByRole("button", { name: "Deactivate" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).not.toContainText("Deactivated");

    // Your own role and activation are not yours to change.
    await members.goto("?q=admin%40example.com");
    await members.row("admin@example.com").getByRole("link").first().click();
    await expect(
      page.getByRole("region", { name: "Role and access" }).getByRole("combobox", { name: "Role" }),
    ).toBeDisabled();
    await expect(
      page.getByRole("region", { name: "Role and access" }).getByRole("button", { name: "Deactivate" }),
    ).toBeDisabled();
  });
});

test.describe("Members screen (billing admin, R3)", () => {
  test("sees members read-only apart from billing group and limit; no Groups", async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.billingAdmin);
    const members = new MembersPage(page);
    await members.goto();
    await expectNoSeriousA11yViolations(page);
    await expect(page.getByRole("button", { name: "Add Member" })).toHaveCount(0);
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Groups", exact: true }),
    ).toHaveCount(0);
    await members.search("dev@example.com");
    await members.row("dev@example.com").getByRole("link").first().click();
    await expect(
      page.getByRole("region", { name: "Billing group" }).getByRole("button", { name: "Assign" }),
    ).toBeEnabled();
    const access = page.getByRole("region", { name: "Role and access" });
    await expect(access.getByRole("combobox", { name: "Role" })).toHaveCount(0);
    await expect(access.getByRole("button", { name: "Deactivate" })).toHaveCount(0);
    await expect(access).toContainText("Only admins can change roles");
    const response = await page.goto("/groups");
    expect(response?.status()).toBe(403);
  });
});
