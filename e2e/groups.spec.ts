import { expect, test, type Page } from "@playwright/test";
import { MembersPage } from "./pages/members-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

const PEOPLE = ["dev@example.com", "billing@example.com", "admin@example.com"];

/** Role, billing group, limit and usage cells of a member's row (groups must never change them, R7). */
async function attribution(page: Page, email: string) {
  const members = new MembersPage(page);
  await members.goto();
  await members.search(email);
  const cells = members.row(email).getByRole("cell");
  return [
    await cells.nth(3).innerText(),
    await cells.nth(4).innerText(),
    await cells.nth(5).innerText(),
    await cells.nth(6).innerText(),
  ];
}

test.describe("Groups screen (admin)", () => {
  test.beforeEach(async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
  });

  test("create a group, add three members, remove one, delete it: members unchanged", async ({ page }) => {
    const before = new Map<string, string[]>();
    for (const email of PEOPLE) before.set(email, await attribution(page, email));

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Groups", exact: true }).click();
    const table = page.getByRole("table", { name: "Groups" });
    await expect(table).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: "Platform Team" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Create, with a duplicate name first (case-insensitive): the error is inline and the text stays.
    await page.getByRole("button", { name: "Create" }).click();
    const create = page.getByRole("dialog", { name: "Create group" });
    await create.getByLabel("Name").fill("platform team");
    await create.getByLabel("Description").fill("Reviews things");
    await create.getByRole("button", { name: "Create" }).click();
    await expect(create.getByText("A group with this name already exists.").first()).toBeVisible();
    await expect(create.getByLabel("Description")).toHaveValue("Reviews things");
    const name = `E2E Group ${Math.random().toString(36).slice(2, 8)}`;
    await create.getByLabel("Name").fill(name);
    await create.getByRole("button", { name: "Create" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    // Add three members through the searchable multi-select.
    await page.getByRole("button", { name: "Add Members" }).click();
    const add = page.getByRole("dialog", { name: "Add members" });
    await expect(add.getByRole("checkbox").first()).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    for (const email of PEOPLE) {
      await add.getByRole("searchbox", { name: "Search" }).fill(email);
      await add.getByRole("checkbox", { name: new RegExp(email.replace(/\./g, "\\.")) }).check();
    }
    await expect(add.getByText("3 selected")).toBeVisible();
    await add.getByRole("button", { name: "Add Members" }).click();
    await expect(add).toBeHidden();
    const members = page.getByRole("table", { name: "Group members" });
    for (const email of PEOPLE) await expect(members.getByRole("row").filter({ hasText: email })).toBeVisible();

    // Remove one.
    await members.getByRole("row").filter({ hasText: PEOPLE[0]! }).getByRole("button", { name: "Remove" }).click();
    await page
      .getByRole("dialog", { name: /^Remove / })
      .getByRole("button", { name: "Remove" })
      .click();
    await expect(members.getByRole("row").filter({ hasText: PEOPLE[0]! })).toHaveCount(0);
    await expect(members.getByRole("row").filter({ hasText: PEOPLE[1]! })).toBeVisible();

    // Edit.
    await page.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit group" });
    await edit.getByLabel("Description").fill("Edited description");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    await expect(page.getByText("Edited description")).toBeVisible();

    // Delete, confirmed like a billing group's: by typing the name (issue 18).
    await page.getByRole("button", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: `Delete ${name}` });
    await expect(confirm).toContainText("2 memberships");
    const deleteButton = confirm.getByRole("button", { name: "Delete" });
    await expect(deleteButton).toBeDisabled();
    await confirm.getByLabel(`Type ${name} to confirm`).fill(`${name} (not quite)`);
    await expect(deleteButton).toBeDisabled();
    await confirm.getByLabel(`Type ${name} to confirm`).fill(name);
    await deleteButton.click();
    await expect(page).toHaveURL(/\/groups$/);
    await expect(page.getByRole("table", { name: "Groups" }).getByRole("row").filter({ hasText: name })).toHaveCount(0);

    for (const email of PEOPLE) expect(await attribution(page, email), email).toEqual(before.get(email));
  });

  test("edit and delete from the list's Actions menu", async ({ page }) => {
    await page.goto("/groups");
    const name = `E2E Menu ${Math.random().toString(36).slice(2, 8)}`;
    await page.getByRole("button", { name: "Create" }).click();
    const create = page.getByRole("dialog", { name: "Create group" });
    await create.getByLabel("Name").fill(name);
    await create.getByRole("button", { name: "Create" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await page.getByRole("link", { name: "← Groups" }).click();
    const row = page.getByRole("table", { name: "Groups" }).getByRole("row").filter({ hasText: name });
    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Edit" }).click();
    const edit = page.getByRole("dialog", { name: "Edit group" });
    await edit.getByLabel("Name").fill(`${name} renamed`);
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit).toBeHidden();
    const renamed = page
      .getByRole("table", { name: "Groups" })
      .getByRole("row")
      .filter({ hasText: `${name} renamed` });
    await renamed.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    const confirm = page.getByRole("dialog", { name: `Delete ${name} renamed` });
    await confirm.getByLabel(`Type ${name} renamed to confirm`).fill(`${name} renamed`);
    await confirm.getByRole("button", { name: "Delete" }).click();
    await expect(renamed).toHaveCount(0);
  });
});
