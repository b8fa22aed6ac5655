import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";

// Issue 5: member details explain, like the entitlement API, whether and why a member is blocked.
test("member details say why a member cannot use Credits, or what is left", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  await page.goto("/members");
  await page.getByLabel("Limit not configured").check();
  const table = page.getByRole("table", { name: "Members" });
  await expect(table.getByText("Not configured").first()).toBeVisible();
  await table.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByRole("status").filter({ hasText: "Blocked" })).toHaveText(
    /Blocked: no personal usage limit is configured/,
  );

  await page.goto("/members");
  await page.getByLabel("Search").fill("admin@example.com");
  await expect(table.getByRole("row")).toHaveCount(2);
  await table.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByRole("status").filter({ hasText: "Credits" })).toHaveText(
    /Can use Credits now: [\d.,]+ Credits left personally, [\d.,]+ left in Engineering\./,
  );
});
