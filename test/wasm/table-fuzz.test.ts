// A long fuzz of the compiled table: about a million operations on large tables (up to tens of
// thousands of entries, several per memory), with every answer checked against the Map model as
// it happens and the whole state (tbl_check, order log, counts) every CHECK_EVERY operations.
// A fast-check run of short sequences follows, so a failure there shrinks to a minimal sequence.
// Replay one PRNG seed with  FUZZ_SEED=3 npx vitest run test/wasm/table-fuzz.test.ts

import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Driver, ModelTable, Rng, SPECIAL_KEYS, fromBits, opCount } from "../fixtures/wasm-driver.js";

const SEEDS = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [1, 2, 3, 4, 5, 6, 7, 8];
const OPS_PER_SEED = 100_000;
/** A full check costs O(entries); every 200 operations keeps the run near 5 s. */
const CHECK_EVERY = 200;
const FAST_CHECK_RUNS = 1000;

let total = 0;
let maxCapacity = 0;
let shrinks = 0;
let grows = 0;
let roomCompactions = 0;
let sparseCompactions = 0;

/** A number key from a wide space, so tables grow large, with the awkward values mixed in. */
function randomKey(rng: Rng, range: number): number {
  const r = rng.next();
  if (r < 0.5) return rng.int(range);
  if (r < 0.6) return rng.int(range) * 0.1;
  if (r < 0.7) return rng.int(range) * 2 ** 32;
  if (r < 0.8) return fromBits(rng.u32() & 0x7fefffff, rng.u32());
  if (r < 0.9) return fromBits(rng.u32(), 0);
  return rng.pick(SPECIAL_KEYS);
}

function fuzzSeed(seed: number): void {
  const rng = new Rng(seed);
  const driver = new Driver();
  const models = Array.from({ length: 1 + rng.int(4) }, () => new ModelTable(driver.newTable()));
  const targets = models.map(() => rng.pick([1000, 20_000]));
  const range = 1000 + rng.int(60_000);
  let gen = 0;
  let step = 0;
  let op = "";
  try {
    for (; step < OPS_PER_SEED; step++) {
      const which = rng.int(models.length);
      const m = models[which]!;
      if (rng.chance(1 / 6000)) targets[which] = rng.pick([0, 100, 1000, 5000, 20_000, 20_000, rng.int(40_000)]);
      const filling = m.map.size < targets[which]!;
      const rewrites = driver.stats.grows + driver.stats.compactionCount;
      const r = rng.next();
      if (r < (filling ? 0.7 : 0.2)) {
        if (rng.chance(0.15)) {
          op = "insertOther";
          m.insertOther(++gen | 0);
        } else {
          const key = randomKey(rng, range);
          op = `insertNumber(${key})`;
          m.insertNumber(key, ++gen | 0);
        }
      } else if (r < 0.8) {
        const slot = rng.chance(0.95) ? m.randomSlot(rng) : rng.int(m.table.slotHigh + 2) - 1;
        op = `remove(${slot})`;
        m.remove(slot);
        if (seed % 2 === 0) m.compactIfSparse(); // odd seeds leave holes to the room policy alone
      } else if (r < 0.86) {
        const slot = m.randomSlot(rng);
        op = `setGen(${slot})`;
        if (slot >= 0) m.setGen(slot, ++gen | 0);
      } else if (r < 0.9) {
        const pairs: Array<[number, number]> = [];
        for (let n = 1 + rng.int(rng.chance(0.01) ? 2000 : 32); n > 0; n--) {
          pairs.push(rng.chance(0.5) || m.history.length === 0 ? [rng.int(m.table.capacity + 1), ++gen | 0] : [...rng.pick(m.history)]);
        }
        op = `reap(${pairs.length})`;
        m.reap(pairs);
        if (seed % 2 === 0) m.compactIfSparse();
      } else if (r < 0.905) {
        op = `compact(${m.holes})`;
        m.compact();
      } else if (r < 0.90502) {
        op = "clear()";
        m.clear();
      } else {
        const slot = m.randomSlot(rng);
        const present = slot >= 0 ? m.bySlot.get(slot)! : NaN;
        const absent = randomKey(rng, range);
        op = `find(${String(present)}, ${absent})`;
        if (typeof present === "number") expect(m.table.find(present)).toBe(slot);
        expect(m.table.find(absent)).toBe(m.map.get(absent)?.slot ?? -1);
      }
      maxCapacity = Math.max(maxCapacity, m.table.capacity);
      // Check at once after a growth or compaction rewrote the body: a broken rewrite left unchecked
      // can send a later probe round an index with no empty bucket, a hang instead of a failure.
      if (driver.stats.grows + driver.stats.compactionCount !== rewrites) m.verify();
      if (step % CHECK_EVERY === CHECK_EVERY - 1) for (const other of models) other.verify();
    }
    op = "final check";
    for (const m of models) m.verifyAll();
  } catch (error) {
    throw new Error(
      `seed ${seed}, step ${step}, ${op}: ${(error as Error).message}\n` +
        `  replay: FUZZ_SEED=${seed} npx vitest run test/wasm/table-fuzz.test.ts`,
      { cause: error },
    );
  }
  total += OPS_PER_SEED;
  expect(driver.stats.grows, `seed ${seed} grew`).toBeGreaterThan(10);
  shrinks += driver.stats.shrinks;
  grows += driver.stats.grows;
  roomCompactions += driver.stats.roomCompactions;
  sparseCompactions += driver.stats.sparseCompactions;
  for (const m of models) m.table.free();
}

type Op =
  | { kind: "insert"; key: number }
  | { kind: "other" }
  | { kind: "remove"; index: number }
  | { kind: "removeRaw"; slot: number }
  | { kind: "setGen"; index: number }
  | { kind: "reap"; picks: Array<{ index: number; stale: boolean }> }
  | { kind: "compact" }
  | { kind: "clear" };

const keyArb = fc.oneof(
  fc.integer({ min: -8, max: 40 }),
  fc.constantFrom(...SPECIAL_KEYS),
  fc.double(),
  fc.integer({ min: 0, max: 1000 }).map((i) => i * 2 ** 32),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant("insert" as const), key: keyArb }) },
  { weight: 2, arbitrary: fc.constant({ kind: "other" as const }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("remove" as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("removeRaw" as const), slot: fc.integer({ min: -2, max: 70 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("setGen" as const), index: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("reap" as const),
      picks: fc.array(fc.record({ index: fc.nat(), stale: fc.boolean() }), { maxLength: 20 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "compact" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);

/** Runs one sequence on a fresh table, checking everything after every operation. */
function runOps(ops: readonly Op[]): void {
  const m = new ModelTable(new Driver().newTable());
  let gen = 0;
  const entry = (index: number) => {
    const entries = [...m.map.values()];
    return entries.length === 0 ? undefined : entries[index % entries.length]!;
  };
  for (const op of ops) {
    total++;
    switch (op.kind) {
      case "insert": m.insertNumber(op.key, ++gen); break;
      case "other": m.insertOther(++gen); break;
      case "remove": { const e = entry(op.index); if (e) m.remove(e.slot); break; }
      case "removeRaw": m.remove(op.slot); break;
      case "setGen": { const e = entry(op.index); if (e) m.setGen(e.slot, ++gen); break; }
      case "reap": {
        const pairs = op.picks.flatMap(({ index, stale }) => {
          const e = entry(index);
          return e ? [[e.slot, stale ? e.gen - 1 : e.gen] as [number, number]] : [];
        });
        m.reap(pairs);
        break;
      }
      case "compact": m.compact(); break;
      case "clear": m.clear(); break;
    }
    m.verify(op.kind === "insert" ? [op.key] : []);
  }
  m.verifyAll();
}

describe("wasm table fuzz", () => {
  it.for(SEEDS)("PRNG seed %i: 100 000 operations", (seed) => {
    fuzzSeed(seed);
  });

  it("fast-check: short sequences, checked after every operation", () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 400, size: "max" }), runOps), { seed: 0x7ab1e, numRuns: FAST_CHECK_RUNS });
  });
});

afterAll(() => {
  console.log(
    `table-fuzz: ${total} steps (${opCount.n} table operations, the rest lookups), ` +
      `largest capacity ${maxCapacity}, ${grows} grows, ${shrinks} shrinks, ` +
      `${roomCompactions} compactions asked by tbl_room, ${sparseCompactions} by tbl_compact_due`,
  );
  // Every threshold of the room policy must have been crossed, or this run proved little about it.
  if (total >= 800_000 && (grows === 0 || shrinks === 0 || roomCompactions === 0 || sparseCompactions === 0)) {
    throw new Error(`table-fuzz: a room-policy threshold was never crossed: ${JSON.stringify({ grows, shrinks, roomCompactions, sparseCompactions })}`);
  }
});
