// Issue 19, item 3: the top frames of a V8 CPU profile (`node --cpu-prof`) of the server under
// single-event load, for the report. Self time says where the CPU went; inclusive time says which
// layer (Next's routing, the route handler, postgres.js) it went through.

/** The parts of a `.cpuprofile` this reads (the Chrome DevTools Profiler.Profile format). */
export type CpuProfile = {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
  /** Microseconds on the system's monotonic clock (V8's TimeTicks, CLOCK_MONOTONIC on Linux). */
  startTime?: number;
};

export type Frame = { frame: string; ms: number; share: number };
export type ProfileSummary = { activeMs: number; idleShare: number; self: Frame[]; inclusive: Frame[] };

/** `name file:line`, with node_modules and the build directory shortened. */
function frameName(callFrame: CpuProfile["nodes"][number]["callFrame"]): string {
  const url = callFrame.url
    .replace(/^.*node_modules\//, "")
    .replace(/^.*\.next\//, ".next/")
    .replace(/^file:\/\//, "");
  return `${callFrame.functionName || "(anonymous)"} ${url ? `${url}:${callFrame.lineNumber + 1}` : "(native)"}`;
}

const PSEUDO = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/**
 * `fromUs`: ignore samples taken before this instant (same monotonic clock as the profile's
 * `startTime`; another process's `process.hrtime.bigint() / 1000n` reads it), so the server's
 * start-up — compiling its modules — is not counted as the load's.
 */
export function summarizeProfile(profile: CpuProfile, top = 15, fromUs = 0): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime ?? 0;
  for (const [i, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= fromUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  }
  const idleUs = [...selfUs].reduce(
    (sum, [id, us]) => sum + (byId.get(id)?.callFrame.functionName === "(idle)" ? us : 0),
    0,
  );
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const activeUs = Math.max(1, totalUs - idleUs);

  const self = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const fn = byId.get(id)!.callFrame.functionName;
    if (fn === "(idle)") continue;
    const name = frameName(byId.get(id)!.callFrame);
    self.set(name, (self.get(name) ?? 0) + us);
  }
  // Inclusive: each sample counts once for every distinct frame on its stack (recursion counted once).
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const node = byId.get(id)!;
    const name = frameName(node.callFrame);
    let us = node.callFrame.functionName === "(idle)" ? 0 : (selfUs.get(id) ?? 0);
    const fresh = !onStack.has(name);
    if (fresh) onStack.add(name);
    for (const child of node.children ?? []) us += walk(child, onStack);
    if (fresh) {
      onStack.delete(name);
      if (!PSEUDO.has(node.callFrame.functionName)) inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
    return us;
  };
  const root = profile.nodes[0];
  if (root) walk(root.id, new Set());

  const rank = (map: Map<string, number>): Frame[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, us]) => ({ frame, ms: Math.round(us / 1_000), share: Math.round((1_000 * us) / activeUs) / 10 }));
  return {
    activeMs: Math.round(activeUs / 1_000),
    idleShare: Math.round((1_000 * idleUs) / Math.max(1, totalUs)) / 10,
    self: rank(self),
    inclusive: rank(inclusive),
  };
}
