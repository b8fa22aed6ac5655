import { randomUUID } from "node:crypto";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { AuditLogPage } from "./pages/audit-log-page";
import { BillingGroupsPage } from "./pages/billing-groups-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";

// R44 as automation meets it: a key created on the API Keys screen with the `admin` scope manages
// a billing group over HTTP against the production build; the console shows the result and the
// Audit Log names the key as the actor. A key without the scope is refused and changes nothing.

async function createKey(page: Page, name: string, scopes: { usage: boolean; read: boolean; admin: boolean }) {
  await page.goto("/api-keys");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Create API key" });
  await dialog.getByLabel("Name").fill(name);
  for (const [scope, on] of Object.entries(scopes))
    await dialog.getByRole("checkbox", { name: scope, exact: true }).setChecked(on);
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const shown = page.getByRole("dialog", { name: "API key created" });
  const secret = await shown.getByRole("textbox", { name: "API key" }).inputValue();
  await shown.getByRole("button", { name: "Done" }).click();
  return secret;
}

const bearer = (secret: string, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${secret}`,
  ...extra,
});

async function memberGroupId(request: APIRequestContext, secret: string, email: string) {
  const found = await request.get(`/api/v1/members?email=${encodeURIComponent(email)}`, { headers: bearer(secret) });
  expect(found.status()).toBe(200);
  const { members } = (await found.json()) as { members: { billingGroup: { id: string } }[] };
  return members[0]!.billingGroup.id;
}

test("an admin-scoped key creates, limits, fills and deletes a billing group; the console shows it all (R44)", async ({
  page,
  request,
}) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const tag = randomUUID().slice(0, 6);
  const keyName = `E2E HR sync ${tag}`;
  const secret = await createKey(page, keyName, { usage: false, read: true, admin: true });
  await expect(
    page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: keyName }),
  ).toContainText("read, admin");

  // Create, with a retry that must not create a second group.
  const name = `A API ${tag}`;
  const create = () =>
    request.post("/api/v1/billing-groups", {
      headers: bearer(secret, { "Idempotency-Key": `e2e-${tag}` }),
      data: { name, description: "Made by automation", defaultPersonalLimit: "40" },
    });
  const created = await create();
  expect(created.status()).toBe(201);
  const group = (await created.json()) as { id: string; version: number };
  expect(created.headers().etag).toBe(`"${group.version}"`);
  const retried = await create();
  expect(retried.status()).toBe(201);
  expect(retried.headers()["idempotent-replayed"]).toBe("true");
  expect((await retried.json()).id).toBe(group.id);

  // Limit it at the version just read; the same version again is stale.
  const limited = await request.put(`/api/v1/billing-groups/${group.id}/limit`, {
    headers: bearer(secret, { "If-Match": created.headers().etag! }),
    data: { limit: "500" },
  });
  expect(limited.status()).toBe(200);
  const stale = await request.put(`/api/v1/billing-groups/${group.id}/limit`, {
    headers: bearer(secret, { "If-Match": created.headers().etag! }),
    data: { limit: "1" },
  });
  expect(stale.status()).toBe(412);
  expect(await stale.json()).toMatchObject({ error: "precondition_failed" });

  // Move the demo member in (remembering where they were), refusing the whole list over one unknown email.
  const originalGroup = await memberGroupId(request, secret, ACCOUNTS.member.email);
  const refused = await request.post(`/api/v1/billing-groups/${group.id}/members`, {
    headers: bearer(secret),
    data: { members: [ACCOUNTS.member.email, "nobody@example.com"] },
  });
  expect(refused.status()).toBe(404);
  expect(await refused.json()).toMatchObject({ errors: [{ index: 1, member: "nobody@example.com" }] });
  const assigned = await request.post(`/api/v1/billing-groups/${group.id}/members`, {
    headers: bearer(secret),
    data: { members: [ACCOUNTS.member.email] },
  });
  expect(await assigned.json()).toMatchObject({ assigned: 1, billingGroup: { id: group.id, name } });

  const groups = new BillingGroupsPage(page);
  await groups.goto();
  await expect(groups.row(name)).toBeVisible();
  await expect(groups.membersCell(name)).toHaveText("1");
  await expect(groups.limitCell(name)).toContainText("500");

  // The Audit Log's Actor filter offers the key; its entries are the API's changes.
  const log = new AuditLogPage(page);
  await log.goto();
  await log.filter("Actor").selectOption({ label: `${keyName} (API key)` });
  await expect(page).toHaveURL(/actor=/);
  await expect(log.rows("billing_group.created").filter({ hasText: name })).toContainText(keyName);
  await expect(log.rows("billing_group.period_limit_set")).toHaveCount(1);
  await expect(log.rows("member.billing_group_assigned")).toContainText(ACCOUNTS.member.email);
  await expect(log.table().getByText("API key", { exact: true }).first()).toBeVisible();

  // Put the member back, then delete the group with its exact name.
  const restored = await request.patch(`/api/v1/members/${encodeURIComponent(ACCOUNTS.member.email)}`, {
    headers: bearer(secret),
    data: { billingGroup: originalGroup },
  });
  expect(restored.status()).toBe(200);
  expect((await restored.json()).billingGroup.id).toBe(originalGroup);
  // The name's case differs ("A API …" always has capitals; its hex tag may not): refused.
  const wrongName = await request.delete(`/api/v1/billing-groups/${group.id}`, {
    headers: bearer(secret),
    data: { confirmName: name.toLowerCase() },
  });
  expect(wrongName.status()).toBe(409);
  const deleted = await request.delete(`/api/v1/billing-groups/${group.id}`, {
    headers: bearer(secret),
    data: { confirmName: name },
  });
  expect(deleted.status()).toBe(200);
  await groups.goto();
  await expect(groups.row(name)).toHaveCount(0);
});

test("a key without the admin scope is refused with 403 insufficient_scope and changes nothing (R44)", async ({
  page,
  request,
}) => {
  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const tag = randomUUID().slice(0, 6);
  const secret = await createKey(page, `E2E reader ${tag}`, { usage: true, read: true, admin: false });
  const name = `A Refused ${tag}`;
  const refused = await request.post("/api/v1/billing-groups", { headers: bearer(secret), data: { name } });
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toMatchObject({ error: "insufficient_scope", scope: "admin" });
  const listed = await request.get("/api/v1/billing-groups", { headers: bearer(secret) });
  expect(listed.status()).toBe(200);
  expect(JSON.stringify(await listed.json())).not.toContain(name);
});
