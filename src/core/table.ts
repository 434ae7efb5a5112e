// What a slot store needs from a table. One implementation, WasmTable, runs the table program on
// either backend (the WebAssembly module, or the same module translated to JavaScript where
// WebAssembly cannot be compiled; see src/wasm/instance.ts); SlotStore never knows which.

import { END, HOLE } from "../../assembly/layout.js";
import type { CursorLog } from "./cursor.js";

/** The stable name of an entry within one table. */
export type Slot = number & { readonly __brand: "Slot" };
/** A generation stamp (an int32); see collector.ts. */
export type Gen = number & { readonly __brand: "Gen" };

export { END, HOLE };

export interface Table {
  /** Which backend runs the table program: the WebAssembly module, or its JavaScript translation. */
  readonly backend: "wasm" | "js";
  /** Entries in the table (live and dead-but-not-reaped). */
  readonly live: number;
  /** Order positions in use: entries plus tombstones. */
  readonly used: number;
  /** Entries the table holds before it must grow. */
  readonly capacity: number;
  /** Bytes the table itself holds in the module's memory, not counting values. */
  readonly bytes: number;
  /** The epochs and open cursors of this table (cursor.ts owns the bookkeeping). */
  readonly cursors: CursorLog;
  /**
   * Changes whenever order positions move (a compaction that removed tombstones, a clear): an
   * order position read earlier names the same place only while this is unchanged.
   */
  readonly layout: number;

  /** The slot of number `key`, or -1. */
  find(key: number): Slot | -1;
  /** A new slot for number `key`, or `~slot` (negative) when the key is present (gen untouched). */
  insertNumber(key: number, gen: Gen): number;
  /** A new slot for a key the caller indexes itself. */
  insertOther(gen: Gen): Slot;
  /** Removes a used slot (leaving a tombstone in the order log); false if it was not used. */
  remove(slot: Slot): boolean;
  setGen(slot: Slot, gen: Gen): void;
  /** The generation a used slot was last stamped with. */
  genOf(slot: Slot): Gen;
  /**
   * The canonical number key of a slot inserted with `insertNumber`; still readable after the slot
   * is removed, until it is reused (the store reads it after `reap` to hand it to `onCollect`).
   */
  keyOf(slot: Slot): number;
  /** The slot at an order position, HOLE, or END. */
  slotAt(pos: number): number;
  /** Removes every (slot, gen) pair that is still current; returns the removed slots. */
  reap(slots: ArrayLike<number>, gens: ArrayLike<number>): Slot[];
  /** Compacts the order log when removals left it sparse (which may shrink it). */
  compactIfSparse(): void;
  /**
   * Right after a compaction: the capacity the table would shrink to if used slots at or above it
   * did not block that, or 0 (no shrink due, or nothing blocks it).
   */
  relocationLimit(): number;
  /**
   * Renames each used slot of `slots` (all at or above `limit`) to the lowest free slot below
   * `limit`, keeping its key, generation and order position; returns the new names (-1 for a slot
   * that did not move). Compacts first if there are tombstones. The caller renames what it keeps
   * by slot, then `trim()` shrinks.
   */
  relocate(slots: ArrayLike<number>, limit: number): Int32Array;
  /**
   * Makes sure `extra` more entries fit without growing (and that number keys can be indexed, with
   * `withIndex`), so that a batch of inserts cannot fail halfway: RangeError, nothing changed, if
   * memory cannot grow that far. Room the batch did not use (duplicates) is given back at the end
   * of the job, or at once by `trim()`.
   */
  reserve(extra: number, withIndex: boolean): void;
  /** Gives back room beyond what the entries need (compacts, and shrinks when at most a quarter full). */
  trim(): void;
  /** Removes everything. */
  clear(): void;
  /** 0 when every internal invariant holds, else the number of the first broken one. */
  check(): number;
}
