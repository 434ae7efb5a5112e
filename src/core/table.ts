// What a slot store needs from a table, and the epochs that let iterators survive compaction.
// Two tables implement it: WasmTable (the WebAssembly module) and JsTable (the fallback where
// WebAssembly cannot be compiled synchronously). SlotStore never knows which one it has.

import { END, HOLE } from "../../assembly/layout.js";

/** The stable name of an entry within one table. */
export type Slot = number & { readonly __brand: "Slot" };
/** A generation stamp (an int32); see gc-bridge.ts. */
export type Gen = number & { readonly __brand: "Gen" };

export { END, HOLE };

export interface Table {
  /** Which implementation this is: the WebAssembly module, or the JavaScript fallback. */
  readonly backend: "wasm" | "js";
  /** Entries in the table (live and dead-but-not-reaped). */
  readonly live: number;
  /** Order positions in use: entries plus tombstones. */
  readonly used: number;
  /** Entries the table holds before it must grow. */
  readonly capacity: number;
  /** Bytes the table itself holds (WebAssembly memory or JS arrays), not counting values. */
  readonly bytes: number;
  /** The current epoch; a new one starts at every compaction and clear. */
  readonly epoch: Epoch;
  /** Cursors not yet finished: while there are any, compactions record what they removed. */
  openCursors: number;

  /** The slot of number `key`, or -1. */
  find(key: number): number;
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
  /** Compacts the order log if tombstones make up more than half of it (which may shrink it). */
  compactIfSparse(): void;
  /**
   * Makes sure `extra` more entries fit without growing (and that number keys can be indexed, with
   * `withIndex`), so that a batch of inserts cannot fail halfway: RangeError, nothing changed, if
   * memory cannot grow that far.
   */
  reserve(extra: number, withIndex: boolean): void;
  /** Removes everything. */
  clear(): void;
  /** 0 when every internal invariant holds, else the number of the first broken one. */
  check(): number;
}

/**
 * One period between compactions. A cursor remembers the epoch its position belongs to; when the
 * table compacts it closes the epoch with the positions it removed (sorted) and starts a new one,
 * so a cursor from an older epoch maps its position forward: every removed position before it
 * moves it back by one. Old epochs are reachable only from the cursors still on them, so they are
 * garbage once those cursors are.
 */
export class Epoch {
  /** Set when this epoch ends: the positions that compaction removed, or "all" for a clear. */
  removed: Int32Array | "all" | undefined = undefined;
  next: Epoch | undefined = undefined;

  /** Ends this epoch and returns the next one. */
  close(removed: Int32Array | "all"): Epoch {
    this.removed = removed;
    return (this.next = new Epoch());
  }
}

/** Maps a position of an ended epoch to the same place in the next one. */
export function carryPosition(pos: number, removed: Int32Array | "all"): number {
  if (removed === "all") return 0;
  let lo = 0;
  let hi = removed.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (removed[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return pos - lo;
}
