// WasmTable: the TypeScript face of one table in the realm's table module. It speaks slots and
// generations, never keys other than numbers and never values. Its header is allocated on the
// first insert (an empty container costs no module memory) and freed when the table object itself
// is collected, which happens with its container.
//
// It serves both backends (src/wasm/instance.ts): the WebAssembly module and the same module run
// as JavaScript. Nothing here depends on which, so every answer and every capacity is the same.
//
// The room policy (when to compact, when to grow, by how much, when to shrink) is the module's:
// `tbl_room` and `tbl_compact_due` decide, and this class only follows the answer, recording for
// open cursors what each compaction kept. Its one addition is what the module cannot see: when
// growing fails for want of memory, holes the policy found too few to reclaim may still make room,
// so it compacts before giving up.
//
// Header fields are read straight from memory. Addresses are i32 in the ABI, so one at or above
// 2 GiB arrives negative: `#field` indexes with `>>> 2`, which reads it as unsigned.

import {
  H_BODY, H_CAPACITY, H_LIVE, H_USED, HEADER_SIZE, NEEDS_ROOM, SLOT_SIZE, HOLE, ROOM_COMPACT, ROOM_FITS,
} from "../../assembly/layout.js";
import { tableModule, type TableExports, type TableModule } from "../wasm/instance.js";
import { counters, watch, type Holdings } from "./collector.js";
import { CursorLog } from "./cursor.js";
import type { Gen, Slot, Table } from "./table.js";

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
  readonly #m: TableModule;
  readonly #x: TableExports;
  /** Header address; the shared empty header until the first insert. */
  #t: number;
  /** Made when the first cursor asks for it. */
  #cursors: CursorLog | undefined;
  /** Whether a trim is queued for the end of the job (after a batch reserved room). */
  #trimQueued = false;
  /** Counts the times order positions moved (compaction, clear); see `Table.layout`. */
  layout = 0;

  /** On the realm's table module, or on `module` (tests hold the two backends side by side). */
  constructor(module: TableModule = tableModule()) {
    this.#m = module;
    this.#x = module.x;
    this.#t = this.#x.tbl_empty();
  }

  get backend(): "wasm" | "js" {
    return this.#m.backend;
  }

  /** A header field; `>>> 2` because an address at or above 2 GiB arrives as a negative i32. */
  #field(offset: number): number {
    return this.#m.heap32()[(this.#t + offset) >>> 2]!;
  }

  get live(): number {
    return this.#field(H_LIVE);
  }

  get used(): number {
    return this.#field(H_USED);
  }

  get capacity(): number {
    return this.#field(H_CAPACITY);
  }

  get bytes(): number {
    return this.#x.tbl_bytes(this.#t);
  }

  get cursors(): CursorLog {
    return (this.#cursors ??= new CursorLog());
  }

  /** The header's address, for tests that need to know where in memory the table lives. */
  get address(): number {
    return this.#t >>> 0;
  }

  find(key: number): Slot | -1 {
    return this.#x.tbl_find(this.#t, key) as Slot | -1;
  }

  insertNumber(key: number, gen: Gen): number {
    let slot = this.#x.tbl_insert_number(this.#t, key, gen);
    if (slot === NEEDS_ROOM) {
      this.#makeRoom(1, true);
      slot = this.#x.tbl_insert_number(this.#t, key, gen);
    }
    return slot;
  }

  insertOther(gen: Gen): Slot {
    let slot = this.#x.tbl_insert_other(this.#t, gen);
    if (slot === NEEDS_ROOM) {
      this.#makeRoom(1, false);
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
    const capacity = this.#x.SCRATCH_PAIRS.value;
    const scratch = this.#x.tbl_scratch() >>> 2;
    for (let start = 0; start < slots.length; start += capacity) {
      const n = Math.min(capacity, slots.length - start);
      const heap = this.#m.heap32(); // nothing below grows memory, so the view stays valid
      for (let i = 0; i < n; i++) {
        heap[scratch + 2 * i] = slots[start + i]!;
        heap[scratch + 2 * i + 1] = gens[start + i]!;
      }
      const count = this.#x.tbl_reap(this.#t, n);
      for (let i = 0; i < count; i++) removed.push(heap[scratch + i]! as Slot);
    }
    return removed;
  }

  relocationLimit(): number {
    return this.#x.tbl_relocation_limit(this.#t);
  }

  relocate(slots: ArrayLike<number>, limit: number): Int32Array {
    const to = new Int32Array(slots.length).fill(-1);
    if (this.#t === this.#x.tbl_empty()) return to;
    if (this.used > this.live) this.#compact(); // tbl_relocate needs no listed free slots
    const capacity = this.#x.SCRATCH_PAIRS.value;
    const scratch = this.#x.tbl_scratch() >>> 2;
    for (let start = 0; start < slots.length; start += capacity) {
      const n = Math.min(capacity, slots.length - start);
      const heap = this.#m.heap32(); // nothing below grows memory, so the view stays valid
      for (let i = 0; i < n; i++) heap[scratch + 2 * i] = slots[start + i]!;
      this.#x.tbl_relocate(this.#t, n, limit);
      for (let i = 0; i < n; i++) to[start + i] = heap[scratch + 2 * i + 1]!;
    }
    return to;
  }

  compactIfSparse(): void {
    if (this.#x.tbl_compact_due(this.#t) === 1) this.#compact();
  }

  reserve(extra: number, withIndex: boolean): void {
    if (extra <= 0) return;
    const capacity = this.capacity;
    this.#makeRoom(extra, withIndex);
    // A batch of duplicates fills little of what it reserved: give the rest back once it is done.
    if (extra > 1 && this.capacity > capacity && !this.#trimQueued) {
      this.#trimQueued = true;
      queueMicrotask(() => {
        this.#trimQueued = false;
        this.trim();
      });
    }
  }

  trim(): void {
    if (this.#t !== this.#x.tbl_empty()) this.#compact();
  }

  clear(): void {
    this.#x.tbl_clear(this.#t);
    this.layout++;
    if (this.#cursors?.recording) this.#cursors.cleared();
  }

  check(): number {
    return this.#x.tbl_check(this.#t);
  }

  /** Squeezes out tombstones (telling open cursors what it kept first), and shrinks if it can. */
  #compact(): void {
    if (this.used <= this.live) {
      this.#x.tbl_compact(this.#t); // no tombstones: at most a shrink, and no position moves
      return;
    }
    this.layout++;
    if (this.#cursors?.recording) this.#cursors.compacted(this.#keptPositions());
    const capacity = this.capacity;
    this.#x.tbl_compact(this.#t);
    counters.compactions++;
    if (this.capacity < capacity) counters.shrinks++;
  }

  /** The order positions that are not tombstones, ascending. */
  #keptPositions(): Int32Array {
    const heap = this.#m.heap32();
    const used = this.used;
    const order = (this.#field(H_BODY) + this.capacity * SLOT_SIZE) >>> 2;
    const kept = new Int32Array(this.live);
    let n = 0;
    for (let pos = 0; pos < used; pos++) if (heap[order + pos] !== HOLE) kept[n++] = pos;
    return kept;
  }

  /** Allocates this table's header on first use, and arranges for it to be freed with the table. */
  #ensureHeader(): void {
    const x = this.#x;
    if (this.#t !== x.tbl_empty()) return;
    const t = this.#m.allocating(`a table header of ${HEADER_SIZE} bytes`, () => x.tbl_new());
    watch(this, new TableRelease(x, t));
    this.#t = t;
  }

  /**
   * Makes room for `extra` more inserts (with the index when `withIndex`) as `tbl_room` directs.
   * Throws a RangeError, the entries unchanged, when even compacting cannot make room.
   */
  #makeRoom(extra: number, withIndex: boolean): void {
    this.#ensureHeader();
    const x = this.#x;
    const t = this.#t;
    const index = withIndex ? 1 : 0;
    for (;;) {
      const plan = x.tbl_room(t, extra, index);
      if (plan === ROOM_FITS) return;
      if (plan === ROOM_COMPACT) {
        this.#compact();
        continue;
      }
      const capacity = this.capacity;
      let failure: RangeError;
      try {
        const grown = this.#m.allocating(`growing a table of ${capacity} entries`, () => x.tbl_grow(t, index, extra));
        if (grown >= 0) continue;
        failure = new RangeError(`weaktable: a table cannot hold more than ${capacity} entries (${extra} more asked)`);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        failure = error;
      }
      // Memory (or the capacity limit) is exhausted, but holes too few for the policy to reclaim
      // may still make room: compact before giving up.
      if (this.used > this.live) {
        this.#compact();
        if (x.tbl_room(t, extra, index) === ROOM_FITS) return;
      }
      throw failure;
    }
  }
}
