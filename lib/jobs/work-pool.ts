// A pool of `slots` loops over one `step` (claim one piece of work and do it; false when there was
// nothing to claim) that ends only when every slot finds nothing at once. A slot that runs dry
// while others still work (say, one waiting on a webhook that hangs for its 10 seconds) parks
// instead of ending, so `wake()` — new work was recorded — sends it straight back to claim, while
// the hanging ones hang. `wake()` answers false once the pool has ended: then the caller starts
// a new one. Plain module (no database): lib/jobs/work-pool.test.ts drives it with fake steps.

export type WorkPool = {
  /** New work may be due: parked slots claim again, and a slot mid-step steps once more. */
  wake(): boolean;
  /** Settles when every slot has stopped: rejects with the first step that threw, once all have. */
  finished: Promise<void>;
};

export function startWorkPool(options: {
  slots: number;
  step: () => Promise<boolean>;
  /** Stop claiming: steps in hand finish, parked slots leave. */
  signal?: AbortSignal;
}): WorkPool {
  let busy = options.slots;
  let ended = false;
  // Bumped by every wake(): a slot whose step found nothing steps again if a wake came meanwhile
  // (its claim may have run before the work it was woken for was committed).
  let wakes = 0;
  let failure: { error: unknown } | null = null;
  const parked: Array<(resume: boolean) => void> = [];
  let settle!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });

  const end = () => {
    ended = true;
    for (const leave of parked.splice(0)) leave(false);
    if (failure) fail(failure.error);
    else settle();
  };
  const stopping = () => options.signal?.aborted === true || failure !== null;

  const slot = async (): Promise<void> => {
    while (!stopping()) {
      const seen = wakes;
      let worked: boolean;
      try {
        worked = await options.step();
      } catch (error) {
        failure ??= { error };
        break;
      }
      if (worked || wakes !== seen) continue;
      busy -= 1;
      if (busy === 0) return end();
      // Parked: wake() counts this slot busy again before it resumes, so the pool never ends
      // between a wake and the claim it asked for.
      if (!(await new Promise<boolean>((resume) => parked.push(resume)))) return;
    }
    busy -= 1;
    if (busy === 0) end();
    else if (stopping()) for (const leave of parked.splice(0)) leave(false);
  };

  if (options.slots < 1) end();
  else {
    options.signal?.addEventListener("abort", () => {
      for (const leave of parked.splice(0)) leave(false);
    });
    for (let i = 0; i < options.slots; i++) void slot();
  }

  return {
    wake() {
      if (ended || stopping()) return false;
      wakes += 1;
      for (const resume of parked.splice(0)) {
        busy += 1;
        resume(true);
      }
      return true;
    },
    finished,
  };
}
