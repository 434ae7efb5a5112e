// Issue 9 §4: a batch insert reserves room for every item first (so a RangeError changes nothing),
// and room reserved for duplicates used to stay: 4 million copies of one object took 84 MB for one
// entry. The table now gives back what the batch did not use at the end of the job (or at once,
// on `trim()`), on both backends.

import { describe, expect, it } from "vitest";
import type { Gen } from "../../src/core/table.js";
import { WasmTable } from "../../src/core/wasm-table.js";
import { TableModule } from "../../src/wasm/instance.js";
import { MIN_CAPACITY } from "../../assembly/layout.js";

const COPIES = 1_000_000;

for (const backend of ["wasm", "js"] as const) {
  describe(`batch room on the ${backend} backend`, () => {
    it("room reserved for a batch of duplicates is given back when the job ends", async () => {
      const table = new WasmTable(new TableModule(backend));
      table.reserve(COPIES, true);
      const reserved = table.capacity;
      expect(reserved).toBeGreaterThanOrEqual(COPIES);
      for (let i = 0; i < COPIES; i++) table.insertNumber(7, 1 as Gen); // one entry, a million times
      expect(table.live).toBe(1);
      await null; // the job ends: the queued trim runs
      console.log(`batch-room (${backend}): ${COPIES} copies reserved capacity ${reserved}, then ${table.capacity} (${table.bytes} bytes)`);
      expect(table.capacity).toBe(MIN_CAPACITY);
      expect(table.check()).toBe(0);
      expect(table.find(7)).toBeGreaterThanOrEqual(0);
    });

    it("a batch that used its room keeps it; trim() gives back the rest at once", () => {
      const table = new WasmTable(new TableModule(backend));
      table.reserve(1000, false);
      for (let i = 0; i < 1000; i++) table.insertOther(1 as Gen);
      table.trim();
      expect([table.live, table.capacity]).toEqual([1000, 1024]);
      table.reserve(100_000, true);
      expect(table.capacity).toBeGreaterThanOrEqual(101_000);
      table.trim();
      expect(table.capacity).toBe(2048); // twice the entries, as after any compaction that shrinks
      expect(table.check()).toBe(0);
    });
  });
}
