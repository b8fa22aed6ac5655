import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// Issue 18: on a phone (390×844) the navigation folds behind a `Menu` button, and no screen
// scrolls sideways: wide tables scroll inside their own area.

test.use({ viewport: { width: 390, height: 844 } });

test("every console screen fits a phone's width, and the navigation opens from Menu", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(menu).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();

  // Menu opens the navigation; Escape closes it and puts focus back on Menu.
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav.getByRole("link", { name: "Billing Groups" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();

  // Following a link closes the menu on the new page.
  await menu.click();
  await nav.getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL(/\/members/);
  await expect(nav).toBeHidden();

  const firstMember = await page
    .getByRole("table", { name: "Members" })
    .getByRole("row")
    .nth(1)
    .getByRole("link")
    .first()
    .getAttribute("href");
  await page.goto("/groups");
  const firstGroup = await page.getByRole("table", { name: "Groups" }).getByRole("link").first().getAttribute("href");
  for (const path of [
    "/",
    "/members",
    firstMember!,
    "/groups",
    firstGroup!,
    "/billing-groups",
    "/api-keys",
    "/audit-log",
    "/webhooks",
    "/my-usage",
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
    }));
    expect(widths.scroll, `${path} scrolls sideways`).toBeLessThanOrEqual(widths.viewport);
  }
});

test("from 1024 px the navigation is a sidebar with no Menu button", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
});
