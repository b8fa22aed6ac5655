import type { Metadata } from "next";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { listGroups } from "@/lib/groups/access";
import { GroupsScreen } from "./_components/groups-table";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage() {
  const member = await requireScreen("groups");
  const groups = await listGroups(memberPrincipal(member));
  return (
    <main className="p-8">
      <GroupsScreen
        rows={groups.map((g) => ({
          id: g.id,
          name: g.name,
          description: g.description,
          memberCount: g.memberCount,
          created: g.createdAt.toISOString().slice(0, 10),
        }))}
      />
    </main>
  );
}
