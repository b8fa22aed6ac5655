// R39: the statement email, pure. One message per recipient: the exact subject, a short text
// body (total Credits, members with usage, the console URL) and the group's CSV for the period —
// the very bytes of the console's Download CSV, under the same file name.

import type { MailMessage } from "@/lib/mail/message";
import type { Period } from "@/lib/periods/rules";
import { formatPeriodLabel } from "@/lib/periods/rules";
import { statementMessageId, statementSubject } from "./rules";

export type StatementContent = {
  groupName: string;
  period: Period;
  fileName: string;
  csv: Buffer;
  totalCredits: string;
  membersWithUsage: number;
  /** The console page of this period's billing groups. */
  consoleUrl: string;
};

export type StatementMessage = MailMessage & {
  attachments: { filename: string; content: Buffer; contentType: string }[];
};

export function statementText(content: StatementContent): string {
  const members = content.membersWithUsage === 1 ? "1 member" : `${content.membersWithUsage} members`;
  return [
    `Ledgerline statement for ${content.groupName}, ${formatPeriodLabel(content.period, "")} (${content.period}, UTC).`,
    "",
    `Total Credits: ${content.totalCredits}`,
    `Members with usage: ${members}`,
    "",
    `The attached ${content.fileName} lists every member's Credits for the period; it is the file the console's Download CSV gives for this billing group and period.`,
    "",
    `Open the console: ${content.consoleUrl}`,
    "",
    "You receive this because an administrator added you as a recipient of this billing group's statements.",
    "",
  ].join("\r\n");
}

export function composeStatement(params: {
  content: StatementContent;
  deliveryId: string;
  to: string;
  from: string;
  date: Date;
}): StatementMessage {
  const { content } = params;
  return {
    from: params.from,
    to: params.to,
    subject: statementSubject(content.groupName, content.period),
    text: statementText(content),
    messageId: statementMessageId(params.deliveryId, params.from),
    date: params.date,
    // Marks it as machine-sent, so auto-responders do not answer it (RFC 3834).
    headers: { "Auto-Submitted": "auto-generated" },
    attachments: [{ filename: content.fileName, content: content.csv, contentType: "text/csv; charset=utf-8" }],
  };
}
