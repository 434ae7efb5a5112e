// Iteration reads entries through SlotStore.walk, which serves a referent the job cache already
// holds but never adds one: a walk reads each entry once, so filling the cache only cost time
// (a write and a list entry per element, then the end-of-job clear) and made the cache judge the
// job by lookups that were never going to repeat. What these tests can see of that is the cache's
// verdict at the end of a job (`counters.cachePauses`): a job whose cache filled with at least
// `cacheSample` referents and served fewer than one in four of them pauses it.
//
// Each job below ends at a macrotask; the end-of-job microtask has run by then. Before walk, the
// first, second and fourth tests failed (iteration filled the cache); the third checks what a
// walk returns next to cached and overwritten entries, and passed before as well.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";
import { counters, tuneForTesting, tuning } from "../../src/core/collector.js";

const N = 64;
const nextJob = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
let previous: typeof tuning;

beforeEach(() => {
  previous = tuneForTesting({ cacheSample: 16 }); // N is four times the sample
});
afterEach(() => {
  tuneForTesting(previous);
});

function objects(): Array<{ i: number }> {
  return Array.from({ length: N }, (_, i) => ({ i }));
}

describe("a walk does not fill the job cache", () => {
  it("WeakValueMap: iterating every value in a job does not pause the cache", async () => {
    const values = objects();
    const map = new WeakValueMap<number, { i: number }>(values.map((v) => [v.i, v]));
    await nextJob();
    const pauses = counters.cachePauses;
    let seen = 0;
    for (const [key, value] of map) {
      expect(value).toBe(values[key]);
      seen++;
    }
    expect(seen).toBe(N);
    await nextJob();
    expect(counters.cachePauses).toBe(pauses); // a fill of N with no hits would have paused it
    // Walks repeated in one job are as right (and still leave nothing behind).
    expect([...map.values()]).toEqual(values);
    expect([...map.keys()]).toEqual(values.map((v) => v.i));
    expect([...map.values()]).toEqual(values);
    await nextJob();
    expect(counters.cachePauses).toBe(pauses);
  });

  it("WeakValueMap: a get after a walk in the same job fills the cache itself (the walk left nothing for it)", async () => {
    const values = objects();
    const map = new WeakValueMap<number, { i: number }>(values.map((v) => [v.i, v]));
    await nextJob();
    const pauses = counters.cachePauses;
    expect([...map.values()]).toHaveLength(N);
    for (const v of values) expect(map.get(v.i)).toBe(v); // N distinct gets: N fills, no hit
    await nextJob();
    // Had the walk cached every value, these gets would all have been hits, and the cache kept on.
    expect(counters.cachePauses).toBe(pauses + 1);
  });

  it("WeakValueMap: a walk serves what a get cached, and sees what was set after it", async () => {
    const values = objects();
    const map = new WeakValueMap<number, { i: number }>(values.map((v) => [v.i, v]));
    await nextJob();
    const pauses = counters.cachePauses;
    for (const v of values) {
      expect(map.get(v.i)).toBe(v);
      expect(map.get(v.i)).toBe(v); // repeated: a hit
    }
    const replaced = { i: -1 };
    map.set(5, replaced); // an overwrite drops the cached referent at once
    const walked = [...map.values()];
    expect(walked[5]).toBe(replaced);
    expect(walked.filter((v, i) => i !== 5 && v !== values[i])).toEqual([]);
    await nextJob();
    expect(counters.cachePauses).toBe(pauses); // the gets repeated: the cache paid
  });

  it("IterableWeakSet and IterableWeakMap: iteration and pop never pause the cache", async () => {
    const keys = objects();
    const set = new IterableWeakSet(keys);
    const map = new IterableWeakMap(keys.map((k) => [k, k.i]));
    await nextJob();
    const pauses = counters.cachePauses;
    expect([...set]).toEqual(keys); // one walk of each store in this job
    expect([...map.keys()]).toEqual(keys);
    await nextJob();
    expect(counters.cachePauses).toBe(pauses);
    expect([...map.values()]).toEqual(keys.map((k) => k.i));
    expect([...map.entries()]).toEqual(keys.map((k) => [k, k.i]));
    expect(set.pop()).toBe(keys[N - 1]);
    expect(map.popItem()).toEqual([keys[N - 1], N - 1]);
    expect(set.size).toBe(N - 1);
    expect(map.size).toBe(N - 1);
    await nextJob();
    expect(counters.cachePauses).toBe(pauses);
  });
});
