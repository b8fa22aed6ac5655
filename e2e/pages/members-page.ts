import { expect, type Locator, type Page } from "@playwright/test";

export class MembersPage {
  constructor(private readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/members${query}`);
    await expect(this.table()).toBeVisible();
  }

  table(): Locator {
    return this.page.getByRole("table", { name: "Members" });
  }

  /** Data rows (the header row has no checkbox named "Select …" member). */
  rows(): Locator {
    return this.table()
      .getByRole("row")
      .filter({ has: this.page.getByRole("checkbox", { name: /^Select (?!all)/ }) });
  }

  row(text: string): Locator {
    return this.rows().filter({ hasText: text });
  }

  async search(text: string) {
    await this.page.getByRole("searchbox", { name: "Search" }).fill(text);
    await expect(this.page).toHaveURL(new RegExp(`q=${encodeURIComponent(text).replace(/[.+]/g, "\\$&")}`));
  }

  /** Adds a member through the `Add Member` dialog and waits until it is gone. */
  async addMember(input: { name: string; email: string; limit?: string; billingGroup?: string }) {
    await this.page.getByRole("button", { name: "Add Member" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Add member" });
    await dialog.getByLabel("Name").fill(input.name);
    await dialog.getByLabel("Email").fill(input.email);
    if (input.limit !== undefined) await dialog.getByLabel("Personal Usage Limit").fill(input.limit);
    if (input.billingGroup) await dialog.getByLabel("Billing Group").selectOption({ label: input.billingGroup });
    await dialog.getByRole("button", { name: "Add Member" }).click();
    await expect(dialog).toBeHidden();
  }

  async rowAction(rowText: string, action: string) {
    await this.row(rowText).getByRole("button", { name: "Actions" }).click();
    await this.page.getByRole("menuitem", { name: action }).click();
  }
}
