// JsTable against WasmTable: the same random operations on both, and every answer compared —
// slot numbers, the whole order log, live/used/capacity, keys, reaped slots, and what cursors
// yield across compactions and clears. The fallback must be indistinguishable from the module.
// Replay one seed with  JS_TABLE_SEED=17 npx vitest run test/fallback/js-table.test.ts

import { describe, expect, it } from "vitest";
import { Cursor } from "../../src/core/cursor.js";
import { JsTable } from "../../src/core/js-table.js";
import { END, type Gen, type Slot, type Table } from "../../src/core/table.js";
import { WasmTable } from "../../src/core/wasm-table.js";
import { wasmAvailable } from "../../src/wasm/instance.js";

const SEEDS = process.env.JS_TABLE_SEED
  ? [Number(process.env.JS_TABLE_SEED)]
  : Array.from({ length: 40 }, (_, i) => 3 + i * 7907);
const OPS_PER_SEED = 4000;

/** xorshift32: small, seedable, enough for choosing operations. */
class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed | 0 || 1;
  }
  u32(): number {
    let s = this.#s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.#s = s;
    return s >>> 0;
  }
  next(): number {
    return this.u32() / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const SPECIAL = [0, -0, NaN, -NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 53 - 1, -(2 ** 31)];

function universe(rng: Rng): number[] {
  const families: Array<(i: number) => number> = [
    (i) => i,
    (i) => -i - 0.5,
    (i) => i * 2 ** 32,
    (i) => 2 ** 53 - 1 - i,
    () => (rng.u32() - 2 ** 31) / 7,
  ];
  const keys = [...SPECIAL];
  const size = 50 + rng.int(1500);
  for (let i = 0; i < size; i++) keys.push(rng.pick(families)(i));
  return keys;
}

/** `expect(js).toBe(wasm)`, cheap enough to call a million times. */
function same(js: unknown, wasm: unknown, what: string): void {
  if (!Object.is(js, wasm)) expect(js, what).toBe(wasm);
}

/** What both tables must agree on after every step; the whole order log when `full`. */
function compare(js: Table, wasm: Table, full: boolean): void {
  same(js.live, wasm.live, "live");
  same(js.used, wasm.used, "used");
  same(js.capacity, wasm.capacity, "capacity");
  if (!full) return;
  same(js.check(), 0, "JsTable.check()");
  same(wasm.check(), 0, "WasmTable.check()");
  for (let pos = 0; pos <= wasm.used; pos++) same(js.slotAt(pos), wasm.slotAt(pos), `slotAt(${pos})`);
  same(js.slotAt(wasm.used), END, "slotAt(used)");
  for (let pos = 0; pos < wasm.used; pos++) {
    const slot = wasm.slotAt(pos) as Slot;
    if (slot < 0) continue;
    same(js.genOf(slot), wasm.genOf(slot), `genOf(${slot})`);
    same(js.keyOf(slot), wasm.keyOf(slot), `keyOf(${slot})`);
  }
}

function runSeed(seed: number): Record<string, number> {
  const rng = new Rng(seed);
  const js = new JsTable();
  const wasm = new WasmTable();
  const keys = universe(rng);
  /** slot -> current generation, for the slots in use (the same in both tables). */
  const current = new Map<number, number>();
  /** (slot, gen) pairs once current: most are stale by now. */
  const history: Array<[number, number]> = [];
  let gen = 0;
  const nextGen = () => (gen = Math.imul(gen + 1, 1) + 0x3c6ef35f) | 0;
  let cursors: Array<[Cursor, Cursor]> = [];
  let target = rng.int(300);
  let numberShare = 0.7;
  const tally = { inserts: 0, removes: 0, reaped: 0, clears: 0, cursorSteps: 0, maxCapacity: 0 };

  const removeSlot = (slot: number) => {
    const removed = js.remove(slot as Slot);
    same(removed, wasm.remove(slot as Slot), `remove(${slot})`);
    if (removed) {
      current.delete(slot);
      tally.removes++;
    }
    js.compactIfSparse();
    wasm.compactIfSparse();
  };

  for (let step = 0; step < OPS_PER_SEED; step++) {
    if (rng.chance(1 / 300)) {
      target = rng.pick([0, rng.int(40), rng.int(300), 300 + rng.int(700)]);
      numberShare = rng.pick([0, 0.05, 0.7, 1]); // phases of other keys only, then a first number
    }
    const r = rng.next();
    const growing = js.live < target;
    if (r < 0.6 ? growing || rng.chance(0.1) : false) {
      const g = nextGen() as Gen;
      if (rng.chance(numberShare)) {
        const key = rng.pick(keys);
        const slot = js.insertNumber(key, g);
        same(slot, wasm.insertNumber(key, g), `insertNumber(${key})`);
        if (slot >= 0) {
          current.set(slot, g);
          same(js.keyOf(slot as Slot), wasm.keyOf(slot as Slot), `keyOf(${slot})`);
        } else if (rng.chance(0.5)) {
          js.setGen(~slot as Slot, g); // an overwrite: the old generation goes stale
          wasm.setGen(~slot as Slot, g);
          history.push([~slot, current.get(~slot)!]);
          current.set(~slot, g);
        }
      } else {
        const slot = js.insertOther(g);
        same(slot, wasm.insertOther(g), "insertOther");
        current.set(slot, g);
      }
      tally.inserts++;
    } else if (r < 0.6 || (r < 0.8 && !growing)) {
      const slots = [...current.keys()];
      removeSlot(slots.length > 0 && rng.chance(0.9) ? rng.pick(slots) : rng.int(js.capacity + 4) - 2);
    } else if (r < 0.9) {
      // A batch of notices: current, stale, garbage and repeated pairs.
      const slots: number[] = [];
      const gens: number[] = [];
      const n = 1 + rng.int(rng.chance(0.1) ? 200 : 10);
      for (let i = 0; i < n; i++) {
        const choice = rng.next();
        let pair: [number, number];
        if (choice < (growing ? 0.1 : 0.5) && current.size > 0) {
          const slot = rng.pick([...current.keys()]);
          pair = [slot, current.get(slot)!];
        } else if (choice < 0.8 && history.length > 0) pair = rng.pick(history);
        else pair = [rng.int(js.capacity + 4) - 2, rng.u32() | 0];
        slots.push(pair[0]);
        gens.push(pair[1]);
      }
      const removed = js.reap(Int32Array.from(slots), Int32Array.from(gens));
      expect(wasm.reap(Int32Array.from(slots), Int32Array.from(gens))).toEqual(removed);
      for (const slot of removed) {
        same(js.keyOf(slot), wasm.keyOf(slot), `keyOf(${slot}) after reap`);
        history.push([slot, current.get(slot)!]);
        current.delete(slot);
      }
      tally.reaped += removed.length;
      js.compactIfSparse();
      wasm.compactIfSparse();
    } else if (r < 0.98) {
      // Cursors: open one on each table, or step the open ones; they must agree whatever happened.
      if (cursors.length < 3 && rng.chance(0.3)) cursors.push([new Cursor(js), new Cursor(wasm)]);
      for (const [a, b] of cursors) {
        for (let i = rng.int(20); i > 0; i--) {
          const slot = a.next();
          same(slot, b.next(), "cursor");
          tally.cursorSteps++;
          if (slot === -1) break;
        }
      }
      if (rng.chance(0.1)) {
        for (const [a, b] of cursors) {
          a.close();
          b.close();
        }
        cursors = [];
      }
      same(js.openCursors, wasm.openCursors, "openCursors");
    } else if (rng.chance(0.05)) {
      js.clear();
      wasm.clear();
      for (const [slot, g] of current) history.push([slot, g]);
      current.clear();
      tally.clears++;
    }
    for (const key of [rng.pick(keys), rng.pick(keys)]) same(js.find(key), wasm.find(key), `find(${key})`);
    tally.maxCapacity = Math.max(tally.maxCapacity, js.capacity);
    compare(js, wasm, step % 25 === 0);
  }
  // Drain every cursor: both must still yield the same slots to the end.
  for (const [a, b] of cursors) {
    for (let slot = a.next(); ; slot = a.next()) {
      expect(b.next()).toBe(slot);
      if (slot === -1) break;
    }
  }
  compare(js, wasm, true);
  return tally;
}

describe("JsTable answers exactly as WasmTable", () => {
  it("runs in a realm where the module compiles (the reference side)", () => {
    expect(wasmAvailable()).toBe(true);
    expect(new WasmTable().backend).toBe("wasm");
    expect(new JsTable().backend).toBe("js");
  });

  const totals: Record<string, number> = {};
  it.each(SEEDS)("seed %i", (seed) => {
    for (const [name, n] of Object.entries(runSeed(seed))) {
      totals[name] = name === "maxCapacity" ? Math.max(totals[name] ?? 0, n) : (totals[name] ?? 0) + n;
    }
  });

  it("exercised growth, shrinking, reaping, clears and cursors", () => {
    if (SEEDS.length === 1) return;
    expect(totals["maxCapacity"]).toBeGreaterThanOrEqual(512);
    expect(totals["reaped"]).toBeGreaterThan(1000);
    expect(totals["clears"]).toBeGreaterThan(5);
    expect(totals["cursorSteps"]).toBeGreaterThan(10_000);
    console.log(`js-table: ${SEEDS.length} seeds x ${OPS_PER_SEED} ops; ${JSON.stringify(totals)}`);
  });

  it("shrinks back to the minimum once emptied and holds no columns after clear", () => {
    const js = new JsTable();
    expect(js.bytes).toBe(0);
    for (let i = 0; i < 1000; i++) js.insertNumber(i, i as Gen);
    expect(js.capacity).toBe(1024);
    for (let i = 0; i < 1000; i++) js.remove(js.find(i) as Slot);
    js.compactIfSparse();
    expect(js.capacity).toBe(8);
    expect(js.check()).toBe(0);
    js.clear();
    expect([js.capacity, js.bytes, js.live, js.used]).toEqual([0, 0, 0, 0]);
  });

  it("indexes numbers by SameValueZero and returns canonical keys", () => {
    const js = new JsTable();
    const zero = js.insertNumber(-0, 1 as Gen);
    expect(Object.is(js.keyOf(zero as Slot), 0)).toBe(true);
    expect(js.insertNumber(0, 2 as Gen)).toBe(~zero);
    const nan = js.insertNumber(NaN, 3 as Gen);
    expect(js.find(-NaN)).toBe(nan);
    expect(js.find(0 / 0)).toBe(nan);
    expect(js.find(-0)).toBe(zero);
    expect(js.check()).toBe(0);
  });
});
