import { expect, type Locator, type Page } from "@playwright/test";

/** The Audit Log screen, addressed by accessible names only. */
export class AuditLogPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/audit-log${query}`);
    await expect(this.table()).toBeVisible();
  }

  table() {
    return this.page.getByRole("table", { name: "Audit log" });
  }

  /** Entry rows whose cells mention `text` (e.g. a target's name). */
  rows(text: string): Locator {
    return this.table().getByRole("row").filter({ hasText: text });
  }

  filter(label: "Actor" | "Action" | "Target type" | "Import" | "Search" | "From" | "To") {
    return this.page.getByRole("search", { name: "Filter audit log" }).getByLabel(label, { exact: true });
  }

  /** The no-JavaScript path: filters also apply by themselves as they are chosen or typed. */
  async apply() {
    await this.page.getByRole("button", { name: "Apply filters" }).click();
    await this.page.waitForLoadState("load");
    await expect(this.table()).toBeVisible();
  }
}
