import { expect, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R45: usage trends with their text alternatives; issue 18: a past period shows the values of its end.

test.beforeEach(async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
});

test("Billing Groups opens with the org's usage against last period and the groups nearest their limit", async ({
  page,
}) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  const chart = page.getByRole("figure", { name: /Organization usage/ });
  await expect(chart).toBeVisible();
  // The summary a screen reader reads instead of the drawing.
  await expect(chart).toContainText(/through day \d+: [\d,.]+ Credits\./);
  const data = chart.getByRole("table", { name: "Organization usage by day" });
  await expect(data).toBeHidden();
  await chart.getByText("Show data").click();
  await expect(data).toBeVisible();
  await expect(data.getByRole("columnheader")).toHaveCount(3);
  expect(await data.getByRole("row").count()).toBeGreaterThan(28);

  const nearest = page.getByRole("list", { name: "Billing groups nearest their limit" });
  const first = nearest.getByRole("listitem").first();
  await expect(first.getByRole("progressbar")).toHaveAttribute("aria-valuetext", /^[\d,.]+ of [\d,.]+ Credits$/);
  const name = (await first.getByRole("link").innerText()).trim();
  await first.getByRole("link").click();
  await expect(screen.dialog(`${name} details`)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a billing group's Usage tab: this period day by day with the projected end, and 12 periods against their limits", async ({
  page,
}) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  await screen.rowAction("Engineering", "View details");
  const details = screen.dialog("Engineering details");
  await details.getByRole("tab", { name: "Usage" }).click();

  const daily = details.getByRole("figure", { name: /This period, day by day/ });
  await expect(daily).toContainText(/Through day \d+ of \d+: [\d,.]+ Credits used\./);
  await daily.getByText("Show data").click();
  const days = daily.getByRole("table", { name: "Usage by day" });
  await expect(days.getByRole("row").last()).toContainText("Projected end of period");

  const periods = details.getByRole("figure", { name: /Usage by period/ });
  await expect(periods).toContainText(/periods?, .* No period went over its limit\.|period.* over the limit\./);
  await periods.getByText("Show data").click();
  const table = periods.getByRole("table", { name: "Usage by period" });
  // The demo org has three periods; each row has its limit of the time (Engineering: 20,000).
  await expect(table.getByRole("row")).toHaveCount(4);
  await expect(table.getByRole("row").last()).toContainText("20,000.00");
  await expectNoSeriousA11yViolations(page);
});

test("a past period shows the limit a group had at its end, not today's", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  const name = `History ${Date.now()}`;
  await screen.goto();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await screen.dialog("Create billing group").getByLabel("Name").fill(name);
  await screen.dialog("Create billing group").getByRole("button", { name: "Create" }).click();
  await screen.closeCreatedDetails(name);
  await setLimit(screen, name, "100");

  const { now } = (await (await page.request.get("/api/test/clock")).json()) as { now: string };
  const current = new Date(now);
  const thisPeriod = now.slice(0, 7);
  const nextMonth = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + 1, 1, 0, 5));
  try {
    expect((await page.request.post("/api/test/clock", { data: { instant: nextMonth.toISOString() } })).ok()).toBe(
      true,
    );
    // A month later the limit goes up.
    await screen.goto(`?q=${encodeURIComponent(name)}`);
    await setLimit(screen, name, "250");
    await expect(screen.limitCell(name)).toHaveText("250.00");

    // The month that ended still shows the limit it ended with, in the list and in the details.
    await screen.goto(`?period=${thisPeriod}&q=${encodeURIComponent(name)}`);
    await expect(page.getByRole("status").filter({ hasText: "as they stood at the end of the period" })).toBeVisible();
    await expect(screen.limitCell(name)).toHaveText("100.00");
    await screen.rowAction(name, "View details");
    await expect(screen.dialog(`${name} details`)).toContainText("0.00 Credits of 100.00 Credits limit");
  } finally {
    await page.request.post("/api/test/clock", { data: { instant: null } });
  }
});

async function setLimit(screen: BillingGroupsPage, name: string, limit: string) {
  await screen.rowAction(name, "Set Period Limit");
  const dialog = screen.dialog(`Set Period Limit for ${name}`);
  await dialog.getByLabel("Period Usage Limit").fill(limit);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
}
