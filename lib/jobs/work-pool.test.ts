import { describe, expect, it } from "vitest";
import { startWorkPool } from "./work-pool";

// The pool behind an org's event deliveries: slots claim until all find nothing at once; a slot
// that runs dry while another hangs parks, and wake() sends it back to claim.

/** Work items a fake step claims one at a time; `hold` items wait until released. */
function fakeQueue() {
  const items: Array<{ name: string; hold?: Promise<void> }> = [];
  const done: string[] = [];
  const claims = { count: 0 };
  return {
    items,
    done,
    claims,
    add(name: string, hold?: Promise<void>) {
      items.push({ name, hold });
    },
    async step(): Promise<boolean> {
      claims.count += 1;
      await Promise.resolve();
      const item = items.shift();
      if (!item) return false;
      await item.hold;
      done.push(item.name);
      return true;
    },
  };
}

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const settled = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe("startWorkPool", () => {
  it("works every item and ends when all slots find nothing", async () => {
    const queue = fakeQueue();
    for (const name of ["a", "b", "c", "d", "e"]) queue.add(name);
    const pool = startWorkPool({ slots: 3, step: () => queue.step() });
    await pool.finished;
    expect(queue.done.sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(pool.wake()).toBe(false);
  });

  it("a slot that ran dry while another hangs claims new work as soon as it is woken", async () => {
    const queue = fakeQueue();
    const hang = gate();
    queue.add("hanging", hang.promise);
    const pool = startWorkPool({ slots: 2, step: () => queue.step() });
    await settled();
    // One slot holds the hanging item; the other found nothing and parked.
    expect(queue.done).toEqual([]);
    queue.add("ping");
    expect(pool.wake()).toBe(true);
    await settled();
    expect(queue.done).toEqual(["ping"]);
    hang.open();
    await pool.finished;
    expect(queue.done).toEqual(["ping", "hanging"]);
  });

  it("a wake during a step that found nothing makes that slot claim again (its claim may have been too early)", async () => {
    const items: string[] = [];
    let first = true;
    const pool = startWorkPool({
      slots: 1,
      step: async () => {
        await Promise.resolve();
        if (first) {
          first = false;
          // The work is committed and the wake sent while this claim is in flight.
          items.push("late");
          pool.wake();
          return false;
        }
        return items.shift() !== undefined;
      },
    });
    await pool.finished;
    expect(items).toEqual([]);
  });

  it("a stopping signal lets the step in hand finish and parked slots leave; nothing more is claimed", async () => {
    const queue = fakeQueue();
    const hang = gate();
    queue.add("in hand", hang.promise);
    const stopping = new AbortController();
    const pool = startWorkPool({ slots: 3, step: () => queue.step(), signal: stopping.signal });
    await settled();
    stopping.abort();
    queue.add("later");
    expect(pool.wake()).toBe(false);
    hang.open();
    await pool.finished;
    expect(queue.done).toEqual(["in hand"]);
    expect(queue.items.map((item) => item.name)).toEqual(["later"]);
  });

  it("a step that throws ends the pool with that error, once the other slots' steps finish", async () => {
    const hang = gate();
    let calls = 0;
    const finishedSteps: string[] = [];
    const pool = startWorkPool({
      slots: 2,
      step: async () => {
        calls += 1;
        if (calls === 1) {
          await hang.promise;
          finishedSteps.push("slow");
          return true;
        }
        throw new Error("database went away");
      },
    });
    let outcome: unknown = "pending";
    pool.finished.then(
      () => (outcome = "resolved"),
      (error: Error) => (outcome = error.message),
    );
    await settled();
    expect(outcome).toBe("pending");
    hang.open();
    await expect(pool.finished).rejects.toThrow("database went away");
    expect(finishedSteps).toEqual(["slow"]);
    expect(calls).toBe(2);
  });

  it("no slots: finished at once", async () => {
    const pool = startWorkPool({ slots: 0, step: async () => true });
    await pool.finished;
    expect(pool.wake()).toBe(false);
  });
});
