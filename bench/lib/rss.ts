// What the processes under test cost, read from /proc (Linux only; 0 elsewhere): the resident
// memory and CPU time of the server's process group (`next start` may run the server in a child
// process), and the CPU time of a PostgreSQL server (its postmaster and every child of it).
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's utime and stime (USER_HZ, 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100;

type ProcStat = { pid: number; ppid: number; pgid: number; cpuMs: number };

/** Every process's parent, group and CPU time so far; fields after the command name (which may contain spaces). */
function processes(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const out: ProcStat[] = [];
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the name: state(0) ppid(1) pgrp(2) … utime(11) stime(12).
      out.push({
        pid: Number(pid),
        ppid: Number(fields[1]),
        pgid: Number(fields[2]),
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND,
      });
    } catch {
      // the process ended between listing and reading
    }
  }
  return out;
}

export function groupRss(pgid: number): number {
  if (!pgid) return 0;
  let total = 0;
  for (const p of processes()) {
    if (p.pgid !== pgid) continue;
    try {
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, "utf8"));
      if (rss) total += Number(rss[1]) * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/** CPU milliseconds used so far by every process of a process group. */
export function groupCpuMs(pgid: number): number {
  if (!pgid) return 0;
  return processes()
    .filter((p) => p.pgid === pgid)
    .reduce((sum, p) => sum + p.cpuMs, 0);
}

/** CPU milliseconds used so far by a PostgreSQL server: its postmaster and every backend and helper it started. */
export function postgresCpuMs(postmasterPid: number): number {
  if (!postmasterPid) return 0;
  return processes()
    .filter((p) => p.pid === postmasterPid || p.ppid === postmasterPid)
    .reduce((sum, p) => sum + p.cpuMs, 0);
}

/** The postmaster of a backend (its parent), when that server runs on this machine; 0 when it cannot be read. */
export function postmasterOf(backendPid: number): number {
  return processes().find((p) => p.pid === backendPid)?.ppid ?? 0;
}
