// A table shrinks to what it holds now, even when what it still holds sits in its highest slots.
// Slots name entries, so before this a table that once held 2^20 entries and kept one in a high
// slot kept 2^20 slots (46 MB) for it. Now a shrink that live high slots block renames them to low
// free slots (`tbl_relocate`), and the store renames everything it keeps by slot and registers the
// moved referents again (slot-store.ts `#relocate`). These tests fail on the code before that: the
// capacity stayed at the high-water mark. The model tests (test/model) cross the same path at
// random, with the fake collector delivering notices around it; here the real collector checks
// that a moved entry still leaves when its referent dies, exactly once, with its own key.
import { describe, expect, it, onTestFinished } from "vitest";
import { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";
import { counters, tuneForTesting } from "../../src/core/collector.js";
import { collect } from "../../src/testing/index.js";

const N = 1 << 12;

/** One container kind, driven through the same four operations. */
interface Kind {
  name: string;
  make(onCollect: (what: unknown) => void): {
    stats(): { size: number; capacity: number; bytes: number };
    readonly size: number;
  };
  put(c: unknown, i: number, value: object): void;
  remove(c: unknown, i: number, value: object): void;
  /** The value found for entry `i`, or undefined. */
  read(c: unknown, i: number, value: object): object | undefined;
  /** The entries' `i`s in iteration order. */
  order(c: unknown, values: readonly object[]): number[];
  /** What onCollect receives for entry `i` (undefined: the kind has no onCollect). */
  collectedAs?: (i: number) => unknown;
  /** The kind holds recently used values strongly (retain): the collection test does not apply. */
  retains?: boolean;
}

type Wvm = WeakValueMap<unknown, object>;
type Iwm = IterableWeakMap<object, number>;
type Iws = IterableWeakSet<object>;

const indexOf = (values: readonly object[], value: object) => (value as { i: number }).i ?? values.indexOf(value);

const kinds: Kind[] = [
  {
    name: "WeakValueMap, number keys",
    make: (onCollect) => new WeakValueMap<unknown, object>(null, { onCollect }),
    put: (c, i, v) => (c as Wvm).set(i, v),
    remove: (c, i) => (c as Wvm).delete(i),
    read: (c, i) => (c as Wvm).get(i),
    order: (c) => [...(c as Wvm).keys()] as number[],
    collectedAs: (i) => i,
  },
  {
    name: "WeakValueMap, string keys",
    make: (onCollect) => new WeakValueMap<unknown, object>(null, { onCollect }),
    put: (c, i, v) => (c as Wvm).set(`k${i}`, v),
    remove: (c, i) => (c as Wvm).delete(`k${i}`),
    read: (c, i) => (c as Wvm).get(`k${i}`),
    order: (c) => [...(c as Wvm).keys()].map((k) => Number((k as string).slice(1))),
    collectedAs: (i) => `k${i}`,
  },
  {
    name: "WeakValueMap with retain",
    make: (onCollect) => new WeakValueMap<unknown, object>(null, { onCollect, retain: 8 }),
    put: (c, i, v) => (c as Wvm).set(i, v),
    remove: (c, i) => (c as Wvm).delete(i),
    read: (c, i) => (c as Wvm).get(i),
    order: (c) => [...(c as Wvm).keys()] as number[],
    retains: true,
  },
  {
    name: "IterableWeakSet",
    make: () => new IterableWeakSet<object>(),
    put: (c, _i, v) => (c as Iws).add(v),
    remove: (c, _i, v) => (c as Iws).delete(v),
    read: (c, _i, v) => ((c as Iws).has(v) ? v : undefined),
    order: (c, values) => [...(c as Iws)].map((v) => indexOf(values, v)),
  },
  {
    name: "IterableWeakMap with onCollect (values by slot)",
    make: (onCollect) => new IterableWeakMap<object, number>(null, { onCollect }),
    put: (c, i, v) => (c as Iwm).set(v, i),
    remove: (c, _i, v) => (c as Iwm).delete(v),
    read: (c, i, v) => ((c as Iwm).get(v) === i ? v : undefined),
    order: (c) => [...(c as Iwm).values()],
    collectedAs: (i) => i,
  },
  {
    name: "IterableWeakMap",
    make: () => new IterableWeakMap<object, number>(),
    put: (c, i, v) => (c as Iwm).set(v, i),
    remove: (c, _i, v) => (c as Iwm).delete(v),
    read: (c, i, v) => ((c as Iwm).get(v) === i ? v : undefined),
    order: (c) => [...(c as Iwm).values()],
  },
];

/** Fills `c` with entries 0..n-1 (values held by `values`), then deletes all but `keep`. */
function fillAndThin(kind: Kind, c: unknown, values: readonly object[], keep: readonly number[]): void {
  for (let i = 0; i < values.length; i++) kind.put(c, i, values[i]!);
  for (let i = 0; i < values.length; i++) if (!keep.includes(i)) kind.remove(c, i, values[i]!);
}

describe.each(kinds)("$name", (kind) => {
  it("shrinks back when the entries left sit in the highest slots", async () => {
    const values = Array.from({ length: N }, (_, i) => ({ i }));
    const c = kind.make(() => {});
    const keep = [N - 1, N - 2, 3, N - 100];
    const relocations = counters.relocations;
    for (let i = 0; i < values.length; i++) kind.put(c, i, values[i]!);
    const full = c.stats();
    for (let i = 0; i < values.length; i++) if (!keep.includes(i)) kind.remove(c, i, values[i]!);
    await endOfJob(); // the relocation runs at the end of the job that queued it
    const thin = c.stats();
    expect(full.capacity).toBeGreaterThanOrEqual(N);
    // Four entries and at most 16 tombstones (compaction waits for more): 32 slots at most, where
    // the capacity stayed at 4 096 while slot 4 095 was used.
    expect(thin.capacity).toBeLessThanOrEqual(32);
    expect(thin.bytes).toBeLessThan(full.bytes / 50);
    expect(counters.relocations).toBeGreaterThan(relocations);
    for (const i of keep) expect(kind.read(c, i, values[i]!)).toBe(values[i]);
    expect(kind.order(c, values)).toEqual([3, N - 100, N - 2, N - 1]); // insertion order kept
    expect(c.size).toBe(keep.length);
    // The renamed entries still leave and come back like any other.
    kind.remove(c, N - 1, values[N - 1]!);
    expect(kind.read(c, N - 1, values[N - 1]!)).toBeUndefined();
    kind.put(c, N - 1, values[N - 1]!);
    expect(kind.order(c, values)).toEqual([3, N - 100, N - 2, N - 1]);
    expect(c.size).toBe(keep.length);
  });

  it("keeps a paused iterator's place across a relocation", async () => {
    const values = Array.from({ length: N }, (_, i) => ({ i }));
    const c = kind.make(() => {});
    for (let i = 0; i < values.length; i++) kind.put(c, i, values[i]!);
    const iterator = (c as unknown as Iterable<unknown>)[Symbol.iterator]();
    iterator.next(); // on entry 0
    const keep = [0, 10, N - 3, N - 1];
    for (let i = 0; i < values.length; i++) if (!keep.includes(i)) kind.remove(c, i, values[i]!);
    await endOfJob();
    expect(c.stats().capacity).toBeLessThanOrEqual(32);
    let rest = 0;
    while (!iterator.next().done) rest++;
    expect(rest).toBe(3); // 10, N-3, N-1: each once, none skipped, none repeated
  });

  // With retain, the tier holds the last values used (test/retain covers their collection).
  it.skipIf(kind.retains === true)("reaps a renamed entry when its referent is collected, once, with its own key", async () => {
    const collected: unknown[] = [];
    const c = kind.make((what) => collected.push(what));
    const survivor = { i: N - 2 };
    const pinned = fill(kind, c, survivor);
    await endOfJob();
    expect(c.stats().capacity).toBeLessThanOrEqual(32);
    expect(c.size).toBe(2);
    pinned.length = 0; // the value of entry N - 1, renamed to a low slot, is now unreachable
    await collect(() => c.size === 1);
    expect(kind.read(c, N - 2, survivor)).toBe(survivor);
    await collect(); // stale notices of the old registrations arrive too, and change nothing
    expect(c.size).toBe(1);
    expect(collected).toEqual(kind.collectedAs === undefined ? [] : [kind.collectedAs(N - 1)]);
  });
});

/** Entries 0..N-1 with values made here, all deleted but N-2 (`survivor`) and N-1 (returned). */
function fill(kind: Kind, c: unknown, survivor: object): object[] {
  const values = Array.from({ length: N }, (_, i) => (i === N - 2 ? survivor : { i }));
  fillAndThin(kind, c, values, [N - 2, N - 1]);
  return [values[N - 1]!];
}

describe("entries found dead when a relocation runs", () => {
  it("are reaped then, with onCollect once each, and the live ones move", async () => {
    // No registry renewal in this test: it would walk the entries first and reap the dead ones.
    const tuned = tuneForTesting({ staleMin: 1e9 });
    onTestFinished(() => void tuneForTesting(tuned));
    const collected: unknown[] = [];
    const map = new WeakValueMap<number, object>(null, { onCollect: (k) => collected.push(k) });
    const live = fillWithDeadMiddle(map);
    await macrotask(); // the job that made the WeakRefs is over: their targets may die now
    (globalThis as unknown as { gc(): void }).gc();
    // Every value of 6 000..6 499 is collected now, and no notice has arrived (this job has not
    // yielded since the gc()). Deleting the live low entries compacts until the table is a quarter
    // full; the high slots block the shrink, and the relocation meets the dead entries first.
    const relocated = counters.relocatedEntries;
    for (let i = 0; i < 6000; i++) if (i % 2000 !== 0) map.delete(i);
    const reaped = counters.reapedInRelocation;
    for (let i = 0; i < 3; i++) await Promise.resolve(); // the relocation queued by the deletes (two microtasks deep) runs; no notice yet
    expect(counters.relocatedEntries).toBeGreaterThan(relocated);
    expect(counters.reapedInRelocation - reaped).toBe(500);
    expect(map.size).toBe(3 + live.length); // the dead were reaped by the relocation
    expect(map.stats().capacity).toBeLessThanOrEqual(64);
    for (const [i, value] of live) expect(map.get(i)).toBe(value);
    await collect(); // their notices arrive now, stale: nothing more leaves
    expect(map.size).toBe(3 + live.length);
    expect((collected as number[]).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => 6000 + i));
    keepLow.length = 0;
  });
});

/** Lets the microtasks queued so far run (the end of the current job). */
function endOfJob(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Held strongly until the test ends: the low entries' values. */
const keepLow: object[] = [];

/**
 * Keys 0..5 999 with values held in `keepLow`; 6 000..6 499 with values nothing holds; then every
 * 19th key of 6 500..6 599 with values returned (held by the test).
 */
function fillWithDeadMiddle(map: WeakValueMap<number, object>): Array<[number, object]> {
  for (let i = 0; i < 6000; i++) {
    const value = { i };
    keepLow.push(value);
    map.set(i, value);
  }
  for (let i = 6000; i < 6500; i++) map.set(i, { dead: i });
  const live: Array<[number, object]> = [];
  for (let i = 6500; i < 6600; i += 19) {
    const value = { i };
    live.push([i, value]);
    map.set(i, value);
  }
  return live;
}

describe("IdRegistry", () => {
  it("never renames a slot: a high id keeps resolving, and keeps its slot", () => {
    const registry = new IdRegistry<object>();
    const objects = Array.from({ length: N }, (_, i) => ({ i }));
    const ids = objects.map((o) => registry.remember(o));
    for (let i = 0; i < N - 1; i++) registry.forget(ids[i]!);
    expect(registry.get(ids[N - 1]!)).toBe(objects[N - 1]);
    expect(registry.idOf(objects[N - 1]!)).toBe(ids[N - 1]);
    // The id names slot N - 1, so the table cannot go below it (README, Limits).
    expect(registry.stats().capacity).toBeGreaterThanOrEqual(N);
  });
});
