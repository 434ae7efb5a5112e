// WeakValueMap with `retain` against a model: random sets, gets, getOrInsert, deletes, pops,
// popItems, clears, drains and job ends, with every value also held by the test (so nothing is collected
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
  | { kind: "drain"; keys: number[]; via: "delete" | "pop" }
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
  // Many sets (the retained values are then in the highest slots), then every entry removed, the
  // retained ones last: the removal that empties the table shrinks it, and the tier's slot index
  // with it, while the tier still holds the entry being removed.
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("drain" as const),
      keys: fc.array(key, { minLength: 20, maxLength: 40 }),
      via: fc.constantFrom("delete" as const, "pop" as const),
    }),
  },
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
  // Removals of a retained entry that shrank the table (and the tier's slot index) in the same call.
  let shrinkingReleases = 0;
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
      /** Runs a removal of `k`, counting it when it released a retained value and shrank the table. */
      const removing = <T>(k: number | undefined, remove: () => T): T => {
        const retained = k !== undefined && lru.includes(k);
        const before = map.stats().capacity;
        const result = remove();
        if (retained && map.stats().capacity < before) shrinkingReleases++;
        return result;
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
            expect(removing(step.key, () => map.delete(step.key))).toBe(model.delete(step.key));
            forget(step.key);
            break;
          case "pop":
            expect(removing(step.key, () => map.pop(step.key))).toBe(model.get(step.key));
            model.delete(step.key);
            forget(step.key);
            break;
          case "popItem": {
            const last = [...model.keys()].pop();
            expect(removing(last, () => map.popItem())).toEqual(last === undefined ? undefined : [last, model.get(last)]);
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
          case "drain": {
            for (const k of step.keys) {
              const value = { k };
              map.set(k, value);
              model.set(k, value);
              use(k);
            }
            const order = [...[...model.keys()].filter((k) => !lru.includes(k)), ...[...lru].reverse()];
            for (const k of order) {
              const value = model.get(k);
              if (step.via === "delete") expect(removing(k, () => map.delete(k))).toBe(true);
              else expect(removing(k, () => map.pop(k))).toBe(value);
              model.delete(k);
              forget(k);
            }
            expect(map.size).toBe(0);
            break;
          }
          case "endJob":
            await endOfJob();
            break;
        }
        expect(map.stats().retained).toBe(lru.length);
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
  console.log(`retain map model: ${checks} checks of the tier, ${relocations} relocations (${moved} entries renamed), ${shrinkingReleases} releases by a removal that shrank the table`);
  expect(checks).toBeGreaterThan(500);
  expect(relocations).toBeGreaterThan(10);
  expect(moved).toBeGreaterThan(10);
  expect(shrinkingReleases).toBeGreaterThan(10);
});
