import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";

// R47: every page carries the nonce CSP — walked from the filesystem, so a new screen is covered
// the day it is added (an `(?!api)` matcher once skipped `/api-keys`, the page that shows secrets).
const APP = path.resolve(import.meta.dirname, "../app");

function pageRoutes(dir = APP, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory()) return entry.name === "page.tsx" ? [prefix || "/"] : [];
    if (entry.name === "api" || entry.name.startsWith("_")) return [];
    // Route groups like "(console)" add nothing to the URL.
    const segment = /^\(.*\)$/.test(entry.name) ? "" : `/${entry.name}`;
    return pageRoutes(path.join(dir, entry.name), prefix + segment);
  });
}

/** A real id for each dynamic segment, taken from the list screen's first detail link. */
async function resolveDynamic(page: Page, route: string): Promise<string> {
  const match = route.match(/^(.*)\/\[[^\]]+\]$/);
  if (!match) return route;
  const list = match[1] ?? "";
  await page.goto(list);
  const href = await page.locator(`a[href^="${list}/"]`).first().getAttribute("href");
  expect(href, `a detail link on ${list}`).toBeTruthy();
  return (href ?? "").split("?")[0] ?? "";
}

test("every page route answers with the nonce CSP, signed in as an admin", async ({ page }) => {
  const routes = pageRoutes();
  expect(routes).toEqual(
    expect.arrayContaining(["/", "/api-keys", "/audit-log", "/billing-groups", "/members", "/sign-in"]),
  );
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  for (const route of routes) {
    const url = await resolveDynamic(page, route);
    const response = await page.request.get(url, { maxRedirects: 0 });
    const csp = response.headers()["content-security-policy"] ?? "";
    expect(csp, `${url} (${response.status()})`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp, url).toContain("frame-ancestors 'none'");
  }
});

test("the API Keys page, where secrets are shown once, carries the CSP", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const response = await page.request.get("/api-keys");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-security-policy"]).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  // Plain http here: no HSTS (it is sent only when the public URL is https; unit-tested).
  expect(response.headers()["strict-transport-security"]).toBeUndefined();
});

test("a control character in a page's query string is a 400 naming the parameter", async ({ page }) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  for (const url of ["/audit-log?q=%00", "/members?q=a%00b", "/billing-groups?period=2026-10%07"]) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(400);
    expect(await response.text(), url).toMatch(/query parameter "(q|period)" contains a control character/);
    expect(response.headers()["content-security-policy"], url).toContain("frame-ancestors 'none'");
  }
});
