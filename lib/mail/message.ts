// A message as the console hands it to the SMTP transport (statements, alert emails): pure data.
export type MailMessage = {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Stable for the delivery (lib/deliveries/rules.ts), so a resend is recognisably the same message. */
  messageId: string;
  date: Date;
  headers: Record<string, string>;
};
