import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { withOrg } from "@/db";
import { requireScreen } from "@/lib/auth/guard";
import { getGroupWithMembers } from "@/lib/groups/queries";
import { GroupDetails } from "../_components/group-details";

export const metadata: Metadata = { title: "Group" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireScreen("groups");
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const group = await withOrg(viewer.orgId, (tx) => getGroupWithMembers(tx, { orgId: viewer.orgId, groupId: id }));
  if (!group) notFound();
  return (
    <main className="p-8">
      <GroupDetails
        group={{ id: group.id, name: group.name, description: group.description, memberCount: group.memberCount }}
        members={group.members.map((m) => ({
          id: m.id,
          name: m.name,
          email: m.email,
          added: m.addedAt.toISOString().slice(0, 10),
        }))}
      />
    </main>
  );
}
