// SlotStore: the per-container half of every weak container. It pairs each slot of a table with
// the WeakRef that makes the entry weak, keeps whatever index the table does not (keys that are
// not numbers), and turns collection notices into removals in batches.
//
// Per slot it holds, side by side in one array (`pairs`, two elements a slot, so that one cache
// line serves a lookup):
//   pairs[2*slot]      a plain WeakRef to the entry's weak part (the value of a WeakValueMap, the
//                      key of an IterableWeakMap/Set);
//   pairs[2*slot + 1]  the referent, while the current job has already dereferenced it.
// The second is the per-job cache. `WeakRef.prototype.deref` adds its target to the engine's
// kept-objects set until the job ends, and that insertion, not the table, is what a lookup
// mostly costs (measured on Node 20: 80 ns for eight derefs of each of 10 000 objects in a job,
// 30 ns with the cache). Since the engine keeps a dereferenced object alive until the job ends
// anyway, remembering it until then changes nothing about lifetimes: one microtask, queued on the
// first cached lookup of a job, forgets every cached referent before the job ends. Delete and
// overwrite update the cache at once. Where lookups rarely repeat within a job, filling the cache
// costs more than it saves, so each store measures its hit rate per job and pauses the cache when
// it does not pay (see `forgetCached`).
//   keys[slot]  the key, for stores whose keys are held strongly and are not numbers (number keys
//               are read back from the table, which holds them anyway).
// The table (WasmTable, on either backend of the table module) holds the slot's generation,
// its place in insertion order, and the index of number keys.
//
// Each store has its own FinalizationRegistry, made by the GC bridge on the first insert. The held
// value of a registration is one small integer, `gen << SLOT_BITS | slot` (a Smi: no allocation),
// so an entry costs a WeakRef and a registration and nothing else on the JS heap. A registry per
// store, rather than one for the realm, also means a dropped container takes its registrations
// with it instead of leaving them behind until each value dies.
//
// Registrations are made without an unregister token: measured on Node 20, a token costs ~34 bytes
// per entry and makes `register` 2.5x slower (the engine keeps a hash table of tokens). So delete
// and overwrite leave the old registration behind, *stale*: its notice arrives once the old referent
// dies and is ignored. To keep stale registrations from piling up (an object set and deleted every
// frame would add one per frame), the store counts them, and when they outnumber the live entries
// it replaces its registry: live entries are registered again in a fresh one, entries found dead
// are reaped on the spot, and the old registry goes, with every stale registration in it. That is
// O(n) once per n stale registrations, so amortized O(1) per delete.
//
// States of a slot: free -> used(live) -> used(dead) -> reaped(free); delete and clear go from
// used straight to free. A notice is applied only if its slot is still used, still carries the
// notice's generation, and its WeakRef is dead. Any one of the three makes a late notice harmless;
// the generation is only 6 bits wide, so the WeakRef check is what makes it exact: a notice can
// only ever remove an entry whose referent really was collected (see gc-bridge.ts).

import { defer, makeRegistry, markDirty, runCallbacks, type Dirty } from "./gc-bridge.js";
import { SlotIterator, type SKIP } from "./cursor.js";
import { END, HOLE, type Gen, type Slot, type Table } from "./table.js";
import { WasmTable } from "./wasm-table.js";
import { MAX_CAPACITY } from "../../assembly/layout.js";

/** Bits of a held value that name the slot: every slot of a table fits (MAX_CAPACITY = 2^25). */
const SLOT_BITS = 25;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** Generations wrap at 2^6, so a held value stays below 2^31, a Smi on every V8 build. */
const GEN_MASK = 63;
if (MAX_CAPACITY > 1 << SLOT_BITS) throw new Error("weaktable: SLOT_BITS does not cover MAX_CAPACITY");
/** Cached lookups in one job before the cache judges whether it pays. */
const CACHE_SAMPLE = 256;
/** Stale registrations tolerated however small the store, so small stores do not renew often. */
const STALE_MIN = 1024;

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
  /**
   * Which table holds the entries: "wasm", the WebAssembly module, or "js", the JavaScript
   * fallback used where WebAssembly cannot be compiled synchronously (for example under a
   * Content-Security-Policy without 'wasm-unsafe-eval'). Both behave alike.
   */
  backend: "wasm" | "js";
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
  /** By 2*slot: the WeakRef of a used slot (undefined for a free one); by 2*slot+1: the job cache. */
  #pairs: Array<WeakRef<WeakKey> | WeakKey | undefined> = [];
  /** Slots whose cache entry the end of the current job must clear (made on first use). */
  #cached: number[] | undefined;
  /** Lookups served from the job cache in the current job. */
  #hits = 0;
  /** Whether lookups fill the job cache; off for a while after a job in which it did not pay. */
  #caching = true;
  /** Uncached lookups left before caching is tried again. */
  #uncachedLeft = 0;
  #gen = 0;
  /** Held values of notices received and not yet applied (made on the first notice). */
  #pending: number[] | undefined;
  /** Made on the first insert; replaced wholesale by `clear()` and when stale registrations pile up. */
  #registry: FinalizationRegistry<number> | undefined;
  /** Registrations in `#registry` whose entry was since deleted or overwritten. */
  #stale = 0;
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
    const pairs = this.#pairs;
    const i = slot << 1;
    const cached = pairs[i + 1];
    if (cached !== undefined) {
      this.#hits++;
      return cached as WeakKey;
    }
    const target = (pairs[i] as WeakRef<WeakKey>).deref();
    if (this.#caching) {
      if (target !== undefined) {
        pairs[i + 1] = target;
        if ((this.#cached ??= []).push(slot) === 1) forgetAtEndOfJob(this);
      }
    } else if (--this.#uncachedLeft === 0) {
      this.#caching = true; // sample again: the access pattern may have changed
    }
    return target;
  }

  /** The WeakRef of a used slot, for checks that must not consult the job cache. */
  #ref(slot: number): WeakRef<WeakKey> | undefined {
    return this.#pairs[slot << 1] as WeakRef<WeakKey> | undefined;
  }

  /**
   * From the end-of-job microtask: forget every referent cached in this job. If the cache served
   * fewer than one lookup in four it filled (distinct random ids, say), filling it cost more than
   * it saved: stop for eight times as many lookups, then sample again.
   */
  forgetCached(): void {
    const pairs = this.#pairs;
    const cached = this.#cached ?? [];
    for (const slot of cached) {
      const i = (slot << 1) + 1;
      if (i < pairs.length) pairs[i] = undefined;
    }
    if (cached.length >= CACHE_SAMPLE && this.#hits * 4 < cached.length) {
      this.#caching = false;
      this.#uncachedLeft = cached.length * 8;
    }
    this.#hits = 0;
    this.#cached = undefined;
  }

  protected nextGen(): Gen {
    return (this.#gen = (this.#gen + 1) & GEN_MASK) as Gen;
  }

  /** Points `slot` (already stamped with `gen` in the table) at `target`, replacing any old reference. */
  protected attach(slot: Slot, target: WeakKey, gen: Gen): void {
    const registry = (this.#registry ??= this.#makeRegistry());
    const pairs = this.#pairs;
    const i = slot << 1;
    if (pairs[i] !== undefined) this.#staled();
    pairs[i] = new WeakRef(target);
    pairs[i + 1] = undefined; // an overwritten referent must not be served from the cache
    registry.register(target, (gen << SLOT_BITS) | slot);
  }

  #makeRegistry(): FinalizationRegistry<number> {
    const registry: FinalizationRegistry<number> = makeRegistry((held) => {
      // A registry dropped by clear() may still deliver what it had queued: ignore it.
      if (registry === this.#registry && (this.#pending ??= []).push(held) === 1) markDirty(this);
    });
    return registry;
  }

  /** Room for `extra` more entries without growing, so a batch insert cannot fail halfway. */
  reserve(extra: number, withIndex: boolean): void {
    this.table.reserve(extra, withIndex);
  }

  /** Removes a used slot (delete, pop, forget). */
  remove(slot: Slot): void {
    this.#pairs[slot << 1] = this.#pairs[(slot << 1) + 1] = undefined;
    this.forgetKey(slot);
    this.table.remove(slot);
    this.#compactIfSparse();
    this.#staled();
  }

  /** Counts one more stale registration; replaces the registry when they outnumber the entries. */
  #staled(): void {
    if (++this.#stale > Math.max(STALE_MIN, this.table.live)) this.#renewRegistry();
  }

  /**
   * Registers every live entry again in a fresh registry and drops the old one with its stale
   * registrations. Entries found dead on the way are reaped now, as their notices would have, and
   * their onCollect callbacks are deferred like any others. Every live referent is dereferenced,
   * so it stays alive until the current job ends, as after any iteration.
   */
  #renewRegistry(): void {
    const registry = this.#makeRegistry();
    const table = this.table;
    const dead: number[] = [];
    const deadGens: number[] = [];
    for (let pos = 0, slot = table.slotAt(0); slot !== END; slot = table.slotAt(++pos)) {
      if (slot === HOLE) continue;
      const gen = table.genOf(slot as Slot);
      const target = this.#ref(slot)!.deref();
      if (target === undefined) {
        dead.push(slot);
        deadGens.push(gen);
      } else {
        registry.register(target, (gen << SLOT_BITS) | slot);
      }
    }
    this.#registry = registry;
    this.#stale = 0;
    this.#pending = undefined;
    if (dead.length > 0) {
      const callbacks: Array<() => void> = [];
      this.#reaped(table.reap(dead, deadGens), callbacks);
      for (const callback of callbacks) defer(callback);
    }
  }

  /** Compacts the table when tombstones dominate, and trims the slot arrays if it shrank. */
  #compactIfSparse(): void {
    const table = this.table;
    table.compactIfSparse();
    const capacity = table.capacity;
    if (this.#pairs.length > 2 * capacity) this.truncate(capacity);
  }

  /** Drops the slot arrays' tails after the table shrank below them (those slots are all free). */
  protected truncate(length: number): void {
    this.#pairs.length = 2 * length;
  }

  /** O(1) in registrations: the old registry is dropped with every registration in it. */
  clear(): void {
    this.#registry = undefined;
    this.#stale = 0;
    this.#pairs = [];
    this.#pending = undefined;
    this.clearKeys();
    this.table.clear();
  }

  get pending(): number {
    return this.#pending?.length ?? 0;
  }

  applyNotices(callbacks: Array<() => void>): number {
    const pending = this.#pending;
    if (pending === undefined || pending.length === 0) return 0;
    this.#pending = undefined;
    const slots: number[] = [];
    const gens: number[] = [];
    for (const held of pending) {
      const slot = held & SLOT_MASK;
      // Only a dead referent is reaped (see the header); the table then checks the generation.
      if (this.#ref(slot)?.deref() !== undefined) continue;
      slots.push(slot);
      gens.push(held >>> SLOT_BITS);
    }
    return this.#reaped(this.table.reap(slots, gens), callbacks);
  }

  /** Finishes removing slots the table reaped; queues their callbacks; returns how many. */
  #reaped(removed: Slot[], callbacks: Array<() => void>): number {
    const onReap = this.#onReap;
    for (const slot of removed) {
      this.#pairs[slot << 1] = undefined; // a dead referent is never in the job cache
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
      pending: this.#pending?.length ?? 0,
      bytes: this.table.bytes + this.#pairs.length * ARRAY_ELEMENT_BYTES + this.keyBytes(),
      backend: this.table.backend,
    };
  }
}

/** Stores with referents cached in the current job; one microtask clears them all. */
let cachingStores: Array<{ forgetCached(): void }> = [];

function forgetAtEndOfJob(store: { forgetCached(): void }): void {
  if (cachingStores.push(store) === 1) queueMicrotask(forgetAllCached);
}

function forgetAllCached(): void {
  const stores = cachingStores;
  cachingStores = [];
  for (const store of stores) store.forgetCached();
}

/** Stands for the key `undefined` in `keys`, where undefined means "a number key: ask the table". */
const UNDEFINED_KEY = Symbol("undefined key");

/** Keys held strongly: numbers in the table's index, every other key in a Map. */
export class StrongKeyStore<K> extends SlotStore<K> {
  /** By slot, keys that are not numbers; holes for number keys, which the table holds. */
  keys: unknown[] | undefined;
  /** Slots of the keys that are not numbers; made on the first such key (an empty Map is ~200 B). */
  #others: Map<unknown, Slot> | undefined;

  lookup(key: unknown): number {
    if (typeof key === "number") return this.table.find(key);
    const slot = this.#others?.get(key);
    return slot === undefined ? -1 : slot;
  }

  /** The key of a used slot, as stored (a -0 key reads back as 0). */
  keyAt(slot: Slot): K {
    const key = this.keys?.[slot];
    if (key === undefined) return this.table.keyOf(slot) as K;
    return (key === UNDEFINED_KEY ? undefined : key) as K;
  }

  /** Inserts or overwrites `key` with the weak `target`; returns its slot. */
  set(key: K, target: WeakKey): Slot {
    const gen = this.nextGen();
    let slot: Slot;
    if (typeof key === "number") {
      const found = this.table.insertNumber(key, gen);
      slot = (found < 0 ? ~found : found) as Slot;
      if (found < 0) this.table.setGen(slot, gen);
    } else {
      const others = (this.#others ??= new Map());
      const existing = others.get(key);
      if (existing !== undefined) {
        slot = existing;
        this.table.setGen(slot, gen);
      } else {
        slot = this.table.insertOther(gen);
        others.set(key, slot);
        (this.keys ??= [])[slot] = key === undefined ? UNDEFINED_KEY : key;
      }
    }
    this.attach(slot, target, gen);
    return slot;
  }

  protected override truncate(length: number): void {
    super.truncate(length);
    if (this.keys !== undefined && this.keys.length > length) this.keys.length = length;
  }

  protected forgetKey(slot: Slot): K | undefined {
    const stored = this.keys?.[slot];
    if (stored === undefined) return this.table.keyOf(slot) as K;
    this.keys![slot] = undefined;
    const key = stored === UNDEFINED_KEY ? undefined : stored;
    this.#others!.delete(key);
    return key as K;
  }

  protected clearKeys(): void {
    this.keys = undefined;
    this.#others = undefined;
  }

  protected keyBytes(): number {
    return (this.keys?.length ?? 0) * ARRAY_ELEMENT_BYTES + (this.#others?.size ?? 0) * HASH_ENTRY_BYTES;
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

