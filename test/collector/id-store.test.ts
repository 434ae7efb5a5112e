// IdStore, the store behind IdRegistry whose ids name their slot: against a Map model, with id
// generations, shards and renewal made small, so every run reuses slots until they retire, clears,
// shrinks, and rolls shards. The promise under test: an id is never handed out twice, and an id
// only ever resolves to the object it was given to.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tuneForTesting, tuning } from "../../src/core/collector.js";
import { ID_SPAN, IdStore } from "../../src/core/id-store.js";

let saved: typeof tuning;
beforeAll(() => {
  saved = tuneForTesting({ shardEntries: 8, staleMin: 4 });
});
afterAll(() => {
  tuneForTesting(saved);
});

/** The two regimes: slots that run out of ids and retire; records dropped in bulk, with the floor rising. */
const REGIMES = [
  { name: "retiring slots", idGenerations: 3, idRecordsKept: 1 << 30 },
  { name: "dropping records", idGenerations: 1 << 20, idRecordsKept: 4 },
];

type Op =
  | { kind: "remember"; fresh: boolean; pick: number }
  | { kind: "forget"; pick: number }
  | { kind: "lookupStale"; pick: number }
  | { kind: "clear" };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("remember" as const), fresh: fc.boolean(), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("forget" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("lookupStale" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);

function get<T extends object>(store: IdStore<T>, id: number): T | undefined {
  const slot = store.lookup(id);
  return slot === -1 ? undefined : store.objectAt(slot);
}

describe.each(REGIMES)("IdStore, $name", ({ name, idGenerations, idRecordsKept }) => {
  let previous: typeof tuning;
  beforeAll(() => {
    previous = tuneForTesting({ idGenerations, idRecordsKept });
  });
  afterAll(() => {
    tuneForTesting(previous);
  });

  it("never hands out an id twice and resolves each id only to its own object (model)", () => {
    let floorStarts = 0;
    let retired = 0;
    let reused = 0;
    let clears = 0;
    let staleLookups = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 300 }), (ops) => {
        const store = new IdStore<object>();
        const model = new Map<number, object>(); // id -> object, in registration order
        const everIssued = new Set<number>();
        const stale: number[] = [];
        const slotsSeen = new Map<number, number>(); // slot -> ids it gave
        for (const step of ops) {
          if (step.kind === "remember") {
            const live = [...model.values()];
            const obj = step.fresh || live.length === 0 ? {} : live[step.pick % live.length]!;
            const known = [...model].find(([, o]) => o === obj)?.[0];
            const id = store.remember(obj);
            if (known !== undefined) {
              expect(id).toBe(known);
              continue;
            }
            expect(Number.isSafeInteger(id) && id > 0).toBe(true);
            expect(everIssued.has(id)).toBe(false);
            everIssued.add(id);
            model.set(id, obj);
            const slot = Math.floor((id - 1) / ID_SPAN);
            const given = (slotsSeen.get(slot) ?? 0) + 1;
            slotsSeen.set(slot, given);
            if (given > 1) reused++;
            // A slot's first id here, but not generation 0: it started at a raised floor.
            if (given === 1 && id - 1 - slot * ID_SPAN > 0) floorStarts++;
            if (given === tuning.idGenerations) retired++;
          } else if (step.kind === "forget") {
            const ids = [...model.keys()];
            if (ids.length === 0) continue;
            const id = ids[step.pick % ids.length]!;
            const slot = store.lookup(id);
            if (slot === -1) throw new Error(`id ${id} is registered but not found`);
            store.forget(slot, model.get(id)!);
            model.delete(id);
            stale.push(id);
          } else if (step.kind === "lookupStale") {
            if (stale.length === 0) continue;
            staleLookups++;
            expect(get(store, stale[step.pick % stale.length]!)).toBeUndefined();
          } else {
            clears++;
            store.clear();
            for (const id of model.keys()) stale.push(id);
            model.clear();
          }
          expect(store.size).toBe(model.size);
          expect(store.stats().size).toBe(model.size);
        }
        expect([...store.entries()]).toEqual([...model]);
        for (const [id, obj] of model) {
          expect(get(store, id)).toBe(obj);
          expect(store.idOf(obj)).toBe(id);
        }
        for (const id of stale) expect(get(store, id)).toBeUndefined();
        for (const bad of [0, -1, 0.5, NaN, Infinity, -0, 2 ** 53]) expect(store.lookup(bad)).toBe(-1);
        expect(store.table.check()).toBe(0);
      }),
      { numRuns: 400, seed: Number(process.env["FC_SEED"] ?? 20261201) },
    );
    console.log(
      `IdStore model (${name}): ${reused} slot reuses, ${retired} slots retired, ${floorStarts} slots started at a raised floor, ` +
        `${clears} clears, ${staleLookups} stale lookups`,
    );
    expect(reused).toBeGreaterThan(1000);
    expect(clears).toBeGreaterThan(100);
    expect(staleLookups).toBeGreaterThan(100);
    if (name === "retiring slots") expect(retired).toBeGreaterThan(100);
    else expect(floorStarts).toBeGreaterThan(100);
  });
});

describe("IdStore limits", () => {
  it("throws a RangeError and changes nothing once every id is handed out", () => {
    const previous = tuneForTesting({ idGenerations: 1, idRecordsKept: 0 });
    try {
      const store = new IdStore<object>();
      const keep = Array.from({ length: 20 }, () => ({}));
      const ids = keep.map((obj) => store.remember(obj));
      expect(new Set(ids).size).toBe(20);
      // Every slot gave its one id; clear() drops the records (none kept) and raises the floor past
      // the last generation, so no slot can give another id.
      store.clear();
      expect(() => store.remember({})).toThrow(RangeError);
      expect(store.size).toBe(0);
      expect(store.stats().size).toBe(0);
      expect([...store.entries()]).toEqual([]);
      expect(store.table.check()).toBe(0);
    } finally {
      tuneForTesting(previous);
    }
  });
});

describe("IdStore lookup of numbers that are no id", () => {
  it("never resolves an unsafe, negative or fractional number to a slot, even where 32-bit wrapping would", () => {
    const store = new IdStore<object>();
    const keep = Array.from({ length: 4 }, () => ({}));
    const ids = keep.map((obj) => store.remember(obj));
    // The slots 0..3 at their first generation: ids 1, 2^28 + 1, ...
    expect(ids).toEqual([1, ID_SPAN + 1, 2 * ID_SPAN + 1, 3 * ID_SPAN + 1]);
    // Each of these splits into a slot of 2^31 or more (or -2^31 and below) and generation 0: wrapped
    // to 32 bits (`slot << 1`), the slot would name 0, 1 or 2, whose generation is 0.
    const aliases = [2 ** 59, 2 ** 59 + ID_SPAN, 2 ** 59 + 2 * ID_SPAN, 2 ** 60, 2 ** 61 + 1, -(2 ** 59) + 1];
    for (const bad of aliases) {
      const slot = Math.floor((bad - 1) / ID_SPAN);
      expect(slot >= 2 ** 31 || slot <= -(2 ** 31)).toBe(true);
      expect((bad - 1 - slot * ID_SPAN) % ID_SPAN).toBe(0);
      expect(store.lookup(bad)).toBe(-1);
    }
    for (const bad of [0, -1, 0.5, 1.5, ID_SPAN, ID_SPAN + 1.5, NaN, Infinity, -Infinity, -0, 2 ** 53, 4 * ID_SPAN + 1]) {
      expect(store.lookup(bad)).toBe(-1);
    }
    ids.forEach((id, i) => expect(get(store, id)).toBe(keep[i]));
  });
});
