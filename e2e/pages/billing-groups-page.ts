import { expect, type Locator, type Page } from "@playwright/test";

/** The Billing Groups screen, addressed only by the accessible names of SPEC §10. */
export class BillingGroupsPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/billing-groups${query}`);
    await expect(this.table()).toBeVisible();
  }

  table() {
    return this.page.getByRole("table", { name: "Billing groups" });
  }

  row(name: string): Locator {
    return this.table()
      .getByRole("row")
      .filter({ has: this.page.getByRole("rowheader", { name, exact: true }) });
  }

  /** Members count of a row (columns after the row header: Description, Members, Period Usage, Period Limit…). */
  membersCell(name: string) {
    return this.row(name).getByRole("cell").nth(1);
  }

  limitCell(name: string) {
    return this.row(name).getByRole("cell").nth(3);
  }

  async rowAction(name: string, action: "View details" | "Edit" | "Set Period Limit" | "Delete") {
    await this.row(name).getByRole("button", { name: "Actions" }).click();
    await this.page.getByRole("menuitem", { name: action }).click();
  }

  dialog(name: string | RegExp) {
    return this.page.getByRole("dialog", { name });
  }

  /** R46: after Create, the new group's details open whatever page it sorts onto; Escape closes them. */
  async closeCreatedDetails(name: string) {
    const details = this.dialog(`${name} details`);
    await expect(details).toBeVisible();
    await this.page.keyboard.press("Escape");
    await expect(details).toBeHidden();
  }

  /** Picks a billing group in the searchable `Billing Group` combobox inside `scope`. */
  async chooseBillingGroup(scope: Locator, name: string) {
    await scope.getByRole("combobox", { name: "Billing Group", exact: true }).click();
    await scope.getByRole("combobox", { name: "Search billing groups" }).fill(name);
    await scope.getByRole("option", { name, exact: true }).click();
  }

  /**
   * Answers the confirmation a Remove or Revoke asks for, and waits for it to close — once the
   * action has answered. Until then the modal hides the page behind it from the accessibility tree,
   * so a row would already look gone to a role query while the change is not yet committed.
   */
  async confirm(name: RegExp, button: "Remove" | "Revoke" | "Delete" | "Cancel") {
    const dialog = this.page.getByRole("dialog", { name });
    await dialog.getByRole("button", { name: button, exact: true }).click();
    await expect(dialog).toBeHidden();
  }
}
