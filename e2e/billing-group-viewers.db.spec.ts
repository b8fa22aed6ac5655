import { expect, test } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createAccount, e2eDb } from "./support/db";

function currentPeriod() {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, "0")}`;
}

// R3, R33: an admin grants a member viewer on one billing group; the member's console is that
// group's details and bills, nothing else; removing the grant closes the console on the next request.
test("billing group viewer: granted through Permissions, sees and exports only Sales, loses access when removed", async ({
  page,
  browser,
}) => {
  const account = await createAccount("member");

  // Admin: Sales → details → Permissions → Add Member.
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const admin = new BillingGroupsPage(page);
  await admin.goto();
  await admin.rowAction("Sales", "View details");
  const details = admin.dialog("Sales details");
  await details.getByRole("tab", { name: "Permissions" }).click();
  await expect(details.getByRole("heading", { name: "Permissions" })).toBeVisible();
  await details.getByLabel("Search").fill(account.email);
  await details.getByRole("checkbox", { name: new RegExp(account.email.replace(/[.]/g, "\\.")) }).check();
  await expectNoSeriousA11yViolations(page);
  await details.getByRole("button", { name: "Add Member" }).click();
  const viewers = details.getByRole("table", { name: "Billing group viewers" });
  await expect(viewers.getByRole("row").filter({ hasText: account.email })).toBeVisible();

  // The viewer: only Billing Groups, only Sales.
  const context = await browser.newContext();
  const viewerPage = await context.newPage();
  await new SignInPage(viewerPage).signInAs(account);
  await expect(viewerPage).toHaveURL(/\/billing-groups$/);
  const nav = viewerPage.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["Billing Groups", "My usage"]);
  const mine = new BillingGroupsPage(viewerPage);
  await expect(mine.row("Sales")).toBeVisible();
  await expect(mine.row("Engineering")).toHaveCount(0);
  await expect(mine.row("Unassigned")).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Create" })).toHaveCount(0);
  await expect(viewerPage.getByRole("button", { name: "Handle" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(viewerPage);

  // Details and this group's CSV.
  await mine.row("Sales").getByRole("button", { name: "Sales" }).click();
  const viewerDetails = mine.dialog("Sales details");
  await expect(viewerDetails.getByRole("heading", { name: "Period usage" })).toBeVisible();
  await expect(viewerDetails.getByRole("tab", { name: "Permissions" })).toHaveCount(0);
  await expect(viewerDetails.getByRole("button", { name: "Assign" })).toHaveCount(0);
  // R39: the viewer reads the group's recipients, with no control to change them or send a statement.
  const recipient = `seen-by-viewer.${account.email}`;
  await e2eDb()`insert into billing_group_recipients (org_id, billing_group_id, email)
    select org_id, id, ${recipient} from billing_groups where org_id = ${account.orgId} and name = 'Sales' and deleted_at is null`;
  await viewerDetails.getByRole("tab", { name: "Recipients" }).click();
  await expect(
    viewerDetails.getByRole("table", { name: "Recipients" }).getByRole("row").filter({ hasText: recipient }),
  ).toBeVisible();
  await expect(viewerDetails.getByRole("table", { name: "Statement deliveries" })).toBeVisible();
  for (const control of ["Add Recipient", "Remove", "Send Statement"])
    await expect(viewerDetails.getByRole("button", { name: control }), control).toHaveCount(0);
  await expect(viewerDetails.getByRole("textbox", { name: "Email" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(viewerPage);
  await viewerDetails.getByRole("button", { name: "Export this billing group" }).click();
  const drawer = viewerPage.getByRole("dialog", { name: "Export Billing Group Bills" });
  await expect(drawer.getByRole("table", { name: "Totals by billing group" })).toContainText("Sales");
  await expect(drawer.getByLabel("Billing Group", { exact: true }).getByRole("option")).toHaveText(["Sales"]);
  const [download] = await Promise.all([
    viewerPage.waitForEvent("download"),
    drawer.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`billing-group-bills_${currentPeriod()}_sales.csv`);
  const lines = (await readFile((await download.path())!, "utf8")).split("\r\n").slice(0, -1);
  for (const line of lines.slice(1)) expect(line.startsWith("Sales,")).toBe(true);

  // Other scopes are refused by the route itself.
  const all = await viewerPage.request.get(
    `/api/export/billing-group-bills?period=${currentPeriod()}&billingGroup=all`,
  );
  expect(all.status()).toBe(403);
  const bare = await viewerPage.request.get("/api/export/billing-group-bills?billingGroup=all");
  expect(bare.status()).toBe(403);
  // Every other screen stays closed.
  await viewerPage.goto("/members");
  await expect(viewerPage.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();

  // Admin removes the grant → no console on the viewer's next request.
  await viewers.getByRole("row").filter({ hasText: account.email }).getByRole("button", { name: "Remove" }).click();
  await admin.confirm(/as viewer\?$/, "Remove");
  await expect(viewers.getByRole("row").filter({ hasText: account.email })).toHaveCount(0);
  expect((await viewerPage.goto("/billing-groups"))?.status()).toBe(403);
  await expect(viewerPage.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  // What is left to them is their own usage (issue 18).
  await viewerPage.goto("/");
  await expect(viewerPage).toHaveURL(/\/my-usage$/);
  await context.close();
});
