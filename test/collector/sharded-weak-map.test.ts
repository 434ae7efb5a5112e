// ShardedWeakMap against a Map model, with a shard limit small enough that every run opens shards,
// rebuilds, and probes older shards many times; then the same paths through IterableWeakSet and
// IterableWeakMap with the real collector.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counters, tuneForTesting, tuning } from "../../src/core/collector.js";
import { ShardedWeakMap } from "../../src/core/sharded-weak-map.js";
import { IterableWeakMap, IterableWeakSet } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

let saved: typeof tuning;
beforeAll(() => {
  saved = tuneForTesting({ shardEntries: 4 });
});
afterAll(() => {
  tuneForTesting(saved);
});

type Op = { kind: "add" | "delete" | "forget" | "get"; key: number };

describe("ShardedWeakMap", () => {
  it("agrees with a Map while it opens shards and rebuilds (model)", () => {
    let maxShards = 0;
    let rebuilds = 0;
    let olderHits = 0;
    const op = fc.record({
      kind: fc.constantFrom<Op["kind"]>("add", "add", "add", "delete", "forget", "forget", "get", "get"),
      key: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 400 }), (ops) => {
        const objects = Array.from({ length: 21 }, (_, i) => ({ i }));
        // `live` is the owner's view: `forget` stands for a key that was collected, which the
        // owner learns of (and stops reporting) while the WeakMap still holds it until a rebuild.
        const live = new Map<object, number>();
        const gone = new Set<object>();
        let version = 0;
        const map = new ShardedWeakMap<object, number>(() => {
          rebuilds++;
          return [...live];
        });
        for (const { kind, key } of ops) {
          const object = objects[key]!;
          if (kind === "add") {
            if (live.has(object)) continue;
            const value = ++version;
            const before = map.shards;
            map.add(object, value, live.size);
            // Shards are only opened while at least half the inserts so far are live: proportional
            // to what the owner holds, never to how many keys ever passed through.
            if (map.shards > before) expect(map.shards).toBeLessThanOrEqual(Math.ceil((2 * live.size) / tuning.shardEntries) + 1);
            live.set(object, value);
          } else if (kind === "delete") {
            const deleted = map.delete(object);
            if (live.has(object)) expect(deleted).toBe(true);
            else if (!gone.has(object)) expect(deleted).toBe(false);
            expect(map.get(object)).toBeUndefined();
            live.delete(object);
            gone.delete(object);
          } else if (kind === "forget") {
            if (live.delete(object)) {
              gone.add(object);
              objects[key] = { i: key }; // the key's next object is a fresh one (churn)
            }
          } else {
            if (map.shards > 1 && live.has(object)) olderHits++;
            if (live.has(object)) expect(map.get(object)).toBe(live.get(object));
            else if (!gone.has(object)) expect(map.get(object)).toBeUndefined();
          }
          maxShards = Math.max(maxShards, map.shards);
        }
        for (const [object, value] of live) expect(map.get(object)).toBe(value);
      }),
      { numRuns: 300, seed: Number(process.env["FC_SEED"] ?? 20261201) },
    );
    console.log(`ShardedWeakMap model: ${rebuilds} rebuilds, at most ${maxShards} shards, ${olderHits} lookups while sharded`);
    expect(rebuilds).toBeGreaterThan(50);
    expect(maxShards).toBeGreaterThan(3);
    expect(olderHits).toBeGreaterThan(100);
  });
});

/** Adds `n` elements; returns the only strong references to them. */
function fillSet(set: IterableWeakSet<object>, n: number): Array<object | undefined> {
  const held: Array<object | undefined> = [];
  for (let i = 0; i < n; i++) {
    const element = { i };
    held.push(element);
    set.add(element);
  }
  return held;
}

describe("weak-key containers over many shards, with the real collector", () => {
  it("IterableWeakSet keeps membership exact across shard rolls and rebuilds", async () => {
    const set = new IterableWeakSet<object>();
    const held = fillSet(set, 200); // 50 shards of 4
    for (let i = 0; i < 200; i++) if (i % 3 !== 0) held[i] = undefined;
    await collect(() => set.size === 67);
    const rebuilds = counters.shardRebuilds;
    const more = fillSet(set, 100); // rolls while most inserts are gone: rebuilds
    expect(counters.shardRebuilds).toBeGreaterThan(rebuilds);
    for (let i = 0; i < 200; i++) {
      const element = held[i];
      if (element !== undefined) expect(set.has(element)).toBe(true);
    }
    for (const element of more) expect(set.has(element!)).toBe(true);
    expect(set.has({})).toBe(false);
    expect(set.size).toBe(167);
    for (const element of held) if (element !== undefined) expect(set.delete(element)).toBe(true);
    for (const element of more) expect(set.delete(element!)).toBe(true);
    expect(set.size).toBe(0);
    expect([...set]).toEqual([]);
  });

  it("IterableWeakMap finds values in older shards and after rebuilds", async () => {
    const map = new IterableWeakMap<object, number>();
    const keys: Array<object | undefined> = [];
    (() => {
      for (let i = 0; i < 120; i++) {
        const key = { i };
        keys.push(key);
        map.set(key, i);
      }
    })();
    for (let i = 0; i < 120; i += 2) keys[i] = undefined;
    await collect(() => map.size === 60);
    for (let i = 0; i < 40; i++) {
      const key = { extra: i };
      keys.push(key);
      map.set(key, 1000 + i);
    }
    keys.forEach((key, i) => {
      if (key !== undefined) expect(map.get(key)).toBe(i < 120 ? i : 1000 + i - 120);
    });
    expect(map.size).toBe(100);
  });
});
