import { expect, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

test.describe("sign-in", () => {
  test("the demo admin signs in and lands on the console, then signs out", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await expectNoSeriousA11yViolations(page);
    await signIn.signInAs(ACCOUNTS.admin);
    await expect(page).toHaveURL("/");
    await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a wrong password or unknown email gets one clear error and no session", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(ACCOUNTS.admin.email, "not-the-password");
    await expect(signIn.error()).toHaveText("Incorrect email or password.");
    await expect(page).toHaveURL(/\/sign-in/);
    // What was typed stays in the form.
    await expect(page.getByLabel("Email")).toHaveValue(ACCOUNTS.admin.email);
    await signIn.signIn("nobody@example.com", "whatever-password");
    await expect(signIn.error()).toHaveText("Incorrect email or password.");
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("malformed sign-in input is refused without a session", async ({ page, request }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn("not-an-email", "x");
    await expect(signIn.error()).toHaveText("Incorrect email or password.");
    const csrf = await (await request.get("/api/auth/csrf")).json();
    const response = await request.post("/api/auth/callback/credentials", {
      form: { csrfToken: csrf.csrfToken, email: "admin@example.com", password: "x".repeat(5000), json: "true" },
    });
    expect((await request.get("/api/auth/session")).ok()).toBe(true);
    expect(await (await request.get("/api/auth/session")).json()).toEqual({});
    expect(response.status()).toBeLessThan(500);
  });
});

test.describe("unauthenticated access", () => {
  test("a console page redirects to sign-in", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});

test.describe("member role", () => {
  test("a plain member lands on My usage, their only screen (issue 18)", async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.member);
    await expect(page).toHaveURL(/\/my-usage$/);
    await expect(page.getByRole("heading", { level: 1, name: "My usage" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);
    await page.goto("/");
    await expect(page).toHaveURL(/\/my-usage$/);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["My usage"]);
  });
});
