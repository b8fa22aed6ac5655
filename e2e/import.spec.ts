import { readFile } from "node:fs/promises";
import { expect, type Locator, type Page, test } from "@playwright/test";
import { AuditLogPage } from "./pages/audit-log-page";
import { MembersPage } from "./pages/members-page";
import { ACCOUNTS, SignInPage } from "./pages/sign-in-page";
import { expectNoSeriousA11yViolations } from "./support/axe";

// R43: Import on Members — download the current assignments, edit them, import, preview, Apply.

const HISTORICAL = "Historical periods are read-only: switch to the current period to make changes.";
const HEADER = "Email,Billing Group,Personal Usage Limit";
const tag = () => Math.random().toString(36).slice(2, 8);

async function openImport(page: Page): Promise<Locator> {
  await expect(page.getByRole("heading", { level: 1, name: "Members" })).toBeVisible();
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const drawer = page.getByRole("dialog", { name: "Import assignments and limits" });
  await expect(drawer).toBeVisible();
  return drawer;
}

async function choose(drawer: Locator, csv: string | Buffer, name = "assignments.csv") {
  await drawer.getByLabel("CSV file").setInputFiles({
    name,
    mimeType: "text/csv",
    buffer: typeof csv === "string" ? Buffer.from(csv, "utf8") : csv,
  });
}

const preview = (drawer: Locator) => drawer.getByRole("table", { name: "Import preview" });
const totals = (drawer: Locator) => drawer.getByRole("list", { name: "Import totals" });

/** Three members made through Add Member (audited like any), Unassigned and without a limit. */
async function addMembers(page: Page, t: string) {
  const members = new MembersPage(page);
  await members.goto();
  const emails = [1, 2, 3].map((n) => `e2e-import-${t}-${n}@example.test`);
  for (const [i, email] of emails.entries()) await members.addMember({ name: `E2E Import ${t} ${i + 1}`, email });
  return emails;
}

test.describe("Import (admin)", () => {
  test.beforeEach(async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.admin);
  });

  test("download the assignments, import a file that moves 3 members and sets 2 limits, Apply, see it done and audited", async ({
    page,
  }) => {
    const t = tag();
    const emails = await addMembers(page, t);
    const drawer = await openImport(page);
    await expectNoSeriousA11yViolations(page);

    // The template is the org's current assignments, in the import's own format.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      drawer.getByRole("link", { name: "Download current assignments" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^member-assignments_\d{4}-\d{2}-\d{2}\.csv$/);
    const downloaded = (await readFile((await download.path())!, "utf8")).replace(/^\ufeff/, "");
    const lines = downloaded.split("\r\n");
    expect(lines[0]).toBe(HEADER);
    for (const email of emails) expect(lines).toContain(`${email},Unassigned,`);

    // Edited as in a spreadsheet: every other row stays as downloaded (No change).
    const edits: Record<string, string> = {
      [emails[0]!]: `${emails[0]},Design,25`,
      [emails[1]!]: `${emails[1]},Sales,40.5`,
      [emails[2]!]: `${emails[2]},Data Science,`,
    };
    const edited = lines.map((line) => edits[line.split(",")[0]!] ?? line).join("\r\n");
    await choose(drawer, edited);

    await expect(preview(drawer)).toBeVisible();
    await expect(totals(drawer)).toContainText("3 Move");
    await expect(totals(drawer)).toContainText("2 Set limit");
    await expect(totals(drawer)).toContainText("0 Errors");
    await drawer.getByLabel("Show").selectOption({ label: "Changes" });
    const rows = preview(drawer)
      .getByRole("row")
      .filter({ hasText: `e2e-import-${t}` });
    await expect(rows).toHaveCount(3);
    await expect(rows.filter({ hasText: emails[0]! })).toContainText("Move: Unassigned → Design");
    await expect(rows.filter({ hasText: emails[0]! })).toContainText("Set limit: No own limit → 25");
    await expect(rows.filter({ hasText: emails[1]! })).toContainText("Set limit: No own limit → 40.5");
    await expect(rows.filter({ hasText: emails[2]! })).toContainText("Move: Unassigned → Data Science");
    await expect(rows.filter({ hasText: emails[2]! })).not.toContainText("Set limit");
    await expectNoSeriousA11yViolations(page);

    await drawer.getByRole("button", { name: "Apply" }).click();
    await expect(drawer.getByText("Import applied: 3 members moved, 2 limits set")).toBeVisible();
    await expect(preview(drawer)).toHaveCount(0);
    await drawer.getByRole("link", { name: "View in Audit Log" }).click();

    // Five entries (3 moves, 2 limits), all of this import.
    const audit = new AuditLogPage(page);
    await expect(audit.table()).toBeVisible();
    await expect(audit.filter("Import")).toHaveValue(/^[0-9a-f-]{36}$/);
    await expect(audit.table().getByRole("row").filter({ hasText: "member.billing_group_assigned" })).toHaveCount(3);
    await expect(audit.table().getByRole("row").filter({ hasText: "member.personal_limit_set" })).toHaveCount(2);
    await expect(audit.rows(emails[0]!).filter({ hasText: "Design" })).toBeVisible();
    await expectNoSeriousA11yViolations(page);

    const members = new MembersPage(page);
    await members.goto();
    await members.search(`e2e-import-${t}`);
    await expect(members.row(emails[0]!).getByRole("cell").nth(4)).toHaveText("Design");
    await expect(members.row(emails[0]!).getByRole("cell").nth(5)).toHaveText("25.00");
    await expect(members.row(emails[1]!).getByRole("cell").nth(4)).toHaveText("Sales");
    await expect(members.row(emails[1]!).getByRole("cell").nth(5)).toHaveText("40.50");
    await expect(members.row(emails[2]!).getByRole("cell").nth(4)).toHaveText("Data Science");

    // The same file again changes nothing: every row is No change, so there is nothing to apply.
    const again = await openImport(page);
    await choose(again, edited);
    await expect(totals(again)).toContainText("0 Move");
    await expect(totals(again)).toContainText("0 Set limit");
    await expect(again.getByRole("button", { name: "Apply" })).toBeDisabled();
    await expect(again.getByRole("button", { name: "Apply" })).toHaveAttribute(
      "title",
      "Every row is No change: there is nothing to apply.",
    );
  });

  test("bad files get a clear message and change nothing; row errors keep Apply disabled", async ({ page }) => {
    const members = new MembersPage(page);
    await members.goto();
    const drawer = await openImport(page);

    await choose(drawer, "Email,Group,Limit\r\nadmin@example.com,Design,1\r\n");
    await expect(drawer.getByRole("alert")).toHaveText(
      "Unknown columns in the header: “Group”, “Limit”. The header is Email,Billing Group,Personal Usage Limit (in any order).",
    );
    await expect(preview(drawer)).toHaveCount(0);

    await choose(drawer, Buffer.from([...Buffer.from(`${HEADER}\r\nzo`), 0xeb, ...Buffer.from("@example.com,,1\r\n")]));
    await expect(drawer.getByRole("alert")).toHaveText(
      "The file is not UTF-8 text. Save it as “CSV UTF-8” and choose it again.",
    );

    await choose(drawer, Buffer.from(`\ufeff${HEADER}\r\nadmin@example.com,Design,1\r\n`, "utf16le"));
    await expect(drawer.getByRole("alert")).toHaveText(
      "The file is UTF-16 text. Save it as “CSV UTF-8” and choose it again.",
    );

    await choose(drawer, `${HEADER}\r\n`);
    await expect(drawer.getByRole("alert")).toHaveText("The file has a header but no rows to import.");

    await choose(
      drawer,
      `${HEADER}\r\nnobody-${tag()}@example.com,Design,\r\ndev@example.com,Legacy Ops,\r\nbilling@example.com,,=1+1\r\n`,
    );
    await expect(totals(drawer)).toContainText("3 Errors");
    await expect(preview(drawer)).toContainText("Error: No member has the email");
    await expect(preview(drawer)).toContainText("Error: The billing group “Legacy Ops” was deleted.");
    await expect(preview(drawer)).toContainText(
      "Error: Personal Usage Limit “=1+1” is not Credits: use a number with at most 2 decimals, e.g. 250 or 12.5. It looks like a spreadsheet formula; it was read as text, never evaluated.",
    );
    await expect(drawer.getByRole("button", { name: "Apply" })).toBeDisabled();
    await expectNoSeriousA11yViolations(page);
  });

  test("a member moved since the preview: Apply is refused and the preview recomputed", async ({ page, context }) => {
    const t = tag();
    const [email] = await addMembers(page, t);
    const drawer = await openImport(page);
    await choose(drawer, `${HEADER}\r\n${email},Design,\r\n`);
    await expect(preview(drawer)).toContainText("Move: Unassigned → Design");

    // Meanwhile, in another tab, someone assigns the member to Sales.
    const other = await context.newPage();
    const elsewhere = new MembersPage(other);
    await elsewhere.goto(`?q=${encodeURIComponent(email!)}`);
    await elsewhere.rowAction(email!, "Assign");
    const assign = other.getByRole("dialog", { name: "Assign billing group" });
    await assign.getByLabel("Billing Group").selectOption({ label: "Sales" });
    await assign.getByRole("button", { name: "Assign" }).click();
    await expect(assign).toBeHidden();
    await other.close();

    await drawer.getByRole("button", { name: "Apply" }).click();
    await expect(drawer.getByRole("alert").filter({ hasText: "changed since the preview" })).toHaveText(
      "Members or billing groups changed since the preview, so nothing was applied. The preview has been recomputed: check it and press Apply again.",
    );
    await expect(preview(drawer)).toContainText("Move: Sales → Design");
    await drawer.getByRole("button", { name: "Apply" }).click();
    await expect(drawer.getByText("Import applied: 1 member moved, 0 limits set")).toBeVisible();
  });
});

test.describe("Import (billing admin, R3, R23)", () => {
  test("is offered to billing admins, and disabled with the reason in a historical period", async ({ page }) => {
    await new SignInPage(page).signInAs(ACCOUNTS.billingAdmin);
    const members = new MembersPage(page);
    await members.goto();
    const drawer = await openImport(page);
    await expect(drawer.getByRole("link", { name: "Download current assignments" })).toBeVisible();
    await page.keyboard.press("Escape");

    const period = page.getByRole("combobox", { name: "Period" });
    const historical = await period.locator("option").nth(1).getAttribute("value");
    await period.selectOption(historical!);
    await expect(page).toHaveURL(new RegExp(`period=${historical}`));
    await expect(page.getByRole("button", { name: "Import", exact: true })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Import", exact: true })).toHaveAttribute("title", HISTORICAL);
  });
});
