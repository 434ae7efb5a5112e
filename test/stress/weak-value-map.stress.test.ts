// Stress and leaks: a WeakValueMap filled with ENTRIES values, about half of them dropped and
// collected by the real collector, for CYCLES cycles. Each cycle checks the contents exactly
// (iteration order, every key's get, size), then clears the map, collects, and checks that the
// memory came back:
//   - JS heap (`process.memoryUsage().heapUsed` after gc()): within HEAP_TOLERANCE of the baseline
//     measured the same way after cycle 0 (leaking just the two references a slot keeps, 16 bytes
//     an entry, would add 16 MB a cycle at the default size, and accumulate);
//   - the table (`stats().bytes`): exactly the baseline (an empty table's header);
//   - WebAssembly memory (`memoryBytes()`), which never shrinks: exactly what cycle 0 grew it to
//     (the allocator reuses what clear() gave back, so it must stop growing).
// Figures are printed per cycle.
//
// Size: the full 1 000 000 entries x 20 cycles. Measured on the 2-core machine this was written on:
// 39 s for the file (1.4 to 3.3 s a cycle) with other jobs running (load average 5); an earlier,
// busier measurement (load average 8) gave 4.7 s a cycle. If it gets too slow, a smaller size:
//   STRESS_ENTRIES=500000 STRESS_CYCLES=20 npx vitest run test/stress
// (each cycle is its own test, well within the per-test timeout).
import { afterAll, describe, expect, it } from "vitest";
import { WeakValueMap } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";
import { memoryBytes } from "../../src/wasm/instance.js";

const ENTRIES = Number(process.env.STRESS_ENTRIES ?? 1_000_000);
const CYCLES = Number(process.env.STRESS_CYCLES ?? 20);
/** How far above its baseline the JS heap may be after a cycle's clear() and collection. */
const HEAP_TOLERANCE = 4 * 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc!;

/** The map under test and the only strong references to the values that survive a cycle. */
const map = new WeakValueMap<number, object>();
let kept: Array<object | undefined> | undefined;

/** Key of entry i in a cycle: small integers, negative floats or large integers, in turn. */
function keyOf(cycle: number, i: number): number {
  switch (cycle % 3) {
    case 0:
      return i;
    case 1:
      return -(i + 0.5);
    default:
      return 2 ** 40 + i * 4096;
  }
}

/** Whether entry i survives a cycle: a different pseudo-random half each cycle. */
function survives(cycle: number, i: number): boolean {
  return (Math.imul(i ^ (cycle * 0x9e3779b1), 0x85ebca6b) >>> 31) === 1;
}

/** Fills the map; the values that are not kept are referenced by nothing but the map. Returns the survivors' count. */
function fill(cycle: number): number {
  const values: Array<object | undefined> = new Array(ENTRIES);
  let live = 0;
  for (let i = 0; i < ENTRIES; i++) {
    const value = { i };
    map.set(keyOf(cycle, i), value);
    if (survives(cycle, i)) {
      values[i] = value;
      live++;
    }
  }
  kept = values;
  return live;
}

/** Every surviving entry, in insertion order, and nothing else; every key's get(). Returns a message or "". */
function contentsError(cycle: number, live: number): string {
  const values = kept!;
  let i = 0;
  let seen = 0;
  for (const [key, value] of map) {
    while (i < ENTRIES && values[i] === undefined) i++;
    if (i === ENTRIES) return `iteration yielded ${key} after the last survivor`;
    if (key !== keyOf(cycle, i) || value !== values[i]) return `iteration yielded ${key}, expected ${keyOf(cycle, i)}`;
    i++;
    seen++;
  }
  if (seen !== live) return `iteration yielded ${seen} entries, expected ${live}`;
  for (let j = 0; j < ENTRIES; j++) {
    if (map.get(keyOf(cycle, j)) !== values[j]) return `get(${keyOf(cycle, j)}) is wrong`;
  }
  return "";
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Figures {
  cycle: number;
  live: number;
  peakHeap: number;
  peakTableBytes: number;
  heap: number;
  tableBytes: number;
  wasmBytes: number;
  ms: number;
}
const figures: Figures[] = [];

const MiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

afterAll(() => {
  console.log(
    `[stress] WeakValueMap: ${figures.length} cycles of ${ENTRIES} entries, about half collected each cycle; ` +
      `heap tolerance ${MiB(HEAP_TOLERANCE)} over the baseline after cycle 0\n` +
      figures
        .map(
          (f) =>
            `  cycle ${String(f.cycle).padStart(2)}: ${f.live} survived, ${f.ms} ms; peak heap ${MiB(f.peakHeap)}, ` +
            `peak table ${MiB(f.peakTableBytes)}; after clear: heap ${MiB(f.heap)}, table ${f.tableBytes} B, wasm ${MiB(f.wasmBytes)}`,
        )
        .join("\n"),
  );
});

describe(`WeakValueMap with ${ENTRIES} entries, half collected, ${CYCLES} cycles`, () => {
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    it(`cycle ${cycle}: contents exact after collection; heap, table and WebAssembly memory back to baseline after clear()`, async () => {
      const start = Date.now();
      const live = fill(cycle);
      await collect(() => map.size === live, { timeoutMs: 50_000 });
      expect(map.size).toBe(live);
      expect(map.stats().pending).toBe(0);
      expect(contentsError(cycle, live)).toBe("");
      const peakHeap = process.memoryUsage().heapUsed;
      const peakTableBytes = map.stats().bytes;

      map.clear();
      kept = undefined;
      await collect();
      const heap = heapAfterGc();
      const tableBytes = map.stats().bytes;
      const wasmBytes = memoryBytes();
      figures.push({ cycle, live, peakHeap, peakTableBytes, heap, tableBytes, wasmBytes, ms: Date.now() - start });

      expect(map.size).toBe(0);
      expect([...map]).toEqual([]);
      const baseline = figures[0]!;
      expect(tableBytes).toBe(baseline.tableBytes);
      expect(wasmBytes).toBe(baseline.wasmBytes);
      expect(heap).toBeLessThanOrEqual(baseline.heap + HEAP_TOLERANCE);
    });
  }
});
