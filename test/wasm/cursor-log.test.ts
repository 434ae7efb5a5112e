// Cursors across compactions, against a model of Map iteration: a cursor visits, in insertion
// order, every entry that is live when it gets there, including entries added after it started,
// and nothing else, however many compactions and clears happened while it was paused. Run on both
// backends. Also issue 9 §4: what a paused cursor keeps is bounded by the live entries, where it
// used to grow by one record per compaction (+132 MB after 3 million deletes with 10 entries).

import { describe, expect, it } from "vitest";
import { Cursor } from "../../src/core/cursor.js";
import type { Gen, Slot } from "../../src/core/table.js";
import { WasmTable } from "../../src/core/wasm-table.js";
import { TableModule } from "../../src/wasm/instance.js";
import { Rng } from "../fixtures/wasm-driver.js";

/** The order log as a Map iterator sees it: insertions appended, deletions marked, never compacted. */
class ModelLog {
  readonly entries: Array<{ slot: Slot; live: boolean }> = [];
  readonly bySlot = new Map<number, number>();
  /** The live slots, unordered (for picking one at random). */
  readonly slots: Slot[] = [];

  insert(slot: Slot): void {
    this.bySlot.set(slot, this.entries.length);
    this.entries.push({ slot, live: true });
    this.slots.push(slot);
  }

  /** Removes the i-th of `slots`; returns its slot. */
  removeAt(i: number): Slot {
    const slot = this.slots[i]!;
    this.slots[i] = this.slots[this.slots.length - 1]!;
    this.slots.pop();
    this.entries[this.bySlot.get(slot)!]!.live = false;
    this.bySlot.delete(slot);
    return slot;
  }

  clear(): void {
    for (const entry of this.entries) entry.live = false;
    this.bySlot.clear();
    this.slots.length = 0;
  }
}

/** `expect(actual).toBe(expected)`, cheap enough for every step. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (!Object.is(actual, expected)) expect(actual, what).toBe(expected);
}

/** A Map iterator: once it has reported the end, it stays finished. */
class ModelCursor {
  #pos = 0;
  #done = false;
  constructor(readonly log: ModelLog) {}
  next(): Slot | -1 {
    const entries = this.log.entries;
    while (!this.#done && this.#pos < entries.length) {
      const entry = entries[this.#pos++]!;
      if (entry.live) return entry.slot;
    }
    this.#done = true;
    return -1;
  }
}

for (const backend of ["wasm", "js"] as const) {
  describe(`cursors on the ${backend} backend`, () => {
    it("yield what a Map iterator would, across compactions, shrinks, growth and clears", () => {
      let steps = 0;
      let compactions = 0;
      for (let seed = 1; seed <= 20; seed++) {
        const rng = new Rng(seed);
        const table = new WasmTable(new TableModule(backend));
        const log = new ModelLog();
        let cursors: Array<[Cursor, ModelCursor]> = [];
        let target = 50;
        for (let step = 0; step < 4000; step++, steps++) {
          if (rng.chance(0.01)) target = rng.pick([0, 5, 50, 500, 2000]);
          const r = rng.next();
          const used = table.used;
          if (r < 0.45 && (table.live < target || rng.chance(0.2))) {
            const slot = rng.chance(0.5) ? table.insertOther(1 as Gen) : (table.insertNumber(rng.next(), 1 as Gen) as Slot);
            if (table.used <= used) compactions++; // an insert appends, unless room was made by compacting
            log.insert(slot);
          } else if (r < 0.8 && log.slots.length > 0) {
            same(table.remove(log.removeAt(rng.int(log.slots.length))), true, "remove");
            table.compactIfSparse();
            if (table.used !== used) compactions++;
          } else if (r < 0.97) {
            if (cursors.length < 6 && rng.chance(0.3)) cursors.push([new Cursor(table), new ModelCursor(log)]);
            for (const [cursor, model] of cursors) {
              for (let i = rng.int(5); i > 0; i--) same(cursor.next(), model.next(), `seed ${seed}, step ${step}`);
            }
            if (rng.chance(0.05)) cursors = cursors.filter(() => rng.chance(0.5));
          } else if (rng.chance(0.1)) {
            table.clear();
            log.clear();
          } else {
            table.trim();
          }
        }
        for (const [cursor, model] of cursors) {
          for (let slot = model.next(); ; slot = model.next()) {
            expect(cursor.next()).toBe(slot);
            if (slot === -1) break;
          }
        }
        expect(table.check()).toBe(0);
      }
      console.log(`cursor-log (${backend}): ${steps} steps, ${compactions} compactions while cursors were checked`);
      expect(compactions).toBeGreaterThan(100);
    });

    it("a paused cursor keeps one record of at most the live entries, however many compactions pass", () => {
      const table = new WasmTable(new TableModule(backend));
      const slots = Array.from({ length: 10 }, () => table.insertOther(1 as Gen));
      const cursor = new Cursor(table);
      expect(cursor.next()).toBe(slots[0]);
      let compactions = 0;
      let mostRecorded = 0;
      for (let i = 0; i < 60_000; i++) {
        const used = table.used;
        const slot = table.insertNumber(i, 2 as Gen) as Slot;
        if (table.used <= used) compactions++; // an insert appends, unless room was made by compacting
        table.remove(slot);
        table.compactIfSparse();
        if (table.used < used) compactions++;
        if (i % 64 === 0) mostRecorded = Math.max(mostRecorded, table.cursors.recordedPositions);
      }
      console.log(`cursor-log (${backend}): ${compactions} compactions with a paused cursor; at most ${mostRecorded} positions recorded`);
      expect(compactions).toBeGreaterThan(5_000);
      expect(mostRecorded).toBeLessThanOrEqual(table.live);
      const rest: number[] = [];
      for (let slot = cursor.next(); slot !== -1; slot = cursor.next()) rest.push(slot);
      expect(rest).toEqual(slots.slice(1));
    });
  });
}
