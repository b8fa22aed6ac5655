import { expect, type Locator, type Page, test } from "@playwright/test";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R39: the Recipients tab of a billing group's details drawer (Unassigned's too). Sending
// statements is the statement sender's own test; here: managing recipients, read-only periods,
// and what the tab says about email delivery.

const HISTORICAL_REASON = "Historical periods are read-only: switch to the current period to make changes.";
const DUPLICATE = "This address is already a recipient of this billing group.";
// A tag per run, so the flow does not depend on what an earlier run left (E2E_BASE_URL).
const tag = Math.random().toString(36).slice(2, 8);

test.beforeEach(async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
});

/** Opens a row's details drawer by its name and shows its Recipients tab. */
async function openRecipients(screen: BillingGroupsPage, name: string): Promise<Locator> {
  await screen.row(name).getByRole("button", { name, exact: true }).click();
  const drawer = screen.dialog(`${name} details`);
  await drawer.getByRole("tab", { name: "Recipients" }).click();
  await expect(drawer.getByRole("table", { name: "Recipients" })).toBeVisible();
  return drawer;
}

function recipientRow(drawer: Locator, email: string) {
  return drawer.getByRole("table", { name: "Recipients" }).getByRole("row").filter({ hasText: email });
}

async function recipientCount(drawer: Locator): Promise<number> {
  const counter = drawer.getByText(/^\d+ of 10 recipients$/);
  await expect(counter).toBeVisible();
  return Number((await counter.innerText()).split(" ")[0]);
}

async function addRecipient(page: Page, drawer: Locator, email: string, group: string) {
  const field = drawer.getByRole("textbox", { name: "Email" });
  await field.fill(email);
  await drawer.getByRole("button", { name: "Add Recipient" }).click();
  await expect(recipientRow(drawer, email)).toBeVisible();
  await expect(page.getByText(`${email} will receive ${group}'s statements.`)).toBeVisible();
  // Cleared after a success, ready for the next address.
  await expect(field).toHaveValue("");
}

test("admin adds, refuses a duplicate, and removes recipients of a group and of Unassigned", async ({ page }) => {
  test.setTimeout(120_000);
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  // The tab reads the statement deliveries too; what that route answers decides the notice.
  const statements = page.waitForResponse((r) => /\/billing-groups\/[^/]+\/statements/.test(r.url()));
  let drawer = await openRecipients(screen, "Engineering");
  await expect(drawer.getByRole("tablist", { name: "Billing group sections" }).getByRole("tab")).toHaveText([
    "Details",
    "Usage",
    "Recipients",
    "Alerts",
    "Permissions",
  ]);
  await expect(drawer.getByRole("table", { name: "Recipients" }).getByRole("columnheader").first()).toHaveText("Email");
  const before = await recipientCount(drawer);

  const finance = `Finance.${tag}@Example.com`;
  const payables = `ap.${tag}@example.com`;
  await addRecipient(page, drawer, finance, "Engineering");
  await addRecipient(page, drawer, payables, "Engineering");
  await expect(drawer.getByText(`${before + 2} of 10 recipients`)).toBeVisible();

  // The same address in another case: the field says why, keeps the text, and nothing is added.
  const field = drawer.getByRole("textbox", { name: "Email" });
  await field.fill(finance.toUpperCase());
  await drawer.getByRole("button", { name: "Add Recipient" }).click();
  await expect(drawer.getByText(DUPLICATE)).toBeVisible();
  await expect(field).toHaveValue(finance.toUpperCase());
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(drawer.getByText(`${before + 2} of 10 recipients`)).toBeVisible();
  // A malformed address likewise.
  await field.fill("not-an-address");
  await drawer.getByRole("button", { name: "Add Recipient" }).click();
  await expect(drawer.getByText("Enter a valid email address, e.g. finance@example.com.")).toBeVisible();
  await expect(field).toHaveValue("not-an-address");
  await expectNoSeriousA11yViolations(page);

  // Remove asks first; Cancel changes nothing, Remove removes.
  await recipientRow(drawer, payables).getByRole("button", { name: "Remove" }).click();
  await screen.confirm(/^Remove ap\./, "Cancel");
  await expect(recipientRow(drawer, payables)).toBeVisible();
  await recipientRow(drawer, payables).getByRole("button", { name: "Remove" }).click();
  await expectNoSeriousA11yViolations(page);
  await screen.confirm(/^Remove ap\./, "Remove");
  await expect(recipientRow(drawer, payables)).toHaveCount(0);
  await expect(recipientRow(drawer, finance)).toBeVisible();
  await expect(drawer.getByText(`${before + 1} of 10 recipients`)).toBeVisible();

  // Statements: the current period has not closed, so Send Statement waits for it.
  const send = drawer.getByRole("button", { name: "Send Statement" });
  await expect(send).toBeDisabled();
  await expect(send).toHaveAttribute("title", /has not closed yet/);
  await expect(drawer.getByRole("table", { name: "Statement deliveries" })).toBeVisible();
  const answer = await statements;
  if (answer.status() === 200) {
    // The e2e server runs without SMTP_URL unless the run sets one: the tab says which.
    const { emailConfigured } = (await answer.json()) as { emailConfigured: boolean };
    await expect(drawer.getByText("Email delivery is not configured")).toHaveCount(emailConfigured ? 0 : 1);
  } else {
    // Until the statements route exists, its failure is said quietly and the recipients still work.
    await expect(
      drawer.getByRole("alert").filter({ hasText: "Statement deliveries could not be loaded" }),
    ).toBeVisible();
  }
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  // Unassigned has a details drawer for its recipients (no Permissions: nobody views Unassigned).
  drawer = await openRecipients(screen, "Unassigned");
  await expect(drawer.getByRole("tablist", { name: "Billing group sections" }).getByRole("tab")).toHaveText([
    "Details",
    "Recipients",
  ]);
  const ops = `ops.${tag}@example.com`;
  await addRecipient(page, drawer, ops, "Unassigned");
  // A group's addresses are its own: the same address is new to Unassigned.
  await addRecipient(page, drawer, finance, "Unassigned");
  await expect(recipientRow(drawer, ops)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a historical period shows the recipients with every control disabled and the reason", async ({ page }) => {
  const screen = new BillingGroupsPage(page);
  await screen.goto();
  // A recipient to look at, added in the current period.
  let drawer = await openRecipients(screen, "Sales");
  const kept = `kept.${tag}@example.com`;
  await addRecipient(page, drawer, kept, "Sales");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  const period = page.getByLabel("Period");
  const previous = await period.locator("option").nth(1).getAttribute("value");
  await period.selectOption(previous!);
  await expect(page).toHaveURL(new RegExp(`period=${previous}`));
  drawer = await openRecipients(screen, "Sales");
  await expect(recipientRow(drawer, kept)).toBeVisible();
  const add = drawer.getByRole("button", { name: "Add Recipient" });
  await expect(add).toBeDisabled();
  await expect(add).toHaveAttribute("title", HISTORICAL_REASON);
  await expect(drawer.getByRole("textbox", { name: "Email" })).toBeDisabled();
  const remove = recipientRow(drawer, kept).getByRole("button", { name: "Remove" });
  await expect(remove).toBeDisabled();
  await expect(remove).toHaveAttribute("title", HISTORICAL_REASON);
  await expectNoSeriousA11yViolations(page);
});
