// WasmTable: the TypeScript face of one table in the realm's WebAssembly instance. It speaks slots
// and generations, never keys other than numbers and never values. Its header is allocated on the
// first insert (an empty container costs no WebAssembly memory) and freed when the table object
// itself is collected, which happens with its container.

import {
  H_BODY, H_BUCKETS, H_CAPACITY, H_LIVE, H_USED, HEADER_SIZE, NEEDS_ROOM, SLOT_SIZE, HOLE,
} from "../../assembly/layout.js";
import { allocating, heap32, tableModule, type TableExports } from "../wasm/instance.js";
import { watch, type Holdings } from "./gc-bridge.js";
import { Epoch, type Gen, type Slot, type Table } from "./table.js";
import { InternalError } from "./errors.js";

/** Frees a dropped table's memory; the held value of the table object's registration. */
class TableRelease implements Holdings {
  constructor(
    readonly module: TableExports,
    readonly t: number,
  ) {}
  collected(): void {
    this.module.tbl_free(this.t);
  }
}

export class WasmTable implements Table {
  readonly backend = "wasm" as const;
  readonly #x: TableExports;
  /** Header address; the shared empty header until the first insert. */
  #t: number;
  /** Made when the first cursor asks for it. */
  #epoch: Epoch | undefined;
  openCursors = 0;

  constructor() {
    this.#x = tableModule();
    this.#t = this.#x.tbl_empty();
  }

  get live(): number {
    return heap32()[(this.#t + H_LIVE) >> 2]!;
  }

  get used(): number {
    return heap32()[(this.#t + H_USED) >> 2]!;
  }

  get capacity(): number {
    return heap32()[(this.#t + H_CAPACITY) >> 2]!;
  }

  get bytes(): number {
    return this.#x.tbl_bytes(this.#t);
  }

  get epoch(): Epoch {
    return (this.#epoch ??= new Epoch());
  }

  find(key: number): number {
    return this.#x.tbl_find(this.#t, key);
  }

  insertNumber(key: number, gen: Gen): number {
    let slot = this.#x.tbl_insert_number(this.#t, key, gen);
    if (slot === NEEDS_ROOM) {
      this.#makeRoom(true);
      slot = this.#x.tbl_insert_number(this.#t, key, gen);
    }
    return slot;
  }

  insertOther(gen: Gen): Slot {
    let slot = this.#x.tbl_insert_other(this.#t, gen);
    if (slot === NEEDS_ROOM) {
      this.#makeRoom(false);
      slot = this.#x.tbl_insert_other(this.#t, gen);
    }
    return slot as Slot;
  }

  remove(slot: Slot): boolean {
    return this.#x.tbl_remove(this.#t, slot) === 1;
  }

  setGen(slot: Slot, gen: Gen): void {
    this.#x.tbl_set_gen(this.#t, slot, gen);
  }

  genOf(slot: Slot): Gen {
    return this.#x.tbl_gen(this.#t, slot) as Gen;
  }

  keyOf(slot: Slot): number {
    return this.#x.tbl_key(this.#t, slot);
  }

  slotAt(pos: number): number {
    return this.#x.tbl_slot_at(this.#t, pos);
  }

  reap(slots: ArrayLike<number>, gens: ArrayLike<number>): Slot[] {
    const removed: Slot[] = [];
    const capacity = this.#x.SCRATCH_PAIRS.value as number;
    const scratch = this.#x.tbl_scratch() >> 2;
    for (let start = 0; start < slots.length; start += capacity) {
      const n = Math.min(capacity, slots.length - start);
      const heap = heap32(); // nothing below grows memory, so the view stays valid
      for (let i = 0; i < n; i++) {
        heap[scratch + 2 * i] = slots[start + i]!;
        heap[scratch + 2 * i + 1] = gens[start + i]!;
      }
      const count = this.#x.tbl_reap(this.#t, n);
      for (let i = 0; i < count; i++) removed.push(heap[scratch + i]! as Slot);
    }
    return removed;
  }

  compactIfSparse(): void {
    const heap = heap32();
    const used = heap[(this.#t + H_USED) >> 2]!;
    const live = heap[(this.#t + H_LIVE) >> 2]!;
    // More tombstones than entries: compacting costs less than what iteration and memory lose.
    // An emptied table always compacts, which lets it shrink back to its minimum.
    const holes = used - live;
    if (holes > live && (holes > 16 || live === 0)) this.#compact();
  }

  reserve(extra: number, withIndex: boolean): void {
    this.#ensureHeader();
    const t = this.#t;
    const fits = () => {
      const heap = heap32();
      const roomAtEnd = heap[(t + H_CAPACITY) >> 2]! - heap[(t + H_USED) >> 2]!;
      return roomAtEnd >= extra && (!withIndex || heap[(t + H_BUCKETS) >> 2]! !== 0);
    };
    if (fits()) return;
    if (this.used > this.live) {
      this.#compact();
      if (fits()) return;
    }
    const needed = this.live + extra;
    const grown = allocating(`reserving room for ${needed} entries`, () => this.#x.tbl_grow(t, withIndex ? 1 : 0, needed));
    if (grown < 0) throw new RangeError(`weaktable: a table cannot hold ${needed} entries`);
  }

  clear(): void {
    this.#x.tbl_clear(this.#t);
    if (this.openCursors > 0) this.#epoch = this.epoch.close("all");
  }

  check(): number {
    return this.#x.tbl_check(this.#t);
  }

  /** Squeezes out tombstones; records the removed positions for open cursors first. */
  #compact(): void {
    if (this.openCursors > 0) this.#epoch = this.epoch.close(this.#holes());
    this.#x.tbl_compact(this.#t);
  }

  /** The tombstone positions of the order log, ascending. */
  #holes(): Int32Array {
    const heap = heap32();
    const t = this.#t;
    const used = heap[(t + H_USED) >> 2]!;
    const order = (heap[(t + H_BODY) >> 2]! + heap[(t + H_CAPACITY) >> 2]! * SLOT_SIZE) >> 2;
    const holes = new Int32Array(used - heap[(t + H_LIVE) >> 2]!);
    let n = 0;
    for (let pos = 0; pos < used; pos++) if (heap[order + pos] === HOLE) holes[n++] = pos;
    return holes;
  }

  /** Allocates this table's header on first use, and arranges for it to be freed with the table. */
  #ensureHeader(): void {
    const x = this.#x;
    if (this.#t !== x.tbl_empty()) return;
    const t = allocating(`a table header of ${HEADER_SIZE} bytes`, () => x.tbl_new());
    watch(this, new TableRelease(x, t));
    this.#t = t;
  }

  /**
   * An insert answered NEEDS_ROOM: allocate the header on first use, reclaim tombstones when they
   * are a quarter of the capacity, and grow otherwise (or add the index for a first number key).
   */
  #makeRoom(withIndex: boolean): void {
    const x = this.#x;
    this.#ensureHeader();
    const t = this.#t;
    let heap = heap32();
    const capacity = heap[(t + H_CAPACITY) >> 2]!;
    const holes = heap[(t + H_USED) >> 2]! - heap[(t + H_LIVE) >> 2]!;
    if (holes > 0 && holes >= capacity >> 2) this.#compact();
    heap = heap32();
    const roomy = heap[(t + H_USED) >> 2]! < capacity;
    const indexed = heap[(t + H_BUCKETS) >> 2]! !== 0;
    if (roomy && (indexed || !withIndex)) return;
    const grown = allocating(`growing a table of ${capacity} entries`, () => x.tbl_grow(t, withIndex ? 1 : 0));
    if (grown < 0) throw new RangeError(`weaktable: a table cannot hold more than ${capacity} entries`);
    if (grown === 0) throw new InternalError("weaktable: tbl_grow returned 0");
  }
}
