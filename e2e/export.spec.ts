import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

function periodMonthsAgo(months: number) {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

async function openExport(page: Page) {
  await page.getByRole("button", { name: "Export", exact: true }).click();
  const drawer = page.getByRole("dialog", { name: "Export Billing Group Bills" });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole("table", { name: "Totals by billing group" })).toBeVisible();
  return drawer;
}

async function downloadCsv(page: Page, drawer: ReturnType<Page["getByRole"]>) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    drawer.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  const content = await readFile((await download.path())!, "utf8");
  return { name: download.suggestedFilename(), content, lines: content.split("\r\n").slice(0, -1) };
}

test.describe("Export Billing Group Bills (R24–R27)", () => {
  test.beforeEach(async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.billingAdmin);
  });

  test("current period: preview, then download all and Unassigned alone", async ({ page }) => {
    const current = periodMonthsAgo(0);
    await page.goto("/billing-groups");
    const drawer = await openExport(page);
    await expectNoSeriousA11yViolations(page);

    const summary = drawer.getByText(/rows ·/);
    await expect(summary).toContainText("Credits in total");
    const rowCount = Number((await summary.locator("span").first().textContent())!.replace(/,/g, ""));
    const all = await downloadCsv(page, drawer);
    expect(all.name).toBe(`billing-group-bills_${current}_all.csv`);
    expect(all.lines[0]).toBe("Billing Group,Member Name,Email,Credits Consumption");
    expect(all.lines).toHaveLength(rowCount + 1);
    // Unassigned rows come last.
    const groups = all.lines.slice(1).map((l) => l.split(",")[0]);
    expect(groups.at(-1)).toBe("Unassigned");
    for (const line of all.lines.slice(1)) expect(line).toMatch(/,\d+(\.\d{1,2})?$/);

    await drawer.getByLabel("Billing Group", { exact: true }).selectOption({ label: "Unassigned" });
    await expect(drawer.getByRole("table", { name: "Totals by billing group" }).getByRole("row")).toHaveCount(3);
    const unassigned = await downloadCsv(page, drawer);
    expect(unassigned.name).toBe(`billing-group-bills_${current}_unassigned.csv`);
    for (const line of unassigned.lines.slice(1)) expect(line.startsWith("Unassigned,")).toBe(true);
  });

  test("historical period: a deleted billing group's rows keep its name", async ({ page }) => {
    const historical = periodMonthsAgo(2);
    await page.goto(`/billing-groups?period=${historical}`);
    const drawer = await openExport(page);
    await expect(drawer.getByRole("table", { name: "Totals by billing group" })).toContainText("Legacy Ops");
    await expectNoSeriousA11yViolations(page);
    const file = await downloadCsv(page, drawer);
    expect(file.name).toBe(`billing-group-bills_${historical}_all.csv`);
    expect(file.lines.some((l) => l.startsWith("Legacy Ops,"))).toBe(true);
  });
});

test("billing group details offer this group's bill for the selected period", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  await page.goto("/billing-groups");
  const row = page.getByRole("table", { name: "Billing groups" }).getByRole("row").filter({ hasText: "Engineering" });
  await row.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "View details" }).click();
  const details = page.getByRole("dialog", { name: "Engineering details" });
  await details.getByRole("button", { name: "Export this billing group" }).click();
  const drawer = page.getByRole("dialog", { name: "Export Billing Group Bills" });
  await expect(drawer.getByLabel("Billing Group", { exact: true })).toHaveValue(/[0-9a-f-]{36}/);
  await expect(drawer.getByRole("table", { name: "Totals by billing group" })).toContainText("Engineering");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    drawer.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`billing-group-bills_${periodMonthsAgo(0)}_engineering.csv`);
  const lines = (await readFile((await download.path())!, "utf8")).split("\r\n").slice(0, -1);
  for (const line of lines.slice(1)) expect(line.startsWith("Engineering,")).toBe(true);
});
