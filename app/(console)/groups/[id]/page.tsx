import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireScreen } from "@/lib/auth/guard";
import { memberPrincipal } from "@/lib/auth/principal";
import { getGroupWithMembers } from "@/lib/groups/access";
import { parseUuid } from "@/lib/ids";
import { GroupDetails } from "../_components/group-details";

export const metadata: Metadata = { title: "Group" };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await requireScreen("groups");
  const groupId = parseUuid((await params).id);
  if (!groupId) notFound();
  const group = await getGroupWithMembers(memberPrincipal(viewer), { groupId });
  if (!group) notFound();
  return (
    <main className="p-4 lg:p-8">
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
