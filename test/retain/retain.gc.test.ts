// WeakValueMap's `retain` option under the real collector: the N most recently used values survive
// collection with nothing else holding them, older ones go (with onCollect); a use refreshes;
// delete, overwrite, pop, popItem and clear release; copy() keeps the setting and what it holds.
// Maps are filled in separate synchronous functions, so no local of an async test keeps a value.
import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

type Map_ = WeakValueMap<number, { i: number }>;

/** Sets keys 0..n-1 to fresh values that nothing else holds. */
function fill(map: Map_, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) map.set(i, { i });
}

/** `get` of each key, dropping the answers (uses, for the tier). */
function use(map: Map_, keys: Iterable<number>): void {
  for (const key of keys) map.get(key);
}

/** A WeakRef to the current value of `key`, made in its own function so no local keeps it. */
function weakValueOf(map: Map_, key: number): WeakRef<object> {
  return new WeakRef(map.get(key)!);
}

/** Runs `f` in its own frame and returns only a primitive, so no value lingers in the async test. */
function run<T>(f: () => T): number | undefined {
  const result = f();
  return typeof result === "number" ? result : undefined;
}

/** has, values() and forEach: reads that are not uses. */
function readWithoutUsing(map: Map_): [boolean, number, number] {
  let visited = 0;
  map.forEach(() => visited++);
  return [map.has(1), [...map.values()].length, visited];
}

/** Hits of getOrInsert, setDefault and getOrInsertComputed on 0, 1, 2, then an insert of 100. */
function upserts(map: Map_): number[] {
  return [
    map.getOrInsert(0, { i: -1 }).i,
    map.setDefault(1, { i: -1 }).i,
    map.getOrInsertComputed(2, (i) => ({ i: -i })).i,
    map.getOrInsertComputed(100, (i) => ({ i })).i,
  ];
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe("WeakValueMap({ retain }) with real garbage collection", () => {
  it("keeps the N most recently used values alive and lets the older ones go, with onCollect", async () => {
    const collected: number[] = [];
    const map: Map_ = new WeakValueMap(null, { retain: 10, onCollect: (key) => collected.push(key) });
    fill(map, 100);
    use(map, range(20, 30)); // the 10 most recent uses: 20..29 (90..99 were set last, before)
    expect(map.stats().retained).toBe(10);
    await collect(() => map.size === 10);
    await collect();
    expect(map.size).toBe(10);
    expect([...map.keys()]).toEqual(range(20, 30));
    expect(map.stats().retained).toBe(10);
    expect(collected.sort((a, b) => a - b)).toEqual([...range(0, 20), ...range(30, 100)]);
  });

  it("a get refreshes a value; has and iteration do not", async () => {
    const map: Map_ = new WeakValueMap(null, { retain: 3 });
    fill(map, 3); // 0, 1, 2
    map.get(0); // 0 is now the most recent; 1 the oldest
    expect(readWithoutUsing(map)).toEqual([true, 3, 3]); // has, values() and forEach are not uses
    fill(map, 1, 3); // 3 evicts 1
    await collect(() => map.size === 3);
    expect([...map.keys()]).toEqual([0, 2, 3]);
    use(map, [0]);
    fill(map, 2, 4); // 4 evicts 2, 5 evicts 3: the tier is 0, 4, 5
    await collect(() => map.size === 3);
    expect([...map.keys()]).toEqual([0, 4, 5]);
  });

  it("counts getOrInsert, getOrInsertComputed and setDefault as uses, on a hit and on an insert", async () => {
    const map: Map_ = new WeakValueMap(null, { retain: 4 });
    fill(map, 8); // tier: 4..7
    expect(upserts(map)).toEqual([0, 1, 2, 100]); // hits refresh 0, 1, 2; 100 is inserted: 4..7 evicted
    await collect(() => map.size === 4);
    expect([...map.keys()]).toEqual([0, 1, 2, 100]);
    run(() => map.getOrInsert(101, { i: 101 })); // insert (evicts 0)
    run(() => map.setDefault(102, { i: 102 })); // insert (evicts 1)
    await collect(() => map.size === 4);
    expect([...map.keys()]).toEqual([2, 100, 101, 102]);
    expect(map.get(100)?.i).toBe(100);
  });

  it("delete, pop and popItem release what the tier held, and their values can be collected", async () => {
    const map: Map_ = new WeakValueMap(null, { retain: 10 });
    fill(map, 5);
    const refs = [0, 1, 4].map((key) => weakValueOf(map, key));
    expect(map.delete(0)).toBe(true);
    expect(run(() => map.pop(1)?.i)).toBe(1);
    expect(run(() => map.popItem()?.[0])).toBe(4);
    expect(map.stats().retained).toBe(2);
    await collect(() => refs.every((wr) => wr.deref() === undefined));
    expect([...map.keys()]).toEqual([2, 3]); // still held by the tier
    expect(map.stats().retained).toBe(2);
  });

  it("an overwrite releases the old value and holds the new one", async () => {
    const collected: number[] = [];
    const map: Map_ = new WeakValueMap(null, { retain: 2, onCollect: (key) => collected.push(key) });
    fill(map, 2);
    const old = weakValueOf(map, 0);
    map.set(0, { i: 1000 }); // same slot, new value
    expect(map.stats().retained).toBe(2);
    await collect(() => old.deref() === undefined);
    expect(map.get(0)?.i).toBe(1000);
    expect(map.size).toBe(2);
    expect(collected).toEqual([]); // the entry stayed: onCollect is for entries, not old values
  });

  it("clear releases everything the tier held", async () => {
    const map: Map_ = new WeakValueMap(null, { retain: 100 });
    fill(map, 50);
    const refs = range(0, 50).map((key) => weakValueOf(map, key));
    map.clear();
    expect(map.stats().retained).toBe(0);
    await collect(() => refs.every((wr) => wr.deref() === undefined));
    fill(map, 3); // a cleared map retains again
    await collect();
    expect(map.size).toBe(3);
    expect(map.stats().retained).toBe(3);
  });

  it("copy() keeps the setting and holds the same values in the same order", async () => {
    const map: Map_ = new WeakValueMap(null, { retain: 3 });
    fill(map, 6); // tier: 3, 4, 5
    use(map, [3]); // order, oldest first: 4, 5, 3
    const copy = map.copy();
    map.clear(); // only the copy holds them now
    expect(copy.stats().retained).toBe(3);
    await collect(() => copy.size === 3);
    expect([...copy.keys()]).toEqual([3, 4, 5]);
    fill(copy, 1, 10); // evicts 4, the copy's oldest
    await collect(() => copy.size === 3);
    expect([...copy.keys()]).toEqual([3, 5, 10]);
  });

  it("never calls onCollect for an entry the tier holds, and collects the rest once evicted", async () => {
    const collected: number[] = [];
    const map: Map_ = new WeakValueMap(null, { retain: 5, onCollect: (key) => collected.push(key) });
    fill(map, 5);
    await collect();
    await collect();
    expect(collected).toEqual([]);
    expect(map.size).toBe(5);
    fill(map, 5, 5); // evicts 0..4
    await collect(() => map.size === 5);
    expect(collected.sort((a, b) => a - b)).toEqual(range(0, 5));
    expect([...map.keys()]).toEqual(range(5, 10));
  });

  it("with retain 0 or no option, nothing is retained", async () => {
    for (const options of [undefined, { retain: 0 }]) {
      const map: Map_ = new WeakValueMap(null, options);
      fill(map, 20);
      use(map, range(0, 20));
      expect(map.stats()).not.toHaveProperty("retained");
      await collect(() => map.size === 0);
    }
  });

  it("survivors match an LRU oracle after random gets and sets on 5 000 entries with retain 500", async () => {
    const N = 500;
    const map: Map_ = new WeakValueMap(null, { retain: N });
    const expected = randomUses(map, N, 5000, 20_000, 1234);
    expect(map.stats().retained).toBe(N);
    await collect(() => map.size === N);
    await collect();
    expect([...map.keys()]).toEqual(expected);
  });
});

/**
 * Random gets and sets over `keys` keys (sets with fresh values); returns the keys an LRU of `n`
 * should hold at the end, in the map's insertion order (a set of a new key appends it).
 */
function randomUses(map: Map_, n: number, keys: number, steps: number, seed: number): number[] {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % keys;
  fill(map, keys);
  const lastUse = new Map<number, number>();
  for (let k = 0; k < keys; k++) lastUse.set(k, k);
  for (let step = 0; step < steps; step++) {
    const key = next();
    if (step % 3 === 0) map.set(key, { i: key });
    else map.get(key);
    lastUse.set(key, keys + step);
  }
  const recent = new Set([...lastUse].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key]) => key));
  return [...map.keys()].filter((key) => recent.has(key));
}
