import type { StatementDeliveryStatus } from "@/db/schema/statements";

// What the Recipients tab shows of statement deliveries (R39). Plain JSON: dates as ISO strings.

export type StatementDeliveryDto = {
  id: string;
  email: string;
  period: string;
  status: StatementDeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** `period_close`: sent when the period closed; `manual`: a `Send Statement` press. */
  trigger: "period_close" | "manual";
  createdAt: string;
  sentAt: string | null;
  /** When the next attempt is due (queued and retrying only). */
  nextAttemptAt: string | null;
};

export type StatementDeliveriesDto = {
  /** False without SMTP_URL: nothing is sent, and the tab says email delivery is not configured. */
  emailConfigured: boolean;
  deliveries: StatementDeliveryDto[];
};

export type SendStatementResult = { period: string; deliveries: number };
