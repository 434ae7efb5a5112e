// RetainTier (src/containers/retain-tier.ts) on its own: random uses, releases, clears, renames
// (moved) and truncations against an array oracle (most recent first, at most N long), with the
// tier's invariant walker after every step. No collector here: which values it holds is all there
// is to check.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RetainTier, makeRetainTier } from "../../src/containers/retain-tier.js";
import type { Slot } from "../../src/core/table.js";

type Op =
  | { kind: "use"; slot: number; fresh: boolean }
  | { kind: "release"; slot: number }
  | { kind: "clear" }
  | { kind: "moved"; from: number; to: number }
  | { kind: "truncate"; above: number };

const op = (slots: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ kind: fc.constant("use" as const), slot: fc.nat(slots - 1), fresh: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant("release" as const), slot: fc.nat(slots - 1) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("moved" as const), from: fc.nat(slots - 1), to: fc.nat(slots - 1) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), above: fc.nat(20) }) },
  );

/** What the tier holds, oldest first, as [slot, value] pairs. */
function contents(tier: RetainTier): Array<[number, object]> {
  const out: Array<[number, object]> = [];
  tier.forEachOldestFirst((slot, value) => out.push([slot, value as object]));
  return out;
}

describe("RetainTier", () => {
  it("holds exactly the N most recently used slots, in recency order, through random uses, releases, clears, renames and truncations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 200 }), fc.array(op(200), { maxLength: 400 }), (capacity, slotCount, ops) => {
        const tier = new RetainTier(capacity);
        /** Most recent first. */
        let oracle: Array<[number, object]> = [];
        const current = new Map<number, object>(); // the value each slot has now
        for (const step of ops) {
          if (step.kind === "use") {
            const slot = step.slot % slotCount;
            if (step.fresh || !current.has(slot)) current.set(slot, { slot }); // an overwrite: a new value
            const value = current.get(slot)!;
            expect(tier.use(slot as Slot, value)).toBe(value);
            oracle = [[slot, value] as [number, object], ...oracle.filter(([s]) => s !== slot)].slice(0, capacity);
          } else if (step.kind === "release") {
            const slot = step.slot % slotCount;
            tier.release(slot as Slot);
            oracle = oracle.filter(([s]) => s !== slot);
          } else if (step.kind === "moved") {
            // As the store renames an entry when its table shrinks: to a lower slot that holds nothing.
            const from = step.from % slotCount;
            const to = step.to % slotCount;
            if (to >= from || current.has(to)) continue;
            tier.moved(from as Slot, to as Slot);
            if (current.has(from)) current.set(to, current.get(from)!);
            current.delete(from);
            oracle = oracle.map(([s, v]) => [s === from ? to : s, v] as [number, object]);
          } else if (step.kind === "truncate") {
            // As after a shrink: no slot at or above the new length holds a value.
            const slots = Math.max(-1, ...oracle.map(([s]) => s)) + 1 + step.above;
            tier.truncate(slots);
            for (const slot of [...current.keys()]) if (slot >= slots) current.delete(slot);
          } else {
            tier.clear();
            oracle = [];
          }
          expect(tier.check()).toBe(0);
          expect(tier.size).toBe(oracle.length);
        }
        expect(contents(tier)).toEqual([...oracle].reverse());
        for (let slot = 0; slot < slotCount; slot++) expect(tier.holds(slot as Slot)).toBe(oracle.some(([s]) => s === slot));
      }),
      { numRuns: 300 },
    );
  });

  it("passes undefined through and holds nothing for it (a missing or collected value)", () => {
    const tier = new RetainTier(4);
    expect(tier.use(3 as Slot, undefined)).toBe(undefined);
    expect(tier.size).toBe(0);
    expect(tier.holds(3 as Slot)).toBe(false);
  });

  it("grows its node arrays only as values arrive, whatever N is", () => {
    const tier = new RetainTier(Number.MAX_SAFE_INTEGER);
    const empty = tier.bytes;
    expect(empty).toBe(0);
    for (let slot = 0; slot < 1000; slot++) tier.use(slot as Slot, { slot });
    expect(tier.size).toBe(1000);
    expect(tier.check()).toBe(0);
    // 20 B a node (prev, next, slotOf, value) and 4 B a slot, each array at most doubled.
    expect(tier.bytes).toBeLessThanOrEqual(2 * (1000 * 20 + 1000 * 4));
  });

  it("takes 16 B a value and 2 B a slot up to 65 535 values (16-bit node numbers), 20 B and 4 B beyond", () => {
    const narrow = new RetainTier(1000);
    for (let slot = 0; slot < 1000; slot++) narrow.use(slot as Slot, { slot });
    // prev, next (2 B each), slotOf (4 B), the value (8 B); the slot index grew to 1024 slots of 2 B.
    expect(narrow.bytes).toBe(1000 * 16 + 1024 * 2);
    const wide = new RetainTier(70_000);
    for (let slot = 0; slot < 1000; slot++) wide.use(slot as Slot, { slot });
    expect(wide.bytes).toBe(1024 * 12 + 1000 * 8 + 1024 * 4); // typed node arrays doubled to 1024 (below N), the values as used
  });

  it("holds the largest 16-bit tier, and the smallest 32-bit one, exactly", () => {
    for (const capacity of [0xffff, 0x10000]) {
      const tier = new RetainTier(capacity);
      const values = Array.from({ length: capacity + 10 }, (_, slot) => ({ slot }));
      for (let slot = 0; slot < values.length; slot++) tier.use(slot as Slot, values[slot]);
      expect(tier.size).toBe(capacity);
      expect(tier.check()).toBe(0);
      for (const slot of [0, 9, 10, capacity - 1, capacity + 9]) expect(tier.holds(slot as Slot)).toBe(slot >= 10);
      tier.use(10 as Slot, values[10]); // the oldest, refreshed
      tier.use(capacity + 10 as Slot, { slot: capacity + 10 }); // evicts 11, now the oldest
      expect([tier.holds(10 as Slot), tier.holds(11 as Slot), tier.check()]).toEqual([true, false, 0]);
    }
  });

  it("evicts the least recently used value, and a use refreshes", () => {
    const tier = new RetainTier(3);
    const [a, b, c, d] = [{ a: 1 }, { b: 1 }, { c: 1 }, { d: 1 }];
    tier.use(0 as Slot, a);
    tier.use(1 as Slot, b);
    tier.use(2 as Slot, c);
    tier.use(0 as Slot, a); // refresh: b is now the oldest
    tier.use(3 as Slot, d);
    expect(contents(tier)).toEqual([
      [2, c],
      [0, a],
      [3, d],
    ]);
  });

  it("copies the same values in the same order onto another map's slots", () => {
    const tier = new RetainTier(3);
    for (let slot = 0; slot < 5; slot++) tier.use(slot as Slot, { slot });
    tier.use(2 as Slot, contents(tier)[0]![1]); // refresh slot 2
    const copy = tier.copy((slot) => (slot === 3 ? -1 : ((slot + 10) as Slot))); // slot 3 has no counterpart
    expect(copy.capacity).toBe(3);
    expect(copy.check()).toBe(0);
    expect(contents(copy)).toEqual(contents(tier).filter(([slot]) => slot !== 3).map(([slot, value]) => [slot + 10, value]));
  });
});

describe("makeRetainTier", () => {
  it("makes nothing for undefined, 0 and -0", () => {
    expect(makeRetainTier(undefined, "here")).toBe(undefined);
    expect(makeRetainTier(0, "here")).toBe(undefined);
    expect(makeRetainTier(-0, "here")).toBe(undefined);
    expect(makeRetainTier(7, "here")?.capacity).toBe(7);
  });
});
