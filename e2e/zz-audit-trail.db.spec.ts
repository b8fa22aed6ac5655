import { expect, test } from "@playwright/test";
import { AuditLogPage } from "./pages/audit-log-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { demoOrgId, e2eDb } from "./support/db";

// Runs last (file order): every mutation the earlier e2e flows made through the console left its
// audit entry (R36), and the Audit Log page shows each kind of entry.
test("the Audit Log shows every mutation made by the e2e flows", async ({ page }) => {
  const orgId = await demoOrgId();
  const sql = e2eDb();
  const missing = await sql<{ what: string }[]>`
    select 'billing group created: ' || bg.name as what from billing_groups bg join organizations o on o.id = bg.org_id
    where bg.org_id = ${orgId} and bg.created_at > o.created_at + interval '1 hour'
      and not exists (select 1 from audit_log a where a.org_id = bg.org_id and a.action = 'billing_group.created' and a.target_id = bg.id::text)
    union all
    select 'billing group deleted: ' || bg.name from billing_groups bg
    where bg.org_id = ${orgId} and bg.deleted_at > now() - interval '1 day'
      and not exists (select 1 from audit_log a where a.org_id = bg.org_id and a.action = 'billing_group.deleted' and a.target_id = bg.id::text)
    union all
    -- R42: each Default Personal Limit an e2e flow set is in a Create or Edit entry, value included.
    select 'default personal limit set: ' || bg.name from billing_groups bg
    where bg.org_id = ${orgId} and bg.default_personal_limit is not null
      and not exists (select 1 from audit_log a where a.org_id = bg.org_id and a.target_id = bg.id::text
        and a.action in ('billing_group.created', 'billing_group.updated')
        and a.after->>'defaultPersonalLimit' = ledgerline_format_credits(bg.default_personal_limit))
    union all
    select 'group created: ' || g.name from groups g
    where g.org_id = ${orgId} and g.name not in ('Platform Team', 'Security Reviewers')
      and not exists (select 1 from audit_log a where a.org_id = g.org_id and a.action = 'group.created' and a.target_id = g.id::text)
    union all
    select 'api key created: ' || k.name from api_keys k
    where k.org_id = ${orgId} and not exists (select 1 from audit_log a where a.org_id = k.org_id and a.action = 'api_key.created' and a.target_id = k.id::text)
    union all
    select 'api key revoked: ' || k.name from api_keys k
    where k.org_id = ${orgId} and k.revoked_at is not null
      and not exists (select 1 from audit_log a where a.org_id = k.org_id and a.action = 'api_key.revoked' and a.target_id = k.id::text)
    union all
    -- R44: an admin API change names its key, by the key's name.
    select 'api key change without its key: ' || a.action from audit_log a
    where a.org_id = ${orgId} and a.actor_api_key_id is not null
      and (a.actor_id is not null or a.actor_label <> (select k.name from api_keys k where k.org_id = a.org_id and k.id = a.actor_api_key_id))
    union all
    select 'viewer granted: ' || v.member_id from billing_group_viewers v
    where v.org_id = ${orgId} and not exists (
      select 1 from audit_log a where a.org_id = v.org_id and a.action = 'billing_group.viewer_added' and a.target_id = v.billing_group_id::text)`;
  expect(
    missing.map((m) => m.what),
    "mutations without an audit entry",
  ).toEqual([]);

  const actions = (
    await sql<{ action: string }[]>`select distinct action from audit_log where org_id = ${orgId} order by action`
  ).map((r) => r.action);
  // The flows before this one create, edit, limit, assign, delete, group, key, permission, recipient and webhook changes.
  expect(actions).toEqual(
    expect.arrayContaining([
      "billing_group.created",
      "billing_group.updated",
      "billing_group.period_limit_set",
      "billing_group.deleted",
      "member.billing_group_assigned",
      "member.personal_limit_set",
      "group.created",
      "group.members_added",
      "group.member_removed",
      "group.deleted",
      "api_key.created",
      "api_key.revoked",
      "billing_group.viewer_added",
      "billing_group.recipient_added",
      "billing_group.recipient_removed",
      "billing_group.statement_sent",
      "webhook.created",
      "webhook.test_sent",
      "webhook.updated",
      "webhook.deleted",
      "webhook.resent",
      "billing_group.alert_thresholds_set",
    ]),
  );

  // R43: each Members import's changes carry its import id, and the Import filter shows them all.
  const imports = await sql<{ importId: string; n: number }[]>`
    select after ->> 'importId' as "importId", count(*)::int as n from audit_log
    where org_id = ${orgId} and after ->> 'importId' is not null group by 1`;
  expect(imports.length, "the import flows' entries").toBeGreaterThan(0);
  const [unexpected] = await sql<{ n: number }[]>`
    select count(*)::int as n from audit_log where org_id = ${orgId} and after ->> 'importId' is not null
      and action not in ('member.billing_group_assigned', 'member.personal_limit_set')`;
  expect(unexpected!.n, "import entries of another kind than a move or a limit").toBe(0);

  await new SignInPage(page).signInAs(ACCOUNTS.admin);
  const audit = new AuditLogPage(page);
  await audit.goto();
  for (const action of actions) {
    await audit.goto(`?action=${encodeURIComponent(action)}`);
    await expect(audit.table().getByRole("row").filter({ hasText: action }).first(), action).toBeVisible();
    // Issue 18: every kind of entry reads as a sentence, none as the bare fallback.
    await expect(audit.table().getByText(`: ${action} on `), `${action} as a sentence`).toHaveCount(0);
    // Issue 18: with every change open, no kind of entry widens the table past 1440 px.
    const overflow = await page.evaluate(() => {
      for (const details of document.querySelectorAll("details")) details.open = true;
      const area = document.querySelector('table[aria-label="Audit log"]')?.parentElement;
      return area ? area.scrollWidth - area.clientWidth : 0;
    });
    expect(overflow, `${action} entries cut off the table at 1440 px`).toBeLessThanOrEqual(0);
  }
  for (const { importId, n } of imports) {
    await audit.goto(`?import=${importId}`);
    // The header row, then the import's entries (one page holds 50).
    await expect(audit.table().getByRole("row"), importId).toHaveCount(1 + Math.min(n, 50));
  }
});
