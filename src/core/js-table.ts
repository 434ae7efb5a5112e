// JsTable: the table in plain JavaScript, for realms that cannot compile WebAssembly synchronously
// (a Content-Security-Policy without 'wasm-unsafe-eval', engines that refuse synchronous compiles).
// `makeTable()` picks it when `wasmAvailable()` is false; SlotStore never knows which table it has.
//
// It is assembly/table.ts transcribed, so that both tables answer every call alike: the same slot
// numbers (a free list, newest-freed first, then the next never-used slot), the same order log with
// HOLEs, the same capacities (MIN_CAPACITY, doubling, compact before growing, halving on compaction
// while at most a quarter full) and the same invariant numbers from `check()`. The differences are
// where JavaScript has better tools: number keys are indexed by a `Map` (which already compares
// keys with SameValueZero, so -0 and 0 are one key and every NaN is one key) instead of an open
// addressing index, and each column of the body is its own typed array instead of one block of
// WebAssembly memory. test/fallback/js-table.test.ts holds the two tables to each other.

import {
  END, FREE_BIT, HOLE, MAX_CAPACITY, MIN_CAPACITY, NONE, NUMERIC_BIT, POS_MASK,
} from "../../assembly/layout.js";
import { Epoch, type Gen, type Slot, type Table } from "./table.js";

/** Rough bytes per entry of a V8 Map (entries plus buckets), for `bytes`. */
const MAP_ENTRY_BYTES = 28;
/** Bytes per slot of capacity: key (f64), generation, link and order position (i32 each). */
const BYTES_PER_SLOT = 8 + 4 + 4 + 4;
/** The fixed fields of a table object, roughly, once it holds anything. */
const OBJECT_BYTES = 64;

const NO_KEYS = new Float64Array(0);
const NO_INTS = new Int32Array(0);

/** SameValueZero's canonical form of a number key: 0 for -0 (NaN stays the one NaN). */
function canonical(key: number): number {
  return key === 0 ? 0 : key;
}

export class JsTable implements Table {
  readonly backend = "js" as const;
  openCursors = 0;
  /** Made when the first cursor asks for it. */
  #epoch: Epoch | undefined;

  #capacity = 0;
  #used = 0;
  #live = 0;
  #numeric = 0;
  #freeSlot = NONE;
  #slotHigh = 0;
  /** Per slot: its canonical number key (0 for other keys). */
  #keys: Float64Array = NO_KEYS;
  /** Per slot: the generation the slot store stamped. */
  #gens: Int32Array = NO_INTS;
  /** Per slot: order position | NUMERIC_BIT when used; FREE_BIT | next free slot (POS_MASK ends) when free. */
  #links: Int32Array = NO_INTS;
  /** Slot numbers in insertion order, HOLE where an entry was removed; `#used` of them are in use. */
  #order: Int32Array = NO_INTS;
  /** Canonical number key -> slot, for the slots inserted with `insertNumber`. */
  #index = new Map<number, Slot>();
  /**
   * Whether the table has had a number key since it was last emptied by `clear` (WasmTable's
   * index exists from then on). Its first number key makes room as for a full table, as there.
   */
  #indexed = false;

  get live(): number {
    return this.#live;
  }

  get used(): number {
    return this.#used;
  }

  get capacity(): number {
    return this.#capacity;
  }

  get bytes(): number {
    if (this.#capacity === 0) return 0;
    return OBJECT_BYTES + this.#capacity * BYTES_PER_SLOT + this.#index.size * MAP_ENTRY_BYTES;
  }

  get epoch(): Epoch {
    return (this.#epoch ??= new Epoch());
  }

  find(key: number): number {
    return this.#index.get(key) ?? -1;
  }

  insertNumber(key: number, gen: Gen): number {
    const found = this.#index.get(key);
    if (found !== undefined) return ~found;
    this.#makeRoom(true);
    const slot = this.#append(canonical(key), gen, NUMERIC_BIT);
    this.#index.set(key, slot);
    this.#numeric++;
    return slot;
  }

  insertOther(gen: Gen): Slot {
    this.#makeRoom(false);
    return this.#append(0, gen, 0);
  }

  remove(slot: Slot): boolean {
    if (!this.#isUsed(slot)) return false;
    const link = this.#links[slot]!;
    this.#order[link & POS_MASK] = HOLE;
    this.#live--;
    if (link & NUMERIC_BIT) {
      this.#index.delete(this.#keys[slot]!);
      this.#numeric--;
    }
    this.#links[slot] = FREE_BIT | (this.#freeSlot === NONE ? POS_MASK : this.#freeSlot);
    this.#freeSlot = slot;
    return true;
  }

  setGen(slot: Slot, gen: Gen): void {
    this.#gens[slot] = gen;
  }

  genOf(slot: Slot): Gen {
    return this.#gens[slot]! as Gen;
  }

  /** Like WasmTable's, still readable after the slot is removed, until it is reused. */
  keyOf(slot: Slot): number {
    return this.#keys[slot]!;
  }

  slotAt(pos: number): number {
    return pos >= this.#used ? END : this.#order[pos]!;
  }

  reap(slots: ArrayLike<number>, gens: ArrayLike<number>): Slot[] {
    const removed: Slot[] = [];
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]! as Slot;
      if (this.#isUsed(slot) && this.#gens[slot] === gens[i]) {
        this.remove(slot);
        removed.push(slot);
      }
    }
    return removed;
  }

  compactIfSparse(): void {
    // The same policy as WasmTable: compact when tombstones outnumber entries, and always once
    // the table is empty, which lets it shrink back to its minimum.
    const live = this.#live;
    const holes = this.#used - live;
    if (holes > live && (holes > 16 || live === 0)) this.#compact();
  }

  clear(): void {
    this.#capacity = 0;
    this.#used = 0;
    this.#live = 0;
    this.#numeric = 0;
    this.#freeSlot = NONE;
    this.#slotHigh = 0;
    this.#keys = NO_KEYS;
    this.#gens = NO_INTS;
    this.#links = NO_INTS;
    this.#order = NO_INTS;
    this.#index = new Map();
    this.#indexed = false;
    if (this.openCursors > 0) this.#epoch = this.epoch.close("all");
  }

  /**
   * 0 when every invariant holds, else the number of the first one broken (the numbering of
   * assembly/table.ts `check`, with the index being the Map):
   *   1 counts out of range           2 a column whose length is not the capacity
   *   3 an order entry names a slot that is not used, or whose link points elsewhere
   *   4 LIVE differs from the order log      5 NUMERIC differs from the order log
   *   6 a number key is not found at its own slot through the index
   *   7 the index holds a slot that is not a used number slot, or the wrong count
   *   8 the free list is not exactly the unused slots below SLOT_HIGH
   */
  check(): number {
    const capacity = this.#capacity;
    const used = this.#used;
    const live = this.#live;
    const numeric = this.#numeric;
    const slotHigh = this.#slotHigh;
    if (!(0 <= live && live <= used && used <= capacity && numeric <= live && slotHigh <= capacity)) return 1;
    if (capacity > MAX_CAPACITY) return 1;
    for (const column of [this.#keys, this.#gens, this.#links, this.#order]) if (column.length !== capacity) return 2;
    if (capacity === 0) return live === 0 && this.#freeSlot === NONE && this.#index.size === 0 ? 0 : 1;
    let seenLive = 0;
    let seenNumeric = 0;
    for (let pos = 0; pos < used; pos++) {
      const slot = this.#order[pos]!;
      if (slot === HOLE) continue;
      if (slot < 0 || slot >= slotHigh) return 3;
      const link = this.#links[slot]!;
      if ((link & FREE_BIT) !== 0 || (link & POS_MASK) !== pos) return 3;
      seenLive++;
      if (link & NUMERIC_BIT) {
        seenNumeric++;
        const key = this.#keys[slot]!;
        if (Object.is(key, -0) || this.find(key) !== slot) return 6;
      }
    }
    if (seenLive !== live) return 4;
    if (seenNumeric !== numeric) return 5;
    if (this.#index.size !== numeric) return 7;
    for (const slot of this.#index.values()) {
      if (slot < 0 || slot >= slotHigh) return 7;
      const link = this.#links[slot]!;
      if ((link & FREE_BIT) !== 0 || (link & NUMERIC_BIT) === 0) return 7;
    }
    let free = 0;
    let s = this.#freeSlot;
    while (s !== NONE) {
      if (s < 0 || s >= slotHigh || free > slotHigh) return 8;
      const link = this.#links[s]!;
      if ((link & FREE_BIT) === 0) return 8;
      free++;
      const next = link & POS_MASK;
      s = next === POS_MASK ? NONE : next;
    }
    if (free !== slotHigh - live) return 8;
    return 0;
  }

  #isUsed(slot: number): boolean {
    return slot >= 0 && slot < this.#slotHigh && (this.#links[slot]! & FREE_BIT) === 0;
  }

  /** Takes a slot (the free list first) and appends it to the order log; the caller made room. */
  #append(key: number, gen: Gen, flags: number): Slot {
    let slot = this.#freeSlot;
    if (slot !== NONE) {
      const next = this.#links[slot]! & POS_MASK;
      this.#freeSlot = next === POS_MASK ? NONE : next;
    } else {
      slot = this.#slotHigh++;
    }
    const pos = this.#used++;
    this.#keys[slot] = key;
    this.#gens[slot] = gen;
    this.#links[slot] = pos | flags;
    this.#order[pos] = slot;
    this.#live++;
    return slot as Slot;
  }

  /**
   * Makes room for one more order position where WasmTable's insert would answer NEEDS_ROOM (a
   * full order log, or a first number key), as WasmTable does: reclaim tombstones when they are a
   * quarter of the capacity, and double the capacity when that was not enough.
   */
  reserve(extra: number, withIndex: boolean): void {
    if (this.#capacity - this.#used < extra && this.#used > this.#live) this.#compact();
    if (this.#capacity - this.#used < extra) {
      const needed = this.#live + extra;
      if (needed > MAX_CAPACITY) throw new RangeError(`weaktable: a table cannot hold ${needed} entries`);
      let newCapacity = Math.max(MIN_CAPACITY, this.#capacity);
      while (newCapacity < needed) newCapacity <<= 1;
      this.#resize(newCapacity);
    }
    if (withIndex) this.#indexed = true;
  }

  #makeRoom(withIndex: boolean): void {
    const capacity = this.#capacity;
    if (this.#used < capacity && (this.#indexed || !withIndex)) return;
    const holes = this.#used - this.#live;
    if (holes > 0 && holes >= capacity >> 2) this.#compact();
    if (this.#used === this.#capacity) {
      const newCapacity = capacity === 0 ? MIN_CAPACITY : capacity << 1;
      if (newCapacity > MAX_CAPACITY) throw new RangeError(`weaktable: a table cannot hold more than ${capacity} entries`);
      this.#resize(newCapacity);
    }
    if (withIndex) this.#indexed = true;
  }

  /** Squeezes out tombstones (recording their positions for open cursors first), then shrinks. */
  #compact(): void {
    const used = this.#used;
    const live = this.#live;
    if (used === live) return;
    const order = this.#order;
    if (this.openCursors > 0) {
      const holes = new Int32Array(used - live);
      let n = 0;
      for (let pos = 0; pos < used; pos++) if (order[pos] === HOLE) holes[n++] = pos;
      this.#epoch = this.epoch.close(holes);
    }
    const links = this.#links;
    let w = 0;
    for (let r = 0; r < used; r++) {
      const slot = order[r]!;
      if (slot === HOLE) continue;
      if (r !== w) {
        order[w] = slot;
        links[slot] = w | (links[slot]! & NUMERIC_BIT);
      }
      w++;
    }
    this.#used = live;
    this.#sortFreeList(this.#slotHigh);
    this.#shrink();
  }

  /** Rebuilds the free list over slots below `slotHigh`, lowest first (as assembly/table.ts does). */
  #sortFreeList(slotHigh: number): void {
    const links = this.#links;
    let head = NONE;
    for (let s = slotHigh - 1; s >= 0; s--) {
      if (links[s]! & FREE_BIT) {
        links[s] = FREE_BIT | (head === NONE ? POS_MASK : head);
        head = s;
      }
    }
    this.#freeSlot = head;
  }

  /** Halves the capacity while at most a quarter of it is live, keeping every used slot's number. */
  #shrink(): void {
    const capacity = this.#capacity;
    const live = this.#live;
    if (capacity <= MIN_CAPACITY || live * 4 > capacity) return;
    // Slots are stable names, so the new capacity must cover the highest used slot.
    let highest = -1;
    for (let pos = 0; pos < live; pos++) highest = Math.max(highest, this.#order[pos]!);
    let target = Math.max(MIN_CAPACITY, live * 2);
    while (target <= highest) target <<= 1;
    let newCapacity = MIN_CAPACITY;
    while (newCapacity < target) newCapacity <<= 1;
    if (newCapacity >= capacity) return;

    // Free slots at or above the new capacity disappear from the free list.
    const slotHigh = Math.min(this.#slotHigh, newCapacity);
    this.#slotHigh = slotHigh;
    this.#sortFreeList(slotHigh);
    this.#resize(newCapacity);
  }

  /** New columns of `capacity` entries holding the used part of the old ones; all-or-nothing. */
  #resize(capacity: number): void {
    const keys = new Float64Array(capacity);
    const gens = new Int32Array(capacity);
    const links = new Int32Array(capacity);
    const order = new Int32Array(capacity);
    const slots = this.#slotHigh;
    keys.set(this.#keys.subarray(0, slots));
    gens.set(this.#gens.subarray(0, slots));
    links.set(this.#links.subarray(0, slots));
    order.set(this.#order.subarray(0, this.#used));
    this.#keys = keys;
    this.#gens = gens;
    this.#links = links;
    this.#order = order;
    this.#capacity = capacity;
  }
}
