import { consolePost } from "@/lib/api/console";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { applyMembersImport, importUploadOf } from "@/lib/members/import/access";

/** R43 Apply: `POST ?period=YYYY-MM&fingerprint=<the preview's>` with the same CSV as a `text/csv` body. */
export const POST = consolePost("members.import.apply", BILLING_ROLES, (request, principal) =>
  applyMembersImport(principal, importUploadOf(request)),
);
