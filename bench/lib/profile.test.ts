import { describe, expect, it } from "vitest";
import { type CpuProfile, summarizeProfile } from "./profile";

// root → handler → (parse, write); idle beside it. Samples: handler 1 ms, parse 2 ms, write 3 ms, idle 4 ms.
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 }, children: [2, 5] },
    {
      id: 2,
      callFrame: { functionName: "handler", url: "file:///app/.next/server/chunks/route.js", lineNumber: 9 },
      children: [3, 4],
    },
    { id: 3, callFrame: { functionName: "parse", url: "file:///app/node_modules/zod/index.js", lineNumber: 0 } },
    { id: 4, callFrame: { functionName: "writeBuffer", url: "", lineNumber: -1 } },
    { id: 5, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
  ],
  samples: [2, 3, 3, 4, 4, 4, 5, 5, 5, 5],
  timeDeltas: Array(10).fill(1_000),
};

describe("summarizeProfile", () => {
  it("ranks self and inclusive time over the active (non-idle) time", () => {
    const summary = summarizeProfile(PROFILE);
    expect(summary.activeMs).toBe(6);
    expect(summary.idleShare).toBe(40);
    expect(summary.self).toEqual([
      { frame: "writeBuffer (native)", ms: 3, share: 50 },
      { frame: "parse zod/index.js:1", ms: 2, share: 33.3 },
      { frame: "handler .next/server/chunks/route.js:10", ms: 1, share: 16.7 },
    ]);
    expect(summary.inclusive[0]).toEqual({ frame: "handler .next/server/chunks/route.js:10", ms: 6, share: 100 });
  });

  it("leaves out what happened before the load began (the server's start-up)", () => {
    const summary = summarizeProfile({ ...PROFILE, startTime: 1_000_000 }, 15, 1_000_000 + 3_000);
    // Samples 3…10 remain: write 3 ms, idle 4 ms, parse 1 ms (its second sample).
    expect(summary.activeMs).toBe(4);
    expect(summary.self.map((f) => f.frame)).toEqual(["writeBuffer (native)", "parse zod/index.js:1"]);
  });
});
