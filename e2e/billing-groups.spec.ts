import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

const HISTORICAL_REASON = "Historical periods are read-only: switch to the current period to make changes.";
const COLUMNS = [
  "Billing Group",
  "Description",
  "Members",
  "Period Usage",
  "Period Limit",
  "Created By",
  "Created At",
  "Last Updated",
];

test.beforeEach(async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
});

test("create → duplicate error → edit → set limit → Handle → details → delete returns members to Unassigned", async ({
  page,
}) => {
  // One long journey with nine accessibility scans: give it room on a busy CI machine.
  test.setTimeout(150_000);
  const screen = new BillingGroupsPage(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing Groups" }).click();
  await expect(screen.table()).toBeVisible();
  for (const column of COLUMNS)
    await expect(screen.table().getByRole("columnheader", { name: column, exact: true })).toBeVisible();
  // Unassigned is the first row, then the live groups (the deleted Legacy Ops is not listed).
  await expect(screen.table().getByRole("rowheader").first()).toHaveText("Unassigned");
  await expect(screen.row("Engineering")).toBeVisible();
  await expect(screen.row("Legacy Ops")).toHaveCount(0);
  await expect(page.getByLabel("Period")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const unassignedBefore = Number(await screen.membersCell("Unassigned").innerText());
  expect(unassignedBefore).toBeGreaterThanOrEqual(2);

  // Create.
  await page.getByRole("button", { name: "Create", exact: true }).click();
  let dialog = screen.dialog("Create billing group");
  await expect(dialog).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Name").fill("QA Platform");
  await dialog.getByLabel("Description").fill("Quality tooling");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();
  // R46: the new group is shown to its creator: its details open.
  await screen.closeCreatedDetails("QA Platform");
  await expect(screen.row("QA Platform")).toBeVisible();

  // Duplicate (case-insensitive): inline error, typed values kept.
  await page.getByRole("button", { name: "Create", exact: true }).click();
  dialog = screen.dialog("Create billing group");
  await dialog.getByLabel("Name").fill("qa platform");
  await dialog.getByLabel("Description").fill("typed text");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(
    dialog.getByText("A billing group with this name already exists. Choose another name.").first(),
  ).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveValue("qa platform");
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Description")).toHaveValue("typed text");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  // Edit.
  await screen.rowAction("QA Platform", "Edit");
  dialog = screen.dialog("Edit QA Platform");
  await expect(dialog.getByLabel("Name")).toHaveValue("QA Platform");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Name").fill("QA Platform Team");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(screen.row("QA Platform Team")).toBeVisible();

  // Set Period Limit: invalid input is refused inline, then a valid one is shown.
  await screen.rowAction("QA Platform Team", "Set Period Limit");
  dialog = screen.dialog("Set Period Limit for QA Platform Team");
  await expectNoSeriousA11yViolations(page);
  await dialog.getByLabel("Period Usage Limit").fill("1.234");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText(/at most 2 decimals/).first()).toBeVisible();
  await expect(dialog.getByLabel("Period Usage Limit")).toHaveValue("1.234");
  await dialog.getByLabel("Period Usage Limit").fill("250.50");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(screen.limitCell("QA Platform Team")).toHaveText("250.50");

  // Handle two unassigned members.
  await screen.row("Unassigned").getByRole("button", { name: "Handle" }).click();
  dialog = screen.dialog("Handle unassigned members");
  const choices = dialog.getByRole("group", { name: "Unassigned members" }).getByRole("checkbox");
  await expect(choices).toHaveCount(unassignedBefore);
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("searchbox", { name: "Search" }).fill("no-such-person-xyz");
  await expect(dialog.getByText("No members match this search.")).toBeVisible();
  await dialog.getByRole("searchbox", { name: "Search" }).fill("");
  await expect(choices).toHaveCount(unassignedBefore);
  await expect(dialog.getByRole("button", { name: "Assign" })).toBeDisabled();
  await choices.nth(0).check();
  await choices.nth(1).check();
  await screen.chooseBillingGroup(dialog, "QA Platform Team");
  await dialog.getByRole("button", { name: "Assign" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Assigned 2 members to QA Platform Team.");
  await expect(choices).toHaveCount(unassignedBefore - 2);
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await expect(dialog).toBeHidden();
  await expect(screen.membersCell("QA Platform Team")).toHaveText("2");
  await expect(screen.membersCell("Unassigned")).toHaveText(String(unassignedBefore - 2));

  // Details: members with usage and limits, usage vs limit as a progress bar.
  await screen.row("QA Platform Team").getByRole("button", { name: "QA Platform Team" }).click();
  dialog = screen.dialog("QA Platform Team details");
  await expect(dialog.getByRole("progressbar", { name: "Period usage of limit" })).toBeVisible();
  await expect(dialog.getByRole("table", { name: "Billing group members" }).getByRole("row")).toHaveCount(3);
  await expectNoSeriousA11yViolations(page);
  // Remove one member from the details: back to Unassigned.
  await dialog
    .getByRole("table", { name: "Billing group members" })
    .getByRole("button", { name: "Remove" })
    .first()
    .click();
  await screen.confirm(/^Remove .* from QA Platform Team\?$/, "Remove");
  await expect(dialog.getByRole("table", { name: "Billing group members" }).getByRole("row")).toHaveCount(2);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(screen.membersCell("QA Platform Team")).toHaveText("1");
  await expect(screen.membersCell("Unassigned")).toHaveText(String(unassignedBefore - 1));

  // Delete with typed confirmation.
  await screen.rowAction("QA Platform Team", "Delete");
  dialog = screen.dialog("Delete QA Platform Team");
  await expectNoSeriousA11yViolations(page);
  const confirm = dialog.getByLabel("Type QA Platform Team to confirm");
  await confirm.fill("QA Platform");
  await expect(dialog.getByRole("button", { name: "Delete" })).toBeDisabled();
  await confirm.fill("QA Platform Team");
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog).toBeHidden();
  await expect(screen.row("QA Platform Team")).toHaveCount(0);
  await expect(screen.membersCell("Unassigned")).toHaveText(String(unassignedBefore));
});

test("two admins editing the same group: the later save from stale data is refused", async ({ page, context }) => {
  const first = new BillingGroupsPage(page);
  await first.goto();
  await first.rowAction("Design", "Edit");
  const stale = first.dialog("Edit Design");
  await stale.getByLabel("Description").fill("From the first tab");

  const other = new BillingGroupsPage(await context.newPage());
  await other.goto();
  await other.rowAction("Design", "Set Period Limit");
  const limit = other.dialog("Set Period Limit for Design");
  await limit.getByLabel("Period Usage Limit").fill("4000");
  await limit.getByRole("button", { name: "Save" }).click();
  await expect(limit).toBeHidden();
  await expect(other.limitCell("Design")).toHaveText("4,000.00");
  await other.page.close();

  await stale.getByRole("button", { name: "Save" }).click();
  await expect(stale.getByRole("alert")).toHaveText(
    "“Design” was changed by someone else since you opened it. Reload and try again.",
  );
  await expect(stale.getByLabel("Description")).toHaveValue("From the first tab");
  await page.reload();
  await expect(first.row("Design").getByRole("cell").first()).toHaveText("Design and research");
});

test("a billing admin has the screen too (R3)", async ({ page }) => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await new SignInPage(page).signInAs(ACCOUNTS.billingAdmin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Billing Groups" }).click();
  await expect(new BillingGroupsPage(page).table()).toBeVisible();
  await expect(page.getByRole("button", { name: "Create", exact: true })).toBeEnabled();
});

test("a limit below current usage shows the group over its limit; clearing removes it (R19)", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto("?sort=usage&dir=desc");
  // The group with the most usage this period (Unassigned is always the first row).
  const busiest = (await screen.table().getByRole("rowheader").nth(1).innerText()).trim();
  await screen.rowAction(busiest, "Set Period Limit");
  let dialog = screen.dialog(`Set Period Limit for ${busiest}`);
  await dialog.getByLabel("Period Usage Limit").fill("0.01");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(screen.limitCell(busiest)).toHaveText(/^0\.01\s*Over limit$/);
  await screen.row(busiest).getByRole("button", { name: busiest }).click();
  const details = screen.dialog(`${busiest} details`);
  await expect(details.getByRole("progressbar", { name: "Period usage of limit" })).toHaveAttribute(
    "aria-valuenow",
    "100",
  );
  await expect(details.getByText("Over limit")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(details).toBeHidden();
  await screen.rowAction(busiest, "Set Period Limit");
  dialog = screen.dialog(`Set Period Limit for ${busiest}`);
  await dialog.getByLabel("Period Usage Limit").fill("");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(screen.limitCell(busiest)).toHaveText("No limit");
});

test("sorting lives in the URL", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  await screen.table().getByRole("columnheader", { name: "Members" }).getByRole("link").click();
  await expect(page).toHaveURL(/sort=members&dir=desc/);
  await expect(screen.table().getByRole("columnheader", { name: "Members" })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  await page.reload();
  await expect(screen.table().getByRole("columnheader", { name: "Members" })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  // Unassigned stays first whatever the sort.
  await expect(screen.table().getByRole("rowheader").first()).toHaveText("Unassigned");
});

test("a historical period is read-only: every mutation control is visibly disabled", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  const period = page.getByLabel("Period");
  await expect(period.locator("option").first()).toHaveText(/\(current\)$/);
  await expect(period.locator("option")).toHaveCount(3);
  const oldest = await period.locator("option").nth(2).getAttribute("value");
  await period.selectOption(oldest!);
  await expect(page).toHaveURL(new RegExp(`period=${oldest}`));
  const create = page.getByRole("button", { name: "Create", exact: true });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAttribute("title", HISTORICAL_REASON);
  const handle = screen.row("Unassigned").getByRole("button", { name: "Handle" });
  await expect(handle).toBeDisabled();
  await expect(handle).toHaveAttribute("title", HISTORICAL_REASON);
  // The deleted group still appears in the period it has usage in.
  const legacy = screen
    .table()
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: /^Legacy Ops/ }) });
  await expect(legacy).toBeVisible();
  await expect(legacy.getByRole("rowheader")).toContainText("Deleted");
  await expectNoSeriousA11yViolations(page);

  await screen.row("Engineering").getByRole("button", { name: "Actions" }).click();
  for (const action of ["Edit", "Set Period Limit", "Delete"]) {
    const item = page.getByRole("menuitem", { name: action });
    await expect(item).toBeVisible();
    await expect(item).toBeDisabled();
    await expect(item).toHaveAttribute("title", HISTORICAL_REASON);
  }
  await page.getByRole("menuitem", { name: "View details" }).click();
  const details = screen.dialog("Engineering details");
  await expect(details.getByRole("table", { name: "Usage by member" })).toBeVisible();
  await expect(details.getByRole("table", { name: "Billing group members" })).toHaveCount(0);
  await expect(details.getByRole("button", { name: "Assign" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");

  // Issue 18: one read-only notice on every screen with a period, with the way back.
  const notice = page.getByRole("status").filter({ hasText: HISTORICAL_REASON });
  await expect(notice).toBeVisible();
  await notice.getByRole("link", { name: "Back to current period" }).click();
  await expect(page).not.toHaveURL(/period=/);
  await expect(page.getByRole("button", { name: "Create", exact: true })).toBeEnabled();
  await expect(page.getByRole("status").filter({ hasText: HISTORICAL_REASON })).toHaveCount(0);
});

test("a tab left open across a month boundary gets the stale-period error and changes nothing", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const dialog = screen.dialog("Create billing group");
  await dialog.getByLabel("Name").fill("Too Late Team");
  const { now } = (await (await page.request.get("/api/test/clock")).json()) as { now: string };
  const current = new Date(now);
  const nextMonth = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + 1, 1, 0, 1));
  try {
    const moved = await page.request.post("/api/test/clock", { data: { instant: nextMonth.toISOString() } });
    expect(moved.ok()).toBe(true);
    await dialog.getByRole("button", { name: "Create" }).click();
    await expect(dialog.getByRole("alert")).toHaveText("This period has ended — reload to work in the current period.");
    await expect(dialog.getByLabel("Name")).toHaveValue("Too Late Team");
  } finally {
    await page.request.post("/api/test/clock", { data: { instant: null } });
  }
  await page.reload();
  await expect(screen.row("Too Late Team")).toHaveCount(0);
});
