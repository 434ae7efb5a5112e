// WeakValueMap with `retain` against a model: random sets, gets, getOrInsert, deletes, pops,
// popItems, clears and job ends, with every value also held by the test (so nothing is collected
// and the tier's contents are all there is to compare). The model is a Map in insertion order
// plus an LRU list of keys; the tier (captured through RetainTier.prototype, it is private to the
// map) must hold exactly the values of the model's N most recently used keys, oldest first.
//
// The map renames slots at the end of a job when its table shrinks (slot-store.ts `#relocate`),
// telling the tier (`moved`): job ends between steps let that happen, and the test requires that
// it did.
import fc from "fast-check";
import { expect, it } from "vitest";
import { WeakValueMap } from "../../src/index.js";
import { RetainTier } from "../../src/containers/retain-tier.js";
import { counters } from "../../src/core/collector.js";

type Op =
  | { kind: "set"; key: number }
  | { kind: "get"; key: number }
  | { kind: "getOrInsert"; key: number }
  | { kind: "delete"; key: number }
  | { kind: "pop"; key: number }
  | { kind: "popItem" }
  | { kind: "clear" }
  | { kind: "bulk"; keys: number[] }
  | { kind: "endJob" };

const KEYS = 48;
const key = fc.nat(KEYS - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), key }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("get" as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("getOrInsert" as const), key }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("delete" as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pop" as const), key }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("popItem" as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
  // Many sets, then deletes of all but a few of the highest slots: a table that shrinks by renaming.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("bulk" as const), keys: fc.array(key, { minLength: 20, maxLength: 40 }) }) },
  { weight: 4, arbitrary: fc.constant({ kind: "endJob" as const }) },
);

/** The tier behind a map: the next tier whose `bytes` is read is the one stats() reads. */
function tierOf(map: WeakValueMap<number, object>): RetainTier {
  const proto = RetainTier.prototype as unknown as { bytes: number };
  const descriptor = Object.getOwnPropertyDescriptor(RetainTier.prototype, "bytes")!;
  let captured: RetainTier | undefined;
  Object.defineProperty(proto, "bytes", {
    configurable: true,
    get(this: RetainTier) {
      captured = this;
      return descriptor.get!.call(this);
    },
  });
  try {
    map.stats();
  } finally {
    Object.defineProperty(proto, "bytes", descriptor);
  }
  if (captured === undefined) throw new Error("stats() did not read the tier's bytes");
  return captured;
}

const endOfJob = async (): Promise<void> => {
  for (let i = 0; i < 4; i++) await null; // a relocation runs two microtasks deep
};

it("holds exactly the values of the N most recently used keys, through removals, clears, renames and job ends", async () => {
  const before = { relocations: counters.relocations, moved: counters.relocatedEntries };
  let checks = 0;
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.array(op, { minLength: 20, maxLength: 120 }), async (retain, ops) => {
      const map = new WeakValueMap<number, object>(null, { retain });
      const model = new Map<number, object>(); // insertion order, as the map iterates
      let lru: number[] = []; // keys, most recent first, at most `retain`
      const use = (k: number): void => {
        lru = [k, ...lru.filter((x) => x !== k)].slice(0, retain);
      };
      const forget = (k: number): void => {
        lru = lru.filter((x) => x !== k);
      };
      for (const step of ops) {
        switch (step.kind) {
          case "set": {
            const value = { k: step.key };
            map.set(step.key, value);
            model.set(step.key, value);
            use(step.key);
            break;
          }
          case "get":
            expect(map.get(step.key)).toBe(model.get(step.key));
            if (model.has(step.key)) use(step.key);
            break;
          case "getOrInsert": {
            const candidate = { k: step.key };
            const value = model.get(step.key) ?? candidate;
            expect(map.getOrInsert(step.key, candidate)).toBe(value);
            model.set(step.key, value);
            use(step.key);
            break;
          }
          case "delete":
            expect(map.delete(step.key)).toBe(model.delete(step.key));
            forget(step.key);
            break;
          case "pop":
            expect(map.pop(step.key)).toBe(model.get(step.key));
            model.delete(step.key);
            forget(step.key);
            break;
          case "popItem": {
            const last = [...model.keys()].pop();
            expect(map.popItem()).toEqual(last === undefined ? undefined : [last, model.get(last)]);
            if (last !== undefined) {
              model.delete(last);
              forget(last);
            }
            break;
          }
          case "clear":
            map.clear();
            model.clear();
            lru = [];
            break;
          case "bulk": {
            for (const k of step.keys) {
              const value = { k };
              map.set(k, value);
              model.set(k, value);
              use(k);
            }
            const keep = new Set([...model.keys()].slice(-2));
            for (const k of [...model.keys()]) {
              if (keep.has(k)) continue;
              map.delete(k);
              model.delete(k);
              forget(k);
            }
            break;
          }
          case "endJob":
            await endOfJob();
            break;
        }
        if (step.kind === "endJob") {
          const tier = tierOf(map);
          expect(tier.check()).toBe(0);
          const held: object[] = [];
          tier.forEachOldestFirst((_slot, value) => held.push(value as object));
          expect(held).toEqual(lru.map((k) => model.get(k)).reverse());
          expect(map.stats().retained).toBe(lru.length);
          expect([...map.entries()]).toEqual([...model]);
          checks++;
        }
      }
      await endOfJob();
      expect(map.stats().retained).toBe(lru.length);
    }),
    { numRuns: 200 },
  );
  const relocations = counters.relocations - before.relocations;
  const moved = counters.relocatedEntries - before.moved;
  console.log(`retain map model: ${checks} checks of the tier, ${relocations} relocations (${moved} entries renamed)`);
  expect(checks).toBeGreaterThan(500);
  expect(relocations).toBeGreaterThan(10);
  expect(moved).toBeGreaterThan(10);
});
