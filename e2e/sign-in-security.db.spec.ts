import { createHash } from "node:crypto";
import { type APIRequestContext, type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { SignInPage } from "./pages/sign-in-page";
import { actionIds, actionUrl } from "./support/actions";
import { createAccount, e2eDb } from "./support/db";

// R47, issue 22 items 1, 2 and 4, reproduced against the production build.

const SESSION_COOKIE = /next-auth\.session-token/;

test.describe("redirects after sign-in stay on the console (issue 22 item 1)", () => {
  // Raw query strings, as an attacker would send them in a link.
  const attacks = [
    "%2F%5Cevil.example%2F",
    "/%09/evil.example/",
    "/%5C/evil.example/",
    "//evil.example/",
    "%2F%2Fevil.example",
    "https://evil.example/",
    "https:%2F%2Fevil.example",
    "javascript:alert(document.domain)",
    "%2Fa%2F..%2F%2Fevil.example%2F",
  ];

  test("every open-redirect variant ends on the console's own origin", async ({ page, context, baseURL }) => {
    test.setTimeout(60_000 + attacks.length * 30_000);
    const account = await createAccount("admin");
    const signIn = new SignInPage(page);
    for (const attack of attacks) {
      await context.clearCookies();
      await page.goto(`/sign-in?callbackUrl=${attack}`);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
      await signIn.signIn(account.email, account.password);
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      expect(new URL(page.url()).origin, attack).toBe(new URL(baseURL!).origin);
    }
  });

  test("a same-origin callback is honoured, query included", async ({ page }) => {
    const account = await createAccount("admin");
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/members?q=zz-none")}`);
    await new SignInPage(page).signIn(account.email, account.password);
    await expect(page).toHaveURL(/\/members\?q=zz-none$/);
  });
});

/** Calls a server action with only `cookie`, with an input no action accepts (nothing changes). */
async function callAction(request: APIRequestContext, cookie: string) {
  const action = actionIds()[0]!;
  const response = await request.post(actionUrl(action), {
    headers: {
      "Next-Action": action.id,
      "Content-Type": "text/plain;charset=UTF-8",
      Accept: "text/x-component",
      Cookie: cookie,
    },
    data: JSON.stringify([{}]),
    maxRedirects: 0,
  });
  return response.text();
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  const cookies = (await context.cookies()).filter((c) => c.name.includes("next-auth"));
  expect(cookies.some((c) => SESSION_COOKIE.test(c.name))).toBe(true);
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}

test.describe("sessions that end (issue 22 item 4)", () => {
  test("after sign-out, a copied cookie is refused by server actions and /api/auth/session re-issues nothing that works", async ({
    page,
    context,
    playwright,
    baseURL,
  }) => {
    const account = await createAccount("admin");
    await new SignInPage(page).signInAs(account);
    const stolen = await sessionCookie(context);
    const attacker = await playwright.request.newContext({ baseURL });
    // While the session lives, the copy works (the action refuses the input, not the caller).
    expect(await callAction(attacker, stolen)).not.toContain('"code":"unauthenticated"');

    // No pause: a copy made in the same second as the sign-out must die too.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);

    const session = await attacker.get("/api/auth/session", { headers: { Cookie: stolen } });
    expect(await session.json()).toEqual({});
    const reissued = session
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie" && SESSION_COOKIE.test(h.value))
      .map((h) => h.value.split(";")[0]!);
    // Whatever came back (a cleared cookie), it opens nothing; nor does the original copy.
    for (const cookie of [stolen, ...reissued]) {
      expect(await callAction(attacker, cookie)).toContain('"code":"unauthenticated"');
      const again = await attacker.get("/api/auth/session", { headers: { Cookie: cookie } });
      expect(await again.json()).toEqual({});
    }
    await attacker.dispose();

    // Signing in again right away works.
    await new SignInPage(page).signInAs(account);
    await expect(page.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
  });

  test("deactivating and reactivating a member does not revive their old session", async ({ page, browser }) => {
    const { target, targetContext, targetPage, access } = await signedInTargetAndAdmin(page, browser);
    await access.getByRole("button", { name: "Deactivate" }).click();
    await page
      .getByRole("dialog", { name: /^Deactivate / })
      .getByRole("button", { name: "Deactivate" })
      .click();
    await access.getByRole("button", { name: "Reactivate" }).click();
    await expect(access.getByRole("button", { name: "Deactivate" })).toBeVisible();

    await targetPage.reload();
    await expect(targetPage).toHaveURL(/\/sign-in/);
    // Reactivated: a fresh sign-in works.
    await new SignInPage(targetPage).signInAs(target);
    await expect(targetPage.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();
    await targetContext.close();
  });

  test("a role change ends the member's older sessions", async ({ page, browser }) => {
    const { target, targetContext, targetPage, access } = await signedInTargetAndAdmin(page, browser);
    await access.getByRole("combobox", { name: "Role" }).selectOption({ label: "Billing admin" });
    await access.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(`${target.email} · Billing admin`)).toBeVisible();

    await targetPage.reload();
    await expect(targetPage).toHaveURL(/\/sign-in/);
    await targetContext.close();
  });
});

async function memberId(email: string): Promise<string> {
  const [row] = await e2eDb()<{ id: string }[]>`select id from members where lower(email) = ${email}`;
  return row!.id;
}

/**
 * A fresh admin signed in in a browser context of their own (the session to be ended), and a second
 * admin on that member's details page: the "Role and access" section is returned to act on.
 */
async function signedInTargetAndAdmin(page: Page, browser: Browser) {
  const target = await createAccount("admin");
  const targetContext = await browser.newContext();
  const targetPage = await targetContext.newPage();
  await new SignInPage(targetPage).signInAs(target);
  await expect(targetPage.getByRole("heading", { level: 1, name: "Acme Corporation" })).toBeVisible();

  const admin = await createAccount("admin");
  await new SignInPage(page).signInAs(admin);
  await page.goto(`/members/${await memberId(target.email)}`);
  const access = page.getByRole("region", { name: "Role and access" });
  return { target, targetContext, targetPage, access };
}

test.describe("the sign-in throttle over HTTP (issue 22 item 2)", () => {
  test("50 concurrent wrong passwords with rotating X-Forwarded-For: at most 5 are checked, then even the right one is refused", async ({
    playwright,
    baseURL,
  }) => {
    const account = await createAccount("billing_admin");
    const client = await playwright.request.newContext({ baseURL });
    const { csrfToken } = (await (await client.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const attempt = (password: string, forwardedFor: string) =>
      client
        .post("/api/auth/callback/credentials", {
          headers: { "X-Forwarded-For": forwardedFor },
          form: { csrfToken, email: account.email, password, json: "true" },
          maxRedirects: 0,
        })
        .then(async (response) => new URL(((await response.json()) as { url: string }).url).searchParams.get("error"));
    const errors = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt(`wrong-${i}`, `203.0.113.${i + 1}`)));
    const checked = errors.filter((e) => e === "CredentialsSignin").length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(errors.filter((e) => e?.startsWith("rate_limited:"))).toHaveLength(50 - checked);
    expect(await attempt(account.password, "198.51.100.77")).toMatch(/^rate_limited:/);
    // Counted under the socket's address (lib/runtime/request-hooks.ts), never under a forged one.
    const ipKey = (address: string) => createHash("sha256").update(`ip:${address}`).digest("hex");
    const socketKeys = ["127.0.0.1", "::1"].map(ipKey);
    const forgedKeys = Array.from({ length: 50 }, (_, i) => ipKey(`203.0.113.${i + 1}`));
    const [socket] = await e2eDb()<{ n: number }[]>`
      select count(*)::int as n from sign_in_throttle where key = any(${socketKeys})`;
    const [forged] = await e2eDb()<{ n: number }[]>`
      select count(*)::int as n from sign_in_throttle where key = any(${forgedKeys})`;
    expect(socket!.n).toBeGreaterThanOrEqual(1);
    expect(forged!.n).toBe(0);
    const [audited] = await e2eDb()<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'member.sign_in_locked' and target_label = ${account.email}`;
    expect(audited!.n).toBe(1);
    await client.dispose();
  });
});
