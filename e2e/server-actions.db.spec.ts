import { expect, test } from "@playwright/test";
import { actionIds } from "./support/actions";
import { e2eDb } from "./support/db";

// Server actions are public POST endpoints (docs/architecture.md). Every action in this build, called with
// no session, must refuse and change nothing. Action ids come from the build's own manifest, so a
// new action is covered without touching this file.
async function tableCounts() {
  const rows = await e2eDb()`
    select (select count(*) from billing_groups)::int as billing_groups, (select count(*) from members)::int as members,
           (select count(*) from groups)::int as groups, (select count(*) from audit_log)::int as audit,
           (select count(*) from api_keys)::int as api_keys`;
  return rows[0];
}

test("every server action refuses a caller without a session and changes nothing", async ({ request }) => {
  const actions = actionIds();
  expect(actions.length, "the build has server actions").toBeGreaterThan(0);
  const before = await tableCounts();
  for (const action of actions) {
    // Dynamic segments get a well-formed id that exists nowhere; the guard runs before any lookup.
    const url = action.page.replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");
    const response = await request.post(url, {
      headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
      data: JSON.stringify([{ name: "Injected", period: "2099-01", memberIds: [], billingGroupId: null }]),
      maxRedirects: 0,
    });
    const body = await response.text();
    // The wrapper answers with its typed refusal; nothing else about the org leaks.
    expect(body, `action ${action.id} on ${action.page}`).toContain('"code":"unauthenticated"');
    expect(body).not.toContain("Injected");
  }
  expect(await tableCounts()).toEqual(before);
});

test.describe("server actions under attack, with a valid admin session", () => {
  test("a cross-origin POST, an oversized body and the middleware-bypass header change nothing", async ({ page }) => {
    const { SignInPage, ACCOUNTS } = await import("./pages/sign-in-page");
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
    const before = await tableCounts();
    const period = new Date().toISOString().slice(0, 7);
    const payload = JSON.stringify([{ name: "CrossOrigin", description: "", period }]);
    for (const action of actionIds()) {
      const url = action.page.replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000");
      const crossOrigin = await page.request.post(url, {
        headers: {
          "Next-Action": action.id,
          "Content-Type": "text/plain;charset=UTF-8",
          Origin: "https://evil.example",
          Accept: "text/x-component",
        },
        data: payload,
        maxRedirects: 0,
      });
      expect(crossOrigin.status(), `cross-origin ${action.id}`).toBeGreaterThanOrEqual(400);
    }
    const first = actionIds()[0]!;
    const oversized = await page.request.post(
      first.page.replace(/\[[^\]]+\]/g, "00000000-0000-4000-8000-000000000000"),
      {
        headers: { "Next-Action": first.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
        data: JSON.stringify([{ name: "x".repeat(3 * 1024 * 1024), period }]),
        maxRedirects: 0,
      },
    );
    expect(oversized.status()).toBeGreaterThanOrEqual(400);
    expect(await tableCounts()).toEqual(before);
    const rows =
      await e2eDb()`select 1 from groups where name = 'CrossOrigin' union all select 1 from billing_groups where name = 'CrossOrigin'`;
    expect(rows).toHaveLength(0);
  });

  test("the x-middleware-subrequest header does not open a console page", async ({ request }) => {
    const response = await request.get("/members", {
      headers: { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
      maxRedirects: 0,
    });
    expect([302, 303, 307, 308]).toContain(response.status());
    expect(response.headers()["location"]).toContain("/sign-in");
  });
});
