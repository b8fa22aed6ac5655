// HAProxy (Debian's package) in front of the console instances, on loopback, checking each with
// GET /api/ready: the database reachable, migrations current, a job runner alive, and 503 while
// the instance drains on SIGTERM, so the balancer stops sending before the process goes.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { haproxyBinary } from "./postgres";
import type { ProcessTracker, Tracked } from "./processes";

export function startHaproxy(params: {
  tracker: ProcessTracker;
  dir: string;
  port: number;
  backends: { name: string; port: number }[];
}): Tracked {
  const config = path.join(params.dir, "haproxy.cfg");
  writeFileSync(
    config,
    [
      "global",
      "  maxconn 512",
      "defaults",
      "  mode http",
      "  timeout connect 2s",
      "  timeout client 30s",
      "  timeout server 30s",
      // A connection refused by a dead instance is tried again on another one: nothing was sent yet.
      "  retries 2",
      "  option redispatch 1",
      "frontend consoles",
      `  bind 127.0.0.1:${params.port}`,
      "  default_backend consoles",
      "backend consoles",
      "  balance roundrobin",
      "  option httpchk GET /api/ready",
      "  http-check expect status 200",
      // Down after two failed checks half a second apart, up after two good ones.
      "  default-server inter 500ms fall 2 rise 2",
      ...params.backends.map((backend) => `  server ${backend.name} 127.0.0.1:${backend.port} check`),
      "",
    ].join("\n"),
  );
  execFileSync(haproxyBinary(), ["-c", "-q", "-f", config], { stdio: "inherit" });
  // -db: stay in the foreground, so the pid we hold is HAProxy's own.
  return params.tracker.start("haproxy", haproxyBinary(), ["-db", "-f", config]);
}
