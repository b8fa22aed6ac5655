import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createAccount, demoOrgId, e2eDb } from "./support/db";

// R40 in the browser: an alert event of a seeded group with a limit (written as
// ledgerline_record_usage writes it when usage crosses a threshold) reaches the shell's bell: the
// unread count, the popover's list, its link to the group's details, and Mark all read.

function periodOf(date: Date) {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** A threshold.crossed event of the demo org's `Engineering` (limit 20,000 Credits), as of now. */
async function crossThreshold(threshold: number) {
  const db = e2eDb();
  const orgId = await demoOrgId();
  const [group] = await db<
    { id: string }[]
  >`select id from billing_groups where org_id = ${orgId} and name = 'Engineering'`;
  const period = periodOf(new Date());
  const data = {
    billingGroup: { id: group!.id, name: "Engineering" },
    period,
    threshold,
    used: "15000",
    limit: "20000",
  };
  await db`
    insert into events (org_id, type, billing_group_id, period, threshold, data, created_at)
    values (${orgId}, 'threshold.crossed', ${group!.id}, ${period}, ${threshold}, ${db.json(data)}, ${new Date().toISOString()}::timestamptz)`;
  return { groupId: group!.id, period, title: `Engineering reached ${threshold}% of its period limit` };
}

test("an admin sees the bell's unread count and the notification, follows it to the group, and marks all read", async ({
  page,
}) => {
  // A fresh admin: events from before an account existed are not news to it (read).
  const admin = await createAccount("admin");
  const event = await crossThreshold(10 + Math.floor(Math.random() * 60));
  await new SignInPage(page).signInAs(admin);

  const bell = page.getByRole("button", { name: "Notifications", exact: true });
  await expect(bell).toHaveAccessibleDescription(/^[1-9]\d* unread$/);
  await expect(page.getByTestId("notifications-badge")).toHaveText(/^[1-9]\d*\+?$/);

  await bell.click();
  const popover = page.getByRole("dialog", { name: "Notifications" });
  await expect(popover.getByRole("heading", { name: "Notifications" })).toBeVisible();
  const item = popover
    .getByRole("list", { name: "Notifications" })
    .getByRole("listitem")
    .filter({ hasText: event.title })
    .first();
  await expect(item).toBeVisible();
  await expect(item).toContainText("15000 of 20000 Credits used");
  await expect(item.getByRole("button", { name: /^Mark read/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  // Keyboard: focus moved into the popover; Escape closes it and gives focus back to the bell.
  await expect(popover.locator(":focus")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(popover).toBeHidden();
  await expect(bell).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(item).toBeVisible();

  // The link opens the Billing Groups page for the event's period with the group's details open.
  await item.getByRole("link", { name: "Open Engineering" }).click();
  await expect(page).toHaveURL(new RegExp(`/billing-groups\\?period=${event.period}&group=${event.groupId}`));
  await expect(page.getByRole("dialog", { name: "Engineering details" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Engineering details" })).toBeHidden();

  await bell.click();
  await popover.getByRole("button", { name: "Mark all read" }).click();
  await expect(bell).toHaveAccessibleDescription("No unread notifications");
  await expect(page.getByTestId("notifications-badge")).toBeHidden();
  await expect(popover.getByRole("button", { name: /^Mark read/ })).toHaveCount(0);
  await expect(popover.getByRole("button", { name: "Mark all read" })).toBeDisabled();
});

test("a plain member has no Notifications button", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.member);
  await page.goto("/my-usage");
  await expect(page.getByRole("heading", { level: 1, name: "My usage" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Notifications" })).toHaveCount(0);
  // And the list itself refuses them, as every console read does.
  expect((await page.request.get("/api/console/notifications?unread=1")).status()).toBe(403);
});
