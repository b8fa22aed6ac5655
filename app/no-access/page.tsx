import { redirect } from "next/navigation";
import { getSignedInMember } from "@/lib/auth/guard";
import { getBillingAccess } from "@/lib/auth/billing-access";
import { hasConsoleAccess } from "@/lib/auth/roles";

// Plain members landed here before My usage existed (issue 18); old links and bookmarks now lead
// each member to the screen they have.
export default async function NoAccessPage() {
  const member = await getSignedInMember();
  if (!member) redirect("/sign-in");
  if (hasConsoleAccess(member.role)) redirect("/");
  // A member granted billing group viewer (R33) has a console: their billing groups.
  if ((await getBillingAccess(member)).kind === "viewer") redirect("/billing-groups");
  redirect("/my-usage");
}
