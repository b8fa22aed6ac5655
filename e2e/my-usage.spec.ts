import { expect, type Locator, type Page, test } from "@playwright/test";
import { MembersPage } from "./pages/members-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// Issue 18 "My usage": a plain member's own usage and limit, the one screen they have (R3).

/** The value of one figure of the page's description list, e.g. "Period usage". */
function figure(page: Page, term: string): Locator {
  return page
    .locator("dl > div")
    .filter({ has: page.getByRole("term").filter({ hasText: new RegExp(`^${term}$`) }) })
    .getByRole("definition");
}

/** Credits as shown ("1,234.50", en-US) in hundredths, so figures compare exactly (R17). */
function hundredths(credits: string): bigint {
  const [whole = "0", fraction = ""] = credits.replace(/,/g, "").split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
}

/** Hundredths as the console shows Credits: grouped, two decimals. */
function credits(value: bigint): string {
  return `${(value / 100n).toLocaleString("en-US")}.${(value % 100n).toString().padStart(2, "0")}`;
}

/** What an admin's member list says of a member this period: the figures My usage must repeat. */
async function adminView(page: Page, email: string) {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const members = new MembersPage(page);
  await members.goto(`?q=${encodeURIComponent(email)}`);
  const headers = await members.table().getByRole("columnheader").allInnerTexts();
  const cell = async (header: string) =>
    (
      await members
        .row(email)
        .getByRole("cell")
        .nth(headers.findIndex((h) => h.trim().startsWith(header)))
        .innerText()
    ).trim();
  return {
    billingGroup: await cell("Billing Group"),
    limit: await cell("Personal Usage Limit"),
    usage: await cell("Period Usage"),
  };
}

test("a plain member lands on My usage, sees their own figures and nothing else of the org", async ({
  page,
  browser,
}) => {
  const adminContext = await browser.newContext();
  const expected = await adminView(await adminContext.newPage(), ACCOUNTS.member.email);
  await adminContext.close();
  // The demo member has a limit of their own (SPEC §11), so the figures below all apply.
  expect(expected.limit).toMatch(/^[\d,]+\.\d{2}$/);

  await new SignInPage(page).signInAs(ACCOUNTS.member);
  await expect(page).toHaveURL(/\/my-usage$/);
  await expect(page).toHaveTitle("My usage · Ledgerline");
  await expect(page.getByRole("heading", { level: 1, name: "My usage" })).toBeVisible();

  await expect(figure(page, "Period usage")).toHaveText(`${expected.usage} Credits`);
  await expect(figure(page, "Personal usage limit")).toHaveText(`${expected.limit} Credits`);
  await expect(figure(page, "Limit source")).toHaveText("Your own limit");
  const left = hundredths(expected.limit) - hundredths(expected.usage);
  await expect(figure(page, "Remaining")).toHaveText(`${credits(left > 0n ? left : 0n)} Credits`);
  await expect(figure(page, "Billing group")).toHaveText(expected.billingGroup);
  await expect(page.getByRole("progressbar", { name: "Usage against your limit" })).toHaveAttribute(
    "aria-valuetext",
    `${expected.usage} of ${expected.limit} Credits`,
  );
  await expectNoSeriousA11yViolations(page);

  // Their navigation is My usage alone; no bell, no other screen.
  const navigation = page.getByRole("navigation", { name: "Main" });
  await expect(navigation.getByRole("link")).toHaveText(["My usage"]);
  await expect(page.getByRole("button", { name: "Notifications" })).toHaveCount(0);

  // Every other screen is refused by the server (R3, R4); / and the old /no-access lead back here.
  const members = await page.goto("/members");
  expect(members?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Members" })).toHaveCount(0);
  expect((await page.goto("/billing-groups"))?.status()).toBe(403);
  for (const path of ["/", "/no-access"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/my-usage$/);
  }

  // Sign out stays at hand.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/my-usage");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("admins open My usage from the end of their navigation", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  await expect(links.last()).toHaveText("My usage");
  await links.last().click();
  await expect(page).toHaveURL(/\/my-usage$/);
  await expect(page.getByRole("heading", { level: 1, name: "My usage" })).toBeVisible();
  await expect(figure(page, "Limit source")).toHaveText("Your own limit");
  await expect(page.getByRole("main").getByText("admin@example.com")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("on a phone, a plain member's page fits and Sign out is behind Menu", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await new SignInPage(page).signInAs(ACCOUNTS.member);
  await expect(page.getByRole("heading", { level: 1, name: "My usage" })).toBeVisible();
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  await page.getByRole("button", { name: "Menu" }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
});
