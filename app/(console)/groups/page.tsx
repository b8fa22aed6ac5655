import type { Metadata } from "next";
import { withOrg } from "@/db";
import { requireScreen } from "@/lib/auth/guard";
import { listGroups } from "@/lib/groups/queries";
import { GroupsScreen } from "./_components/groups-table";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage() {
  const member = await requireScreen("groups");
  const groups = await withOrg(member.orgId, (tx) => listGroups(tx, { orgId: member.orgId }));
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
