import { expect, type Page } from "@playwright/test";

export const ACCOUNTS = {
  admin: { email: "admin@example.com", password: "demo-admin" },
  billingAdmin: { email: "billing@example.com", password: "demo-billing" },
  member: { email: "dev@example.com", password: "demo-member" },
} as const;

export class SignInPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto("/sign-in");
    await expect(this.page.getByRole("button", { name: "Sign in" })).toBeVisible();
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  /** Signs in and waits until the browser has left the sign-in page. */
  async signInAs(account: { email: string; password: string }) {
    await this.goto();
    await this.signIn(account.email, account.password);
    await this.page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  }

  error() {
    // Next's route announcer is also role=alert; the form's message is the one with text.
    return this.page.getByRole("alert").filter({ hasText: /\S/ });
  }
}
