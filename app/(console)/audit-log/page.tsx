import type { Metadata } from "next";
import Link from "next/link";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { browseAuditLog } from "@/lib/audit/access";
import { auditLogHref } from "@/lib/audit/filters";
import { requestLocale } from "@/lib/format/request-locale";
import { AuditFilters } from "./_components/audit-filters";
import { AuditTable } from "./_components/audit-table";

export const metadata: Metadata = { title: "Audit Log" };

type SearchParams = Record<string, string | string[] | undefined>;

const pageLink = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100";

/** R36: every mutation with actor, action, target, before/after and time. Admins only (R3). */
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const member = await requireScreen("audit-log");
  const { options, page, filters } = await browseAuditLog(memberPrincipal(member), {
    searchParams: await searchParams,
  });
  const { values, notes } = filters;
  // Credits in sentences read as everywhere else on screen: in the reader's locale.
  const locale = await requestLocale();
  const filtered = Object.values(values).some(Boolean);

  return (
    <main className="p-4 lg:p-8">
      <h1 className="mb-6 text-2xl font-semibold">Audit Log</h1>
      <AuditFilters values={values} options={options} />
      {notes.length > 0 ? (
        <div
          role="status"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
        >
          <ul className="list-disc pl-5">
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <AuditTable
        rows={page.rows}
        locale={locale}
        emptyText={filtered ? "No audit entries match these filters." : "No audit entries yet."}
      />
      <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm text-slate-700">
        <p>Newest first · {page.rows.length === 1 ? "1 entry" : `${page.rows.length} entries`} on this page</p>
        <div className="flex gap-2">
          {page.newer ? (
            <Link className={pageLink} href={auditLogHref(values, { newer: page.newer })}>
              Newer
            </Link>
          ) : null}
          {page.newer ? (
            <Link className={pageLink} href={auditLogHref(values)}>
              Newest
            </Link>
          ) : null}
          {page.older ? (
            <Link className={pageLink} href={auditLogHref(values, { older: page.older })}>
              Older
            </Link>
          ) : null}
        </div>
      </nav>
    </main>
  );
}
