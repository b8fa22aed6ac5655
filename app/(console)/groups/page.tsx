import type { Metadata } from "next";
import { UrlPagination } from "@/components/ui/pagination";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { listGroups } from "@/lib/groups/access";
import { searchParamText } from "@/lib/text";
import { GroupsScreen } from "./_components/groups-table";

export const metadata: Metadata = { title: "Groups" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** R46: search (name, description) and page live in the URL; both run in SQL. */
export default async function GroupsPage({ searchParams }: { searchParams: SearchParams }) {
  const member = await requireScreen("groups");
  const params = await searchParams;
  const search = searchParamText(params.q);
  const list = await listGroups(memberPrincipal(member), { search, page: params.page });
  return (
    <main className="p-4 lg:p-8">
      <GroupsScreen
        search={search}
        rows={list.rows.map((g) => ({
          id: g.id,
          name: g.name,
          description: g.description,
          memberCount: g.memberCount,
          created: g.createdAt.toISOString().slice(0, 10),
        }))}
      />
      <UrlPagination list={list} noun="groups" path="/groups" searchParams={params} />
    </main>
  );
}
