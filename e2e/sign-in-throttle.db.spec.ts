import { expect, test } from "@playwright/test";
import { SignInPage } from "./pages/sign-in-page";
import { createAccount } from "./support/db";

test("five failed sign-ins lock the account for a while, even for the right password", async ({ page }) => {
  const account = await createAccount("admin");
  const signIn = new SignInPage(page);
  await signIn.goto();
  for (let attempt = 0; attempt < 5; attempt++) {
    await signIn.signIn(account.email, "wrong-password");
    await expect(signIn.error()).toHaveText("Incorrect email or password.");
    await page.getByLabel("Password").fill("");
  }
  await signIn.signIn(account.email, account.password);
  await expect(signIn.error()).toHaveText(/Too many failed sign-in attempts\. Try again in \d+ minutes?\./);
  await expect(page).toHaveURL(/\/sign-in/);
});
