import { randomUUID } from "node:crypto";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { MembersPage } from "./pages/members-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";
import { createAccount, e2eDb } from "./support/db";

// Issue 22, item 8: API keys are the organization's (R29). They keep working after their creator
// is deactivated, and the API Keys list says the creator is deactivated; the Deactivate
// confirmation offers (unticked) to revoke that member's live keys too.

type Account = Awaited<ReturnType<typeof createAccount>>;

async function nameOf(account: Account): Promise<string> {
  const [row] = await e2eDb()<{ name: string }[]>`select name from members where lower(email) = ${account.email}`;
  return row!.name;
}

/** Signs in as `account` in a browser of its own and creates keys there, returning their secrets. */
async function createKeysAs(browser: Browser, account: Account, names: string[]): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await new SignInPage(page).signInAs(account);
  await page.goto("/api-keys");
  const secrets: string[] = [];
  for (const name of names) {
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const create = page.getByRole("dialog", { name: "Create API key" });
    await create.getByLabel("Name").fill(name);
    await create.getByRole("button", { name: "Create", exact: true }).click();
    const shown = page.getByRole("dialog", { name: "API key created" });
    secrets.push(await shown.getByRole("textbox", { name: "API key" }).inputValue());
    await shown.getByRole("button", { name: "Done" }).click();
    await expect(shown).toBeHidden();
  }
  await context.close();
  return secrets;
}

async function openDeactivation(page: Page, account: Account, memberName: string) {
  const members = new MembersPage(page);
  await members.goto();
  await members.search(account.email);
  await members.row(account.email).getByRole("link", { name: memberName }).click();
  await page.getByRole("region", { name: "Role and access" }).getByRole("button", { name: "Deactivate" }).click();
  return page.getByRole("dialog", { name: `Deactivate ${memberName}?` });
}

test("keys survive their deactivated creator unless the deactivating admin also revokes them", async ({
  page,
  browser,
  request,
}) => {
  const keeper = await createAccount("admin");
  const leaver = await createAccount("admin");
  const keeperName = await nameOf(keeper);
  const leaverName = await nameOf(leaver);
  const tag = randomUUID().slice(0, 8);
  const keptKey = `E2E kept ${tag}`;
  const leaverKeys = [`E2E leaver A ${tag}`, `E2E leaver B ${tag}`];
  const [keptSecret] = await createKeysAs(browser, keeper, [keptKey]);
  const leaverSecrets = await createKeysAs(browser, leaver, leaverKeys);
  const meter = (secret: string) =>
    request.post("/api/v1/usage", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { member: ACCOUNTS.member.email, credits: "0.01", idempotencyKey: randomUUID() },
    });

  // Another admin deactivates the first creator and leaves the box unticked: the key keeps working.
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const keepConfirm = await openDeactivation(page, keeper, keeperName);
  await expect(keepConfirm).toContainText("They created 1 API key that still works");
  const keepBox = keepConfirm.getByRole("checkbox", { name: "Also revoke their 1 API key" });
  await expect(keepBox).not.toBeChecked();
  await keepConfirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(keepConfirm).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Deactivated");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" }).click();
  const table = page.getByRole("table", { name: "API keys" });
  const keptRow = table.getByRole("row").filter({ hasText: keptKey });
  await expect(keptRow.getByRole("cell").nth(1)).toHaveText(`${keeperName} (deactivated)`);
  await expect(keptRow).toContainText("Active");
  await expectNoSeriousA11yViolations(page);
  expect((await meter(keptSecret!)).status()).toBe(201);

  // The second creator's two keys go with them when the box is ticked.
  const revokeConfirm = await openDeactivation(page, leaver, leaverName);
  const revokeBox = revokeConfirm.getByRole("checkbox", { name: "Also revoke their 2 API keys" });
  await expect(revokeBox).not.toBeChecked();
  await revokeBox.check();
  await expectNoSeriousA11yViolations(page);
  await revokeConfirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(revokeConfirm).toBeHidden();
  await expect(page.getByText(`${leaverName} deactivated; 2 API keys revoked.`)).toBeVisible();

  await page.goto("/api-keys");
  for (const name of leaverKeys) {
    const row = table.getByRole("row").filter({ hasText: name });
    await expect(row.getByRole("cell").nth(1)).toHaveText(`${leaverName} (deactivated)`);
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  }
  for (const secret of leaverSecrets) {
    const refused = await meter(secret);
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "unauthorized" });
  }
  expect((await meter(keptSecret!)).status()).toBe(201);
});
