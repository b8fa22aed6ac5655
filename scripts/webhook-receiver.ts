// `npm run webhook:receiver`: a local endpoint for trying webhooks by hand (R41). It prints one
// line per delivery and, given the endpoint's signing secret, whether its signature verifies.
// Start the console with LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE=true so it may deliver to this machine.
import { startWebhookReceiver } from "../lib/webhooks/receiver";

const port = Number(process.env.WEBHOOK_RECEIVER_PORT ?? 4000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`WEBHOOK_RECEIVER_PORT must be a port number (0-65535), not "${process.env.WEBHOOK_RECEIVER_PORT}".`);
  process.exit(1);
}
const secret = process.env.WEBHOOK_SECRET?.trim() || null;

const receiver = await startWebhookReceiver({ port, secret, log: (line) => console.log(line) });
console.log(`Webhook receiver listening on ${receiver.url}`);
console.log("Add that URL on the Webhooks page (with LEDGERLINE_WEBHOOKS_ALLOW_PRIVATE=true npm start).");
console.log(
  secret
    ? "Signatures are verified with WEBHOOK_SECRET."
    : "Set WEBHOOK_SECRET=<the endpoint's Signing secret> to verify signatures.",
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.log(`Webhook receiver stopping (${signal}); ${receiver.received.length} request(s) received.`);
    receiver.close().then(() => process.exit(0));
  });
}
