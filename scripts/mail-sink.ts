// `npm run mail:sink`: a local SMTP server for trying statements (R39) by hand. It accepts any
// login, relays nothing, prints one line per message and saves each one under
// <LEDGERLINE_DATA_DIR or .data>/mail as an .eml file any mail client opens.
import path from "node:path";
import { startSmtpSink } from "../lib/mail/sink";

const ROOT = path.resolve(import.meta.dirname, "..");

const port = Number(process.env.MAIL_SINK_PORT ?? 2525);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`MAIL_SINK_PORT must be a port number (0-65535), not "${process.env.MAIL_SINK_PORT}".`);
  process.exit(1);
}
const saveDir = path.resolve(ROOT, process.env.LEDGERLINE_DATA_DIR ?? ".data", "mail");

const sink = await startSmtpSink({ port, saveDir, log: (line) => console.log(line) });
console.log(`Mail sink listening on ${sink.url}; messages are saved in ${saveDir}.`);
console.log(`Send the console's statements here: SMTP_URL=${sink.url} npm start`);
console.log("Any user and password are accepted; nothing is relayed. Ctrl+C stops it.");

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`Mail sink stopping (${signal}); ${sink.messages.length} message(s) received.`);
    sink.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
