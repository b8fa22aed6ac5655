import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { AuditLogPage } from "./pages/audit-log-page";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

const COLUMNS = ["Time (UTC)", "Actor", "Action", "Target", "Changes"];

async function createBillingGroup(page: Page, name: string, periodLimit?: string) {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const dialog = screen.dialog("Create billing group");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  await screen.closeCreatedDetails(name);
  await expect(screen.row(name)).toBeVisible();
  if (periodLimit === undefined) return;
  await screen.rowAction(name, "Set Period Limit");
  const limit = screen.dialog(`Set Period Limit for ${name}`);
  await limit.getByLabel("Period Usage Limit").fill(periodLimit);
  await limit.getByRole("button", { name: "Save" }).click();
  await expect(limit).toBeHidden();
}

/** How far the page, and the Audit log table inside its own scroll area, reach past their width. */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const table = document.querySelector<HTMLElement>('table[aria-label="Audit log"]');
    const area = table?.parentElement;
    return {
      page: document.documentElement.scrollWidth - window.innerWidth,
      table: area ? area.scrollWidth - area.clientWidth : 0,
    };
  });
}

test("a mutation made in the UI shows in the Audit Log with actor, action, target and changes; filters narrow it", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = randomUUID().slice(0, 8);
  const byBill = `Audit Bill ${tag}`;
  const byAda = `Audit Ada ${tag}`;

  // A billing admin makes a change but may not read the log (R3).
  const billContext = await browser.newContext();
  const billPage = await billContext.newPage();
  await new SignInPage(billPage).signInAs(ACCOUNTS.billingAdmin);
  await createBillingGroup(billPage, byBill);
  await expect(billPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit Log" })).toHaveCount(
    0,
  );
  const refused = await billPage.goto("/audit-log");
  expect(refused?.status()).toBe(403);
  await expect(billPage.getByRole("table", { name: "Audit log" })).toHaveCount(0);
  await billContext.close();

  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  await createBillingGroup(page, byAda, "1000");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit Log", exact: true }).click();
  const log = new AuditLogPage(page);
  await expect(log.table()).toBeVisible();
  for (const column of COLUMNS)
    await expect(log.table().getByRole("columnheader", { name: column, exact: true })).toBeVisible();

  // Newest first: Ada's entry is above Bill's, with actor, action, target and the new name.
  const adaRow = log.rows(byAda).filter({ hasText: "billing_group.created" });
  await expect(adaRow).toHaveCount(1);
  await expect(adaRow.getByRole("cell").nth(1)).toContainText("Ada Admin");
  await expect(adaRow.getByRole("cell").nth(2)).toHaveText("billing_group.created");
  await expect(adaRow.getByRole("cell").nth(3)).toContainText(byAda);
  await expect(adaRow.getByRole("cell").nth(3)).toContainText("billing_group");
  // Issue 18: the entry reads as a sentence; the exact change is one click away.
  await expect(adaRow.getByRole("cell").nth(4)).toContainText(`Ada Admin created billing group ${byAda}.`);
  await expect(adaRow.getByRole("cell").nth(4)).toContainText(`name: — → changed to ${byAda}`);
  await expect(adaRow.getByRole("cell").nth(0)).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  await expect(adaRow.locator("pre")).toBeHidden();
  await expect(adaRow.getByRole("group")).toHaveJSProperty("open", false);
  await adaRow.getByText("Show change").click();
  await expect(adaRow.getByRole("group")).toHaveJSProperty("open", true);
  await expect(adaRow.locator("pre")).toBeVisible();
  await expect(adaRow.locator("pre")).toContainText(`"name": "${byAda}"`);
  await expect(adaRow.getByText(/^Target id [0-9a-f-]{36}$/)).toBeVisible();
  // The limit set after creation: Credits as the console writes them, the old value beside the new.
  await expect(log.rows(byAda).filter({ hasText: "billing_group.period_limit_set" })).toContainText(
    `Ada Admin set ${byAda}'s period limit to 1,000.00 Credits (was no limit).`,
  );
  await expect(log.rows(byBill).getByRole("cell").nth(1)).toContainText("Bill Ingram");
  await expectNoSeriousA11yViolations(page);

  // Issue 18: at 1440 px the whole table, Changes included, fits without scrolling, even with
  // every entry's change open; at 390 px only the table scrolls, inside its own area, never the page.
  await page.evaluate(() => {
    for (const details of document.querySelectorAll("details")) details.open = true;
  });
  const wide = await sidewaysOverflow(page);
  expect(wide.page, "the page scrolls sideways at 1440 px").toBeLessThanOrEqual(0);
  expect(wide.table, "the Audit log table is cut off at 1440 px").toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(log.table()).toBeVisible();
  expect((await sidewaysOverflow(page)).page, "the page scrolls sideways at 390 px").toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1440, height: 900 });

  // Filter by action: only creations, both of ours among them. Filters apply as they are chosen
  // and typed (issue 18), with no button; typing keeps the focus in the field.
  await log.filter("Action").selectOption("billing_group.created");
  await expect(page).toHaveURL(/action=billing_group.created/);
  await log.filter("Search").pressSequentially(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(log.filter("Search")).toBeFocused();
  await expect(log.filter("Action")).toHaveValue("billing_group.created");
  await expect(log.rows(tag)).toHaveCount(2);
  // Narrowing further as you type: only Ada's group; emptying the box widens it again.
  await log.filter("Search").fill(byAda);
  await expect(page).toHaveURL(new RegExp(`q=${byAda.replaceAll(" ", "\\+")}`));
  await expect(log.rows(tag)).toHaveCount(1);
  await expect(log.filter("Search")).toBeFocused();
  await log.filter("Search").clear();
  await expect(page).not.toHaveURL(/q=/);
  await expect(log.rows(tag)).toHaveCount(2);
  await log.filter("Search").fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await expect(log.rows(tag)).toHaveCount(2);
  for (const cell of await log.table().locator("tbody tr td:nth-child(3)").all())
    await expect(cell).toHaveText("billing_group.created");

  // Filter by actor: Bill's entry only.
  await log.filter("Actor").selectOption({ label: "Bill Ingram" });
  await expect(page).toHaveURL(/actor=/);
  await expect(log.rows(byBill)).toHaveCount(1);
  await expect(log.rows(byAda)).toHaveCount(0);

  // A date range in the past and a made-up action match nothing: empty state.
  await log.goto(`?q=${tag}&to=2000-01-01`);
  await expect(log.table().getByText("No audit entries match these filters.")).toBeVisible();

  // Bad values are ignored with a note, never a crash.
  await log.goto(`?q=${tag}&from=2026-02-30&actor=nobody&action=made.up&older=garbage`);
  const notes = page.getByRole("status").filter({ hasText: "Ignored" });
  await expect(notes).toContainText("Ignored From: “2026-02-30” is not a date (YYYY-MM-DD).");
  await expect(notes).toContainText("Ignored the Actor filter");
  await expect(notes).toContainText("Ignored the Action filter");
  await expect(notes).toContainText("Ignored the page position");
  // Both creations and the limit set on Ada's group.
  await expect(log.rows(tag)).toHaveCount(3);
  await expectNoSeriousA11yViolations(page);
});
