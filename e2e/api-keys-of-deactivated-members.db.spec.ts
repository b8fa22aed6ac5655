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

/** The Created By cell among a key row's cells (after the row header: Prefix, Scopes, Created By…). */
const CREATED_BY = 2;

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

// One creator and one deciding admin: every sign-in counts against the address's sign-in throttle
// (50 per 15 minutes, R47), which the whole e2e run shares, so this spec signs in only twice.
test("keys survive their deactivated creator unless the deactivating admin also revokes them", async ({
  page,
  browser,
  request,
}) => {
  const creator = await createAccount("admin");
  const creatorName = await nameOf(creator);
  const tag = randomUUID().slice(0, 8);
  const keyNames = [`E2E creator's A ${tag}`, `E2E creator's B ${tag}`];
  const secrets = await createKeysAs(browser, creator, keyNames);
  const meter = (secret: string) =>
    request.post("/api/v1/usage", {
      headers: { Authorization: `Bearer ${secret}` },
      data: { member: ACCOUNTS.member.email, credits: "0.01", idempotencyKey: randomUUID() },
    });
  const table = page.getByRole("table", { name: "API keys" });
  const rowOf = (name: string) => table.getByRole("row").filter({ hasText: name });

  // Another admin deactivates the creator and leaves the box unticked: the keys keep working.
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const keep = await openDeactivation(page, creator, creatorName);
  await expect(keep).toContainText("They created 2 API keys that still work");
  await expect(keep.getByRole("checkbox", { name: "Also revoke their 2 API keys" })).not.toBeChecked();
  await keep.getByRole("button", { name: "Deactivate" }).click();
  await expect(keep).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Deactivated");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API Keys" }).click();
  for (const name of keyNames) {
    await expect(rowOf(name).getByRole("cell").nth(CREATED_BY)).toHaveText(`${creatorName} (deactivated)`);
    await expect(rowOf(name)).toContainText("Active");
  }
  await expectNoSeriousA11yViolations(page);
  for (const secret of secrets) expect((await meter(secret)).status()).toBe(201);

  // Reactivated, then deactivated again with the box ticked: the keys go too.
  await page.goBack();
  await page.getByRole("region", { name: "Role and access" }).getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByRole("heading", { level: 1 })).not.toContainText("Deactivated");
  await page.getByRole("region", { name: "Role and access" }).getByRole("button", { name: "Deactivate" }).click();
  const revoke = page.getByRole("dialog", { name: `Deactivate ${creatorName}?` });
  const box = revoke.getByRole("checkbox", { name: "Also revoke their 2 API keys" });
  await expect(box).not.toBeChecked();
  await box.check();
  await expectNoSeriousA11yViolations(page);
  await revoke.getByRole("button", { name: "Deactivate" }).click();
  await expect(revoke).toBeHidden();
  await expect(page.getByText(`${creatorName} deactivated; 2 API keys revoked.`)).toBeVisible();

  await page.goto("/api-keys");
  for (const name of keyNames) {
    await expect(rowOf(name).getByRole("cell").nth(CREATED_BY)).toHaveText(`${creatorName} (deactivated)`);
    await expect(rowOf(name)).toContainText("Revoked");
    await expect(rowOf(name).getByRole("button", { name: "Revoke" })).toHaveCount(0);
  }
  for (const secret of secrets) {
    const refused = await meter(secret);
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "unauthorized" });
  }
});
