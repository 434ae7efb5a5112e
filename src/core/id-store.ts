// IdStore: the slot store behind IdRegistry, whose ids name their own slot.
//
// An id is `slot * ID_SPAN + gen + 1`: the slot that holds the object, and how many objects that
// slot held before (its id generation). So `get(id)` needs no hash probe: it splits the id (a
// multiplication by a power of two and a floor, exact in doubles), reads the id the slot holds now
// from a Float64Array, and compares; only then does it touch the WeakRef. Every id is a positive
// safe integer: slots are below MAX_CAPACITY = 2^25 and generations below ID_SPAN - 1 = 2^28 - 1,
// so the largest id is 2^53 - 1, Number.MAX_SAFE_INTEGER.
//
// Ids are never handed out twice (API.md): a slot's next id is its last id plus one generation,
// so each slot's ids only grow. `ids[slot]` holds the slot's id while it is used and minus its
// last id while it is free (0: never used here). Where those records are dropped (in bulk, after
// the table shrank far below them or on `clear()` of a large registry), the promise is kept by
// `#genFloor`: it rises above every generation the dropped records reached, and a slot with no
// record starts at the floor.
//
// A slot whose generations run out is retired: it is kept in the table for good, holding a
// sentinel that is never collected and never shown (`RETIRED`), so the table cannot hand it out
// again. A slot runs out after 2^28 - 1 objects (at one object a frame, 60 frames a second, that
// is 51 days of reusing the same slot); `tuning.idGenerations` makes it small for tests.
// Retired slots are not counted in `size`.
//
// The other direction, object to id, is a ShardedWeakMap (sharded-weak-map.ts): a WeakMap would
// fall off V8's cliff past two million objects. It maps an object to its slot, not its id, and
// `#ids[slot]` gives the id: a slot is below 2^25, so V8 stores it in the entry itself (a Smi),
// where an id (past 2^31 from slot 8 on) would be a HeapNumber of its own, 16 B an object more
// (bench memory-registry at 1e6: 211 -> 195 B an entry).

import type { Gen, Slot } from "./table.js";
import { SKIP, type SlotIterator } from "./cursor.js";
import { SlotStore } from "./slot-store.js";
import { ShardedWeakMap } from "./sharded-weak-map.js";
import { tuning } from "./collector.js";
import { idsExhausted, outOfMemory } from "./errors.js";
import { MAX_CAPACITY } from "../../assembly/layout.js";

/** Ids per slot, plus one: a slot's ids are `slot * ID_SPAN + 1` up to `slot * ID_SPAN + ID_SPAN - 1`. */
export const ID_SPAN = 2 ** 28;
const INVERSE_SPAN = 2 ** -28;
if (MAX_CAPACITY * ID_SPAN > 2 ** 53) throw new Error("weaktable: ids do not fit in safe integers");

/** What a retired slot refers to: alive for good, so never reaped, and skipped by every reader. */
const RETIRED = Object.freeze({ retired: true });
/** `ids[slot]` of a retired slot: equal to no id. */
const RETIRED_ID = Number.NaN;

/** Bytes of a Float64Array element, for `stats().bytes`. */
const ID_BYTES = 8;
/** Rough bytes per entry of the object-to-id WeakMaps. */
const OBJECT_ENTRY_BYTES = 28;

export class IdStore<T extends WeakKey> extends SlotStore<number> {
  /** By slot: its id while used, minus its last id while free, 0 when never used, NaN retired. */
  #ids = new Float64Array(0);
  /** Generation of a slot with no record in `#ids`: above every generation a dropped record had. */
  #genFloor = 0;
  /** Slots retired for good (they are in the table, not in `size`). */
  #retired = 0;
  /** Object to slot (see the header: a slot, not its id). */
  readonly #objects = new ShardedWeakMap<T, Slot>(() => this.#liveObjects());

  override get size(): number {
    return this.table.live - this.#retired;
  }

  /** The slot of a live or dead-not-reaped entry with this id, or -1. */
  lookup(id: unknown): Slot | -1 {
    if (typeof id !== "number") return -1;
    const slot = Math.floor((id - 1) * INVERSE_SPAN);
    return this.#ids[slot] === id ? (slot as Slot) : -1;
  }

  /** The id of `obj` while it is registered, else undefined. */
  idOf(obj: T): number | undefined {
    const slot = this.#objects.get(obj);
    return slot === undefined ? undefined : this.#ids[slot]!;
  }

  /** The id of `obj`, registering it first if it is not (the caller checked it can be). */
  remember(obj: T): number {
    const slot = this.#objects.get(obj);
    return slot === undefined ? this.add(obj) : this.#ids[slot]!;
  }

  /** Registers `obj`, which is not registered, and returns its new id. */
  add(obj: T): number {
    const live = this.size;
    for (;;) {
      const gen = this.nextGen();
      const slot = this.table.insertOther(gen); // may throw RangeError: nothing changed yet
      const id = this.#nextId(slot);
      if (id !== id) {
        // RETIRED_ID (NaN): this slot's ids ran out
        this.#retire(slot, gen);
        continue;
      }
      this.#ids[slot] = id;
      this.#objects.add(obj, slot, live);
      this.attach(slot, obj, gen);
      return id;
    }
  }

  /**
   * The id `slot` gives its next object, or RETIRED_ID (NaN) when its generations ran out. Makes room
   * in `#ids` first, undoing the table's insert if even that fails, so a RangeError changes nothing.
   */
  #nextId(slot: Slot): number {
    if (slot >= this.#ids.length) {
      try {
        const ids = new Float64Array(Math.max(8, this.table.capacity, slot + 1));
        ids.set(this.#ids);
        this.#ids = ids;
      } catch {
        this.table.remove(slot);
        throw outOfMemory("growing an IdRegistry's id index");
      }
    }
    const last = this.#ids[slot]!;
    if (last !== last) return RETIRED_ID; // retired before a clear(): stays retired
    let gen: number;
    if (last === 0) {
      gen = this.#genFloor;
      if (gen >= tuning.idGenerations) {
        this.table.remove(slot);
        throw idsExhausted();
      }
    } else {
      gen = -last - slot * ID_SPAN; // the last id's generation + 1
      if (gen >= tuning.idGenerations) return RETIRED_ID;
    }
    return slot * ID_SPAN + gen + 1;
  }

  #retire(slot: Slot, gen: Gen): void {
    this.#ids[slot] = RETIRED_ID;
    this.#retired++;
    this.attach(slot, RETIRED, gen);
  }

  /** The object of a slot read by `lookup`, or undefined once collected. */
  objectAt(slot: Slot): T | undefined {
    return this.deref(slot) as T | undefined;
  }

  /** Unregisters the live object in `slot` (found by `lookup`). */
  forget(slot: Slot, obj: T): void {
    this.#objects.delete(obj);
    this.remove(slot);
  }

  /** The id of a used slot. */
  keyAt(slot: Slot): number {
    return this.#ids[slot]!;
  }

  /** `[id, object]` for each live object, in registration order (retired slots never show). */
  entries(): SlotIterator<[number, T]> {
    return this.iterate<[number, T]>((slot) => {
      const obj = this.walk(slot);
      return obj === undefined || obj === RETIRED ? SKIP : [this.#ids[slot]!, obj as T];
    }, "IdRegistry Iterator");
  }

  /** For a rebuild of the object index: each live object with its slot. */
  *#liveObjects(): Generator<readonly [T, Slot]> {
    for (const slot of this.usedSlots()) {
      const obj = this.derefIfAttached(slot) as T | undefined;
      if (obj !== undefined && (obj as unknown) !== RETIRED) yield [obj, slot];
    }
  }

  protected forgetKey(slot: Slot): number {
    const id = this.#ids[slot]!;
    this.#ids[slot] = -id;
    return id;
  }

  /**
   * `clear()`: every slot is free, and the table may hand out any of them again. Records are kept
   * (as last ids) unless there are more than `tuning.idRecordsKept` of them and none is retired:
   * then they go, with the floor raised above them. Dropping them only in bulk keeps the floor from
   * climbing one generation per clear of a small registry, which would spend every slot's ids at
   * the rate of the busiest one; keeping a few records costs 8 bytes each.
   */
  /**
   * An id names its slot, so a slot is never renamed: one live high id keeps its table (and
   * `#ids`) as large as that slot, which the README's Limits states.
   */
  protected override get renamable(): boolean {
    return false;
  }

  protected moveKey(): void {
    throw new Error("weaktable: internal error: an IdRegistry slot cannot be renamed");
  }

  protected clearKeys(): void {
    this.#objects.clear();
    this.#retired = 0;
    const ids = this.#ids;
    let anyRetired = false;
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot]!;
      if (id !== id) anyRetired = true;
      else if (id > 0) ids[slot] = -id;
    }
    if (!anyRetired && ids.length > tuning.idRecordsKept) this.#dropRecords(0);
  }

  /** The table shrank: records at or above `length` may go (in bulk, as for `clear()`). */
  protected override truncate(length: number): void {
    super.truncate(length);
    if (this.#ids.length - length > tuning.idRecordsKept) this.#dropRecords(length);
  }

  /** Drops the records of slots from `from` on, raising the floor above every generation they reached. */
  #dropRecords(from: number): void {
    const ids = this.#ids;
    for (let slot = from; slot < ids.length; slot++) {
      const id = ids[slot]!;
      if (id !== id) return; // a retired slot is kept for good (the table cannot shrink below it)
      if (id !== 0) this.#raiseFloor(slot, Math.abs(id));
    }
    this.#ids = ids.slice(0, from);
  }

  #raiseFloor(slot: number, id: number): void {
    const gen = id - 1 - slot * ID_SPAN;
    if (gen + 1 > this.#genFloor) this.#genFloor = gen + 1;
  }

  protected keyBytes(): number {
    return this.#ids.length * ID_BYTES + this.size * OBJECT_ENTRY_BYTES;
  }
}
