// SlotStore: the per-container half of every weak container. It pairs each slot of a table with
// the weak reference that makes the entry weak, keeps whatever index the table does not (keys that
// are not numbers), and turns collection notices into removals in batches.
//
// Per slot it holds:
//   refs[slot]  an EntryRef: a WeakRef to the entry's weak part (the value of a WeakValueMap, the key
//               of an IterableWeakMap/Set) that is also the held value and the unregister token of
//               its registration, and that carries (slot, generation) for the notice.
//   keys[slot]  the key, for stores whose keys are held strongly (StrongKeyStore).
// The table (WasmTable, or JsTable where WebAssembly is unavailable) holds the slot's generation,
// its place in insertion order, and the index of number keys.
//
// States of a slot: free -> used(live) -> used(dead) -> reaped(free); delete and clear go from
// used straight to free. A notice is applied only if its slot is still used with the same
// generation: delete, overwrite and reuse all change that, so late notices are harmless
// (see gc-bridge.ts for the vocabulary and the batching).

import { markDirty, runCallbacks, unwatch, watch, type Dirty, type Holdings } from "./gc-bridge.js";
import { SlotIterator, type SKIP } from "./cursor.js";
import { HOLE, type Gen, type Slot, type Table } from "./table.js";
import { WasmTable } from "./wasm-table.js";

/** A weak reference that is also the held value and unregister token of its own registration. */
export class EntryRef<T extends WeakKey = WeakKey> extends WeakRef<T> implements Holdings {
  readonly slot: Slot;
  readonly gen: Gen;
  /** The store, held weakly so that a dropped container is not kept alive by its registrations. */
  readonly store: WeakRef<SlotStore<unknown>>;

  constructor(target: T, slot: Slot, gen: Gen, store: WeakRef<SlotStore<unknown>>) {
    super(target);
    this.slot = slot;
    this.gen = gen;
    this.store = store;
  }

  collected(): void {
    this.store.deref()?.notice(this);
  }
}

/** Called for each entry reaped after its weak part was collected; queues user callbacks only. */
export type ReapHook<K> = (slot: Slot, key: K | undefined, callbacks: Array<() => void>) => void;

/** `stats()` of every container. */
export interface TableStats {
  /** Entries not yet known to be collected (the container's `size`). */
  size: number;
  /** Entries the table can hold before it grows (>= size). */
  capacity: number;
  /** Collection notices received but not yet applied (0 after `collect()` or `flush()`). */
  pending: number;
  /** Bytes the table itself holds: WebAssembly memory and the JS arrays beside it, not the values. */
  bytes: number;
}

/** Bytes per element of a JS array of references (64-bit, no pointer compression, as Node ships). */
const ARRAY_ELEMENT_BYTES = 8;
/** Rough bytes per entry of a V8 Map or WeakMap (entries plus buckets), for `stats().bytes`. */
const HASH_ENTRY_BYTES = 28;

export function makeTable(): Table {
  return new WasmTable();
}

export abstract class SlotStore<K> implements Dirty {
  readonly table: Table = makeTable();
  refs: Array<EntryRef | undefined> = [];
  #gen = 0;
  #pending: EntryRef[] = [];
  readonly #self = new WeakRef<SlotStore<unknown>>(this);
  readonly #onReap: ReapHook<K> | undefined;

  constructor(onReap?: ReapHook<K>) {
    this.#onReap = onReap;
  }

  get size(): number {
    return this.table.live;
  }

  /** The slot of `key`, or -1. */
  abstract lookup(key: unknown): number;
  /** Drops the key side of a slot being removed; returns the key if the store holds it. */
  protected abstract forgetKey(slot: Slot): K | undefined;
  protected abstract clearKeys(): void;
  protected abstract keyBytes(): number;

  /** The live referent of a used slot, or undefined once it was collected. */
  deref(slot: Slot): WeakKey | undefined {
    return this.refs[slot]!.deref();
  }

  protected nextGen(): Gen {
    return (this.#gen = (this.#gen + 1) | 0) as Gen;
  }

  /** Points `slot` (already stamped with `gen` in the table) at `target`, replacing any old reference. */
  protected attach(slot: Slot, target: WeakKey, gen: Gen): void {
    const old = this.refs[slot];
    if (old !== undefined) unwatch(old);
    const ref = new EntryRef(target, slot, gen, this.#self);
    watch(target, ref, ref);
    this.refs[slot] = ref;
  }

  /** Removes a used slot (delete, pop, forget). */
  remove(slot: Slot): void {
    unwatch(this.refs[slot]!);
    this.refs[slot] = undefined;
    this.forgetKey(slot);
    this.table.remove(slot);
    this.#compactIfSparse();
  }

  /** Compacts the table when tombstones dominate, and trims the slot arrays if it shrank. */
  #compactIfSparse(): void {
    const table = this.table;
    table.compactIfSparse();
    const capacity = table.capacity;
    if (this.refs.length > capacity) this.truncate(capacity);
  }

  /** Drops the slot arrays' tails after the table shrank below them (those slots are all free). */
  protected truncate(length: number): void {
    this.refs.length = length;
  }

  clear(): void {
    for (const ref of this.refs) if (ref !== undefined) unwatch(ref);
    this.refs = [];
    this.#pending = [];
    this.clearKeys();
    this.table.clear();
  }

  /** From EntryRef.collected, in the cleanup job: queue, and schedule one drain per batch. */
  notice(ref: EntryRef): void {
    if (this.#pending.push(ref) === 1) markDirty(this);
  }

  get pending(): number {
    return this.#pending.length;
  }

  applyNotices(callbacks: Array<() => void>): number {
    const pending = this.#pending;
    if (pending.length === 0) return 0;
    this.#pending = [];
    const slots = new Int32Array(pending.length);
    const gens = new Int32Array(pending.length);
    for (let i = 0; i < pending.length; i++) {
      slots[i] = pending[i]!.slot;
      gens[i] = pending[i]!.gen;
    }
    const removed = this.table.reap(slots, gens);
    const onReap = this.#onReap;
    for (const slot of removed) {
      this.refs[slot] = undefined;
      const key = this.forgetKey(slot);
      if (onReap !== undefined) onReap(slot, key, callbacks);
    }
    this.#compactIfSparse();
    return removed.length;
  }

  /** Applies every notice received so far, runs the resulting callbacks, returns entries removed. */
  flush(): number {
    const callbacks: Array<() => void> = [];
    const removed = this.applyNotices(callbacks);
    runCallbacks(callbacks);
    return removed;
  }

  /** The last slot in insertion order whose referent is live, or -1 (for `popItem`/`pop`). */
  lastLive(): Slot | -1 {
    const table = this.table;
    for (let pos = table.used - 1; pos >= 0; pos--) {
      const slot = table.slotAt(pos);
      if (slot !== HOLE && this.deref(slot as Slot) !== undefined) return slot as Slot;
    }
    return -1;
  }

  iterate<T>(read: (slot: Slot) => T | typeof SKIP, tag: string): SlotIterator<T> {
    return new SlotIterator(this.table, read, tag);
  }

  stats(): TableStats {
    return {
      size: this.table.live,
      capacity: this.table.capacity,
      pending: this.#pending.length,
      bytes: this.table.bytes + this.refs.length * ARRAY_ELEMENT_BYTES + this.keyBytes(),
    };
  }
}

/** Keys held strongly: numbers in the table's index, every other key in a Map. */
export class StrongKeyStore<K> extends SlotStore<K> {
  keys: Array<K | undefined> = [];
  #others = new Map<unknown, Slot>();

  lookup(key: unknown): number {
    if (typeof key === "number") return this.table.find(key);
    const slot = this.#others.get(key);
    return slot === undefined ? -1 : slot;
  }

  /** The key of a used slot, as stored (a -0 key reads back as 0). */
  keyAt(slot: Slot): K {
    return this.keys[slot] as K;
  }

  /** Inserts or overwrites `key` with the weak `target`; returns its slot. */
  set(key: K, target: WeakKey): Slot {
    const gen = this.nextGen();
    let slot: Slot;
    if (typeof key === "number") {
      const found = this.table.insertNumber(key, gen);
      if (found < 0) {
        slot = ~found as Slot;
        this.table.setGen(slot, gen);
      } else {
        slot = found as Slot;
        this.keys[slot] = (key === 0 ? 0 : key) as K; // -0 is stored as 0, as Map does
      }
    } else {
      const existing = this.#others.get(key);
      if (existing !== undefined) {
        slot = existing;
        this.table.setGen(slot, gen);
      } else {
        slot = this.table.insertOther(gen);
        this.#others.set(key, slot);
        this.keys[slot] = key;
      }
    }
    this.attach(slot, target, gen);
    return slot;
  }

  protected override truncate(length: number): void {
    super.truncate(length);
    if (this.keys.length > length) this.keys.length = length;
  }

  protected forgetKey(slot: Slot): K | undefined {
    const key = this.keys[slot];
    this.keys[slot] = undefined;
    if (typeof key !== "number") this.#others.delete(key);
    return key;
  }

  protected clearKeys(): void {
    this.keys = [];
    this.#others = new Map();
  }

  protected keyBytes(): number {
    return this.keys.length * ARRAY_ELEMENT_BYTES + this.#others.size * HASH_ENTRY_BYTES;
  }
}

/** Keys held weakly (they are the entries' weak part), indexed by a WeakMap. */
export class WeakKeyStore<K extends WeakKey> extends SlotStore<K> {
  #index = new WeakMap<WeakKey, Slot>();

  lookup(key: unknown): number {
    const slot = this.#index.get(key as WeakKey);
    return slot === undefined ? -1 : slot;
  }

  /** Adds `key` if absent; returns its slot either way. */
  add(key: K): Slot {
    const existing = this.#index.get(key);
    if (existing !== undefined) return existing;
    const gen = this.nextGen();
    const slot = this.table.insertOther(gen);
    this.#index.set(key, slot);
    this.attach(slot, key, gen);
    return slot;
  }

  /** Removes `key`'s entry; the caller has found its slot with `lookup`. */
  removeKey(key: K, slot: Slot): void {
    this.#index.delete(key);
    this.remove(slot);
  }

  protected forgetKey(): undefined {
    return undefined;
  }

  protected clearKeys(): void {
    this.#index = new WeakMap();
  }

  protected keyBytes(): number {
    return this.table.live * HASH_ENTRY_BYTES;
  }
}

