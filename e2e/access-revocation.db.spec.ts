import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/sign-in-page";
import { createAccount, e2eDb } from "./support/db";

// R4: authorization is read from the database on every request, not from the session token.
test("a deactivated admin loses access on the very next request", async ({ page }) => {
  const account = await createAccount("admin");
  await new SignInPage(page).signInAs(account);
  await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
  await e2eDb()`update members set deactivated_at = now() where lower(email) = ${account.email}`;
  await page.reload();
  await expect(page).toHaveURL(/\/sign-in/);
  // And cannot sign in again.
  const signIn = new SignInPage(page);
  await signIn.signIn(account.email, account.password);
  await expect(signIn.error()).toHaveText("Incorrect email or password.");
});

test("a demoted admin is refused the console on the very next request", async ({ page }) => {
  const account = await createAccount("admin");
  await new SignInPage(page).signInAs(account);
  await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
  await e2eDb()`update members set role = 'member' where lower(email) = ${account.email}`;
  await page.reload();
  // Issue 18: what is left to a plain member is their own usage.
  await expect(page).toHaveURL(/\/my-usage$/);
  expect((await page.goto("/members"))?.status()).toBe(403);
});

test("a tampered session cookie is treated as signed out", async ({ page, context }) => {
  const account = await createAccount("admin");
  await new SignInPage(page).signInAs(account);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"))!;
  expect(session).toBeTruthy();
  await context.addCookies([
    { ...session, value: session.value.slice(0, -4) + (session.value.endsWith("AAAA") ? "BBBB" : "AAAA") },
  ]);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("signing out ends the session: a copy of the old cookie no longer works", async ({ page, context, browser }) => {
  const account = await createAccount("admin");
  await new SignInPage(page).signInAs(account);
  const stolen = (await context.cookies()).filter((c) => c.name.includes("next-auth"));
  // Let a second pass so the cutoff lands after the token's issue second.
  await page.waitForTimeout(1100);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  const replay = await browser.newContext();
  await replay.addCookies(stolen);
  const replayPage = await replay.newPage();
  await replayPage.goto("/");
  await expect(replayPage).toHaveURL(/\/sign-in/);
  await replay.close();
  // Signing in again right away works.
  await new SignInPage(page).signInAs(account);
  await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
});
