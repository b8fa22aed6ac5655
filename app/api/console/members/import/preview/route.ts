import { consolePost } from "@/lib/api/console";
import { BILLING_ROLES } from "@/lib/auth/roles";
import { importUploadOf, previewMembersImport } from "@/lib/members/import/access";

/** R43 Import preview: `POST ?period=YYYY-MM` with the CSV as a `text/csv` body (≤ 10 MB). */
export const POST = consolePost("members.import.preview", BILLING_ROLES, (request, principal) =>
  previewMembersImport(principal, importUploadOf(request)),
);
