// Issue 9 §3: tables at WebAssembly addresses at or above 2 GiB. The ABI passes addresses as i32,
// so such an address arrives negative; a signed `>> 2` of it made `size` and `capacity`
// undefined, stopped compaction (one key churned grew a table to 939 MB with no live entry), and
// put iterators in the wrong place after a compaction. This file fills the realm's memory with
// ballast (tables grown without an index: the allocator hands out the address range, but nothing
// writes it, so the machine's memory is barely touched) past 2 GiB, drains the allocator's low
// leftovers so new tables land high, and checks tables and containers there; then it fills memory
// to the 4 GiB maximum and checks that growth fails cleanly while everything keeps working.
//
// Runs in its own process (every test file does), a few seconds.

import { describe, expect, it } from "vitest";
import { Cursor } from "../../src/core/cursor.js";
import type { Gen, Slot } from "../../src/core/table.js";
import { WasmTable } from "../../src/core/wasm-table.js";
import { memoryBytes, resetTableModuleForTesting, tableModule } from "../../src/wasm/instance.js";
import { MAX_CAPACITY } from "../../assembly/layout.js";

resetTableModuleForTesting();
const { WeakValueMap } = await import("../../src/index.js");

const GiB = 2 ** 30;
const module = tableModule();
const x = module.x;
/** Ballast and filler tables, kept allocated for the whole file. */
const held: number[] = [];

/** A table grown to `capacity` without an index; returns its header, or undefined when memory is full. */
function ballast(capacity: number): { t: number; body: number } | undefined {
  let t: number;
  try {
    t = x.tbl_new();
    held.push(t);
    if (x.tbl_grow(t, 0, capacity) < 0) return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(WebAssembly.RuntimeError); // the allocator's trap: memory is full
    return undefined;
  }
  return { t: t >>> 0, body: module.heap32()[t >>> 2]! >>> 0 };
}

/**
 * Allocates tables of every size, largest first, each size until one lands at or above `floor`:
 * that uses up the allocator's free blocks below it (the leftovers of ballast, and the room its
 * growth by doubling left), so that later tables of any size are placed above it.
 */
function drainBelow(floor: number): void {
  for (let capacity = MAX_CAPACITY; capacity >= 1; capacity >>= 1) {
    for (let i = 0; ; i++) {
      expect(i, `tables of ${capacity} still land below ${floor}`).toBeLessThan(10_000);
      const placed = ballast(capacity);
      if (placed === undefined) return;
      if (placed.t >= floor && placed.body >= floor) break;
    }
  }
}

/** What the issue saw break, on one table: counts, compaction, shrinking, churn, cursors. */
function exercise(table: WasmTable): void {
  const keys = Array.from({ length: 3000 }, (_, i) => i * 1.5);
  const slots = new Map<number, Slot>();
  for (const key of keys) slots.set(key, table.insertNumber(key, 1 as Gen) as Slot);
  expect([table.live, table.used, table.capacity]).toEqual([3000, 3000, 4096]);
  const cursor = new Cursor(table);
  const seen: number[] = [];
  for (let i = 0; i < 100; i++) seen.push(table.keyOf(cursor.next() as Slot));
  // Remove all but the first 300 keys, newest first: compaction runs (more than once, shrinking
  // the table) while the cursor is open.
  for (const key of keys.slice(300).reverse()) {
    table.remove(slots.get(key)!);
    table.compactIfSparse();
  }
  expect(table.live).toBe(300);
  expect(table.used - table.live, "holes left: no more than entries").toBeLessThanOrEqual(300);
  expect(table.capacity).toBeLessThanOrEqual(1024); // compaction shrank it from 4096
  for (let slot = cursor.next(); slot !== -1; slot = cursor.next()) seen.push(table.keyOf(slot));
  expect(seen).toEqual(keys.slice(0, 300));
  expect(table.check()).toBe(0);
  // Churning one key must not grow the table: compaction keeps up.
  for (let i = 0; i < 50_000; i++) {
    const slot = table.insertNumber(-1, 2 as Gen) as Slot;
    table.remove(slot);
    table.compactIfSparse();
  }
  expect(table.live).toBe(300);
  expect(table.capacity).toBeLessThanOrEqual(1024);
  expect(table.check()).toBe(0);
}

describe("tables at addresses at or above 2 GiB", () => {
  it("fills memory past 2 GiB with ballast and drains the leftovers below it", () => {
    while (memoryBytes() < 2 * GiB + 64 * 2 ** 20) expect(ballast(MAX_CAPACITY)).toBeDefined();
    drainBelow(2 * GiB);
    console.log(`high-address: ${held.length} ballast and filler tables, memory ${(memoryBytes() / GiB).toFixed(2)} GiB`);
  });

  it("a table there reports its counts, compacts, shrinks, survives churn and keeps cursors right", () => {
    const table = new WasmTable();
    table.insertOther(1 as Gen); // allocates the header and a body
    expect(table.address).toBeGreaterThanOrEqual(2 * GiB);
    table.clear();
    exercise(table);
  });

  it("a WeakValueMap there: stats() are numbers, churn of one key keeps it small, iteration is right", () => {
    const map = new WeakValueMap<number, object>();
    const values = Array.from({ length: 2000 }, (_, i) => ({ i }));
    for (const [i, value] of values.entries()) map.set(i, value);
    const iterator = map.keys();
    const first = Array.from({ length: 10 }, () => iterator.next().value);
    for (let i = 10; i < 2000; i++) if (i % 4 !== 0) map.delete(i);
    const kept = [...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 1990 }, (_, i) => i + 10).filter((i) => i % 4 === 0)];
    const stats = map.stats();
    expect(stats).toMatchObject({ size: kept.length, backend: "wasm" });
    expect(stats.capacity).toBeGreaterThanOrEqual(kept.length);
    const churn = values[0]!;
    for (let i = 0; i < 50_000; i++) {
      map.set(-1, churn);
      map.delete(-1);
    }
    expect(map.stats().capacity).toBeLessThanOrEqual(2048);
    const rest = [...iterator];
    expect([...first, ...rest]).toEqual(kept);
  });

  it("memory filled to the 4 GiB maximum: growth is a RangeError that changes nothing, and tables keep working", () => {
    for (let capacity = MAX_CAPACITY; capacity >= 1; capacity >>= 1) while (ballast(capacity) !== undefined);
    expect(memoryBytes()).toBeGreaterThan(4 * GiB - 2 ** 20);
    expect(memoryBytes()).toBeLessThanOrEqual(4 * GiB);
    console.log(`high-address: memory full at ${memoryBytes()} bytes, ${held.length} tables`);
    const table = new WasmTable();
    let inserted = 0;
    let failure: unknown;
    try {
      for (; inserted < 1_000_000; inserted++) table.insertNumber(inserted, 1 as Gen);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(RangeError);
    expect(table.live).toBe(inserted);
    for (let i = 0; i < inserted; i++) expect(table.find(i)).toBeGreaterThanOrEqual(0);
    expect(table.check()).toBe(0);
    // Giving ballast back makes room again; a table placed in the top gigabyte works like any other.
    for (const t of held.splice(0, 8)) x.tbl_free(t);
    const high = new WasmTable();
    high.insertOther(1 as Gen);
    high.clear();
    exercise(high);
    console.log(`high-address: a table at ${(high.address / GiB).toFixed(2)} GiB after memory filled up`);
  });
});
