// SlotStore: the per-container half of every weak container. It pairs each slot of a table with
// the WeakRef that makes the entry weak, keeps whatever index the table does not (keys that are
// not numbers), and serves lookups through a per-job cache. Registrations and collection notices
// belong to the store's Collector (collector.ts, where the vocabulary is defined); the collector
// hands notices back through `reap`, the one way entries leave a store without a user asking.
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
// States of a slot: free -> used(live) -> used(dead) -> reaped(free); delete and clear go from
// used straight to free. An entry is only ever reaped when its WeakRef is dead and the slot still
// carries the notice's generation (see collector.ts).

import { atEndOfJob, Collector, counters, defer, GEN_MASK, SLOT_BITS, tuning, type Reaper } from "./collector.js";
import { SlotIterator, type SKIP } from "./cursor.js";
import { END, HOLE, type Gen, type Slot, type Table } from "./table.js";
import { WasmTable } from "./wasm-table.js";
import { MAX_CAPACITY } from "../../assembly/layout.js";
import { ShardedWeakMap } from "./sharded-weak-map.js";

if (MAX_CAPACITY > 1 << SLOT_BITS) throw new Error("weaktable: SLOT_BITS does not cover MAX_CAPACITY");

/** Called for each entry reaped after its weak part was collected; queues user callbacks only. */
export type ReapHook<K> = (slot: Slot, key: K | undefined, callbacks: Array<() => void>) => void;
/** What a container hears from its store; none of them may call user code. */
export interface StoreHooks<K> {
  /** An entry was reaped after its weak part was collected: queue its callbacks. */
  reaped?: ReapHook<K>;
  /** A shrink renamed the entry in slot `from` to the lower, free slot `to` (see `#relocate`). */
  moved?(from: Slot, to: Slot): void;
  /** The table shrank to `slots` slots: nothing at or above it is used. */
  truncated?(slots: number): void;
}

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

/**
 * The pairs of a store that holds nothing yet (or since `clear`), shared by all of them and never
 * written: `attach`, the only way a slot gets a WeakRef, gives the store its own array first, and
 * every other write names a used slot, which only a store with its own array has. An empty
 * container is 32 B smaller for it (one JSArray less).
 */
const NO_PAIRS: Array<WeakRef<WeakKey> | WeakKey | undefined> = [];

/** Bytes per element of a JS array of references (64-bit, no pointer compression, as Node ships). */
const ARRAY_ELEMENT_BYTES = 8;
/** Rough bytes per entry of a V8 Map or WeakMap (entries plus buckets), for `stats().bytes`. */
const HASH_ENTRY_BYTES = 28;
/** What a SlotRef holds beyond a plain WeakRef: its slot field. */
const SLOT_REF_EXTRA_BYTES = 8;

export function makeTable(): Table {
  return new WasmTable();
}

/**
 * The WeakRef of a slot whose key is not a number, knowing its slot: the key `Map` points at it,
 * so `get` of a string key is one `Map` lookup (slot and referent in one object) where a `Map` to
 * the slot number took a second random read, of the slot's WeakRef in the slot array. Measured
 * with `bench/keys-interleaved.mjs N string` (both maps in one process): see the README.
 */
export class SlotRef extends WeakRef<WeakKey> {
  /** The slot this reference is the WeakRef of (a rename moves it: `moveKey`). */
  slot: Slot;

  constructor(target: WeakKey, slot: Slot) {
    super(target);
    this.slot = slot;
  }
}

export abstract class SlotStore<K> implements Reaper {
  readonly table: Table = makeTable();
  /** By 2*slot: the WeakRef of a used slot (undefined for a free one); by 2*slot+1: the job cache. */
  #pairs: Array<WeakRef<WeakKey> | WeakKey | undefined> = NO_PAIRS;
  /** Slots whose cache entry the end of the current job must clear (made on first use). */
  #cached: number[] | undefined;
  /** Lookups served from the job cache in the current job. */
  #hits = 0;
  /**
   * Uncached lookups left before the job cache is tried again: 0 while lookups fill it (it is off
   * for a while after a job in which it did not pay).
   */
  #uncachedLeft = 0;
  #gen = 0;
  /** `lastLive`'s memory: order positions [from, to) held no live entry in layout `layout`. */
  #tail: { layout: number; from: number; to: number } | undefined;
  /** Registrations and notices; made on the first insert (an empty container needs none). */
  #collector: Collector | undefined;
  readonly #hooks: StoreHooks<K> | undefined;

  constructor(hooks?: StoreHooks<K>) {
    this.#hooks = hooks;
  }

  get size(): number {
    return this.table.live;
  }

  /** The slot of `key`, or -1. */
  abstract lookup(key: unknown): Slot | -1;
  /**
   * Drops the key side of a slot being removed; returns the key if the store holds it, or, with
   * `wanted`, reads it back from the table (number keys: a call into the table that a caller who
   * drops the key would pay for nothing).
   */
  protected abstract forgetKey(slot: Slot, wanted: boolean): K | undefined;
  protected abstract clearKeys(): void;
  protected abstract keyBytes(): number;
  /** Renames the key side of a slot (`#relocate`); the slot `to` is free on the key side. */
  protected abstract moveKey(from: Slot, to: Slot): void;
  /** Whether a shrink may rename slots: not where users hold slot names (IdRegistry's ids). */
  protected get renamable(): boolean {
    return true;
  }

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
    if (this.#uncachedLeft === 0) {
      if (target !== undefined) {
        pairs[i + 1] = target;
        if ((this.#cached ??= []).push(slot) === 1) forgetAtEndOfJob(this);
      }
    } else {
      this.#uncachedLeft--; // at 0, sample again: the access pattern may have changed
    }
    return target;
  }

  /**
   * `deref` through a slot's SlotRef (a key that is not a number): the same answer and the same job
   * cache as `deref(ref.slot)`, but while the cache is paused it reads only the SlotRef. Nothing is
   * cached in a job while the cache is paused (a pause starts at the end of a job, after the clear,
   * and the first cached referent ends it), so the slot array's cache column is empty then.
   */
  protected derefRef(ref: SlotRef): WeakKey | undefined {
    if (this.#uncachedLeft === 0) return this.deref(ref.slot);
    this.#uncachedLeft--;
    return ref.deref();
  }

  /**
   * `deref` for a walk over the entries (iteration): a referent this job already cached is served,
   * but none is added. A walk reads each entry once, so filling the cache would only cost (a write
   * and a list entry per element, then the end-of-job clear) and would count as a job the cache
   * did not pay for, pausing it for the lookups that follow. Measured (Node 20, a for..of over a
   * 10^5-element IterableWeakSet in a fresh job, the two builds alternated in one process): 106-110
   * ns an element filling the cache, 88-89 without.
   */
  walk(slot: Slot): WeakKey | undefined {
    const pairs = this.#pairs;
    const i = slot << 1;
    const cached = pairs[i + 1];
    return cached !== undefined ? (cached as WeakKey) : (pairs[i] as WeakRef<WeakKey>).deref();
  }

  /** The live referent of a slot, or undefined when it has none yet or it was collected; no cache. */
  protected derefIfAttached(slot: Slot): WeakKey | undefined {
    return this.#ref(slot)?.deref();
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
    if (cached.length >= tuning.cacheSample && this.#hits * 4 < cached.length) {
      this.#uncachedLeft = cached.length * 8;
      counters.cachePauses++;
    }
    this.#hits = 0;
    this.#cached = undefined;
  }

  protected nextGen(): Gen {
    return (this.#gen = (this.#gen + 1) & GEN_MASK) as Gen;
  }

  /**
   * Points `slot` (already stamped with `gen` in the table) at `target` through `ref` (a new
   * WeakRef of `target`), replacing any old reference.
   */
  protected attach(slot: Slot, target: WeakKey, gen: Gen, ref: WeakRef<WeakKey> = new WeakRef(target)): void {
    let pairs = this.#pairs;
    if (pairs === NO_PAIRS) this.#pairs = pairs = [];
    const i = slot << 1;
    const overwrote = pairs[i] !== undefined;
    // An overwrite can bring a dead entry's position back to life, which `lastLive` assumes never
    // happens within a layout: forget what it knew.
    if (overwrote) this.#tail = undefined;
    pairs[i] = ref;
    pairs[i + 1] = undefined; // an overwritten referent must not be served from the cache
    const collector = (this.#collector ??= new Collector(this));
    collector.register(target, slot, gen);
    // Only now, with the slot holding its new referent, may the registry be renewed: the renewal
    // then sees the entry live and registers it again in the registry that survives. (Counted
    // before the slot was rewritten, a renewal once reaped the slot for its dead old referent, and
    // the new registration went into the registry being dropped: a live entry lost.)
    if (overwrote) collector.staled();
  }

  /** Room for `extra` more entries without growing, so a batch insert cannot fail halfway. */
  reserve(extra: number, withIndex: boolean): void {
    this.table.reserve(extra, withIndex);
  }

  /** Removes a used slot (delete, pop, forget). */
  remove(slot: Slot): void {
    this.#pairs[slot << 1] = this.#pairs[(slot << 1) + 1] = undefined;
    this.forgetKey(slot, false);
    this.table.remove(slot);
    this.#compactIfSparse();
    this.#collector?.staled(); // last: the store is consistent, and a renewal may walk it
  }

  /** Every used slot, in insertion order (a walk of the order log, passing over tombstones). */
  protected *usedSlots(): Generator<Slot> {
    const table = this.table;
    for (let pos = 0, slot = table.slotAt(0); slot !== END; slot = table.slotAt(++pos)) {
      if (slot !== HOLE) yield slot as Slot;
    }
  }

  /** For the collector's renewal: every entry, with its referent if it is still live. */
  forEachEntry(visit: (slot: number, gen: number, target: WeakKey | undefined) => void): void {
    for (const slot of this.usedSlots()) visit(slot, this.table.genOf(slot), this.#ref(slot)!.deref());
  }

  /**
   * From the collector, with the slots and generations of notices (or of entries a renewal found
   * dead): removes each entry whose WeakRef is dead and whose slot still carries that generation,
   * forgets its key, queues its callbacks; returns how many it removed.
   */
  reap(slots: number[], gens: number[], callbacks: Array<() => void>, dead = false): number {
    const removed = this.#reapDead(slots, gens, callbacks, dead);
    this.#compactIfSparse();
    return removed;
  }

  /** `reap` without the compaction that follows it. */
  #reapDead(slots: number[], gens: number[], callbacks: Array<() => void>, dead: boolean): number {
    if (!dead) {
      let n = 0;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        // Only a dead referent is reaped (see collector.ts); the table then checks the generation.
        if (this.#ref(slot)?.deref() !== undefined) continue;
        slots[n] = slot;
        gens[n++] = gens[i]!;
      }
      slots.length = gens.length = n;
    }
    const removed = this.table.reap(slots, gens);
    const onReap = this.#hooks?.reaped;
    for (const slot of removed) {
      this.#pairs[slot << 1] = undefined; // a dead referent is never in the job cache
      const key = this.forgetKey(slot, onReap !== undefined);
      if (onReap !== undefined) onReap(slot, key, callbacks);
    }
    return removed.length;
  }

  /**
   * Compacts the table when tombstones dominate; renames high slots when they alone keep it from
   * shrinking; trims the slot arrays if it shrank.
   */
  #compactIfSparse(): void {
    const table = this.table;
    const layout = table.layout;
    table.compactIfSparse();
    if (table.layout !== layout && this.renamable && !relocating.has(this) && table.relocationLimit() !== 0) {
      // At the end of the job, not now: the container calling this may still use the slot names
      // it holds (a delete clears its own arrays at the slot it just removed, which a rename could
      // have given to another entry), and no method call is under way in a microtask.
      // Two microtasks deep, so that a drain of collection notices queued in this job runs first
      // and the relocation meets as few dead entries as it can.
      relocating.add(this);
      atEndOfJob(() => atEndOfJob(() => this.#relocate()));
    }
    this.#truncateToTable();
  }

  /**
   * Lets a table shrink that live entries in high slots would keep large (one entry left in slot
   * 2^20 would otherwise hold 2^20 slots' memory, 46 MB): renames each entry at or above the
   * shrink's target capacity to a free slot below it, with everything kept by slot (the WeakRef,
   * the key side, the container's own arrays through its `StoreHooks`), and registers its referent
   * again under the new name. The old registration becomes stale like an overwritten one: its
   * notice, if it comes, finds the old slot free or reused (and a reused slot's entry is reaped
   * only if its own referent is dead, see collector.ts).
   *
   * An entry found dead cannot be registered again, and its pending notice names its old slot, so
   * every dead entry is reaped first, as a renewal does, its onCollect deferred to the drain.
   *
   * Queued for the end of the job by a compaction after which the table is at most a quarter full
   * (the shrink rule) and high slots block the shrink. It moves at most the live entries, then
   * shrinks to at most four times them: the next relocation needs at least half of them removed
   * first, so it is amortized O(1) per removal. Every moved referent is dereferenced, so it stays
   * alive until the current job ends, as after iteration.
   */
  #relocate(): void {
    relocating.delete(this);
    const table = this.table;
    table.trim(); // whatever happened since it was queued: compacted, and shrunk if it can be
    if (table.relocationLimit() === 0) return this.#truncateToTable();
    counters.relocations++;
    const dead: number[] = [];
    const deadGens: number[] = [];
    // The same walk as a renewal's (tests watch it to learn which entries it found dead).
    this.forEachEntry((slot, gen, target) => {
      if (target !== undefined) return;
      dead.push(slot);
      deadGens.push(gen);
    });
    if (dead.length > 0) {
      const callbacks: Array<() => void> = [];
      const reaped = this.#reapDead(dead, deadGens, callbacks, false);
      counters.reapedInRelocation += reaped;
      // Their registrations are still in the registry: their notices will name slots free or reused by then.
      this.#collector!.orphaned(reaped);
      for (const callback of callbacks) defer(callback);
      table.trim(); // compacts away their tombstones, and shrinks if that was enough
    }
    const limit = table.relocationLimit();
    if (limit === 0) return this.#truncateToTable();
    const from: number[] = [];
    const targets: WeakKey[] = [];
    for (const slot of this.usedSlots()) {
      if (slot < limit) continue;
      from.push(slot);
      targets.push(this.#ref(slot)!.deref()!); // live: a referent read in this job stays alive in it
    }
    const to = table.relocate(from, limit);
    const pairs = this.#pairs;
    const collector = this.#collector!;
    let moved = 0;
    for (let i = 0; i < from.length; i++) {
      const a = from[i]! as Slot;
      const b = to[i]! as Slot;
      if (b < 0) continue; // not expected (a quarter-full table has room below the limit); harmless
      pairs[b << 1] = pairs[a << 1];
      pairs[(b << 1) + 1] = undefined; // the job cache's list names `a`: leave `b` out of the cache
      pairs[a << 1] = pairs[(a << 1) + 1] = undefined;
      this.moveKey(a, b);
      this.#hooks?.moved?.(a, b);
      collector.register(targets[i]!, b, table.genOf(b));
      moved++;
    }
    counters.relocatedEntries += moved;
    table.trim(); // no tombstones now: the shrink the high slots blocked
    this.#truncateToTable();
    // Last, with the store consistent: each old registration is stale now, and a renewal may walk.
    for (let i = 0; i < moved; i++) collector.staled();
  }

  /** Drops the slot arrays' tails when the table shrank below them. */
  #truncateToTable(): void {
    if (this.#pairs.length > 2 * this.table.capacity) this.truncate(this.table.capacity);
  }

  /** Drops the slot arrays' tails after the table shrank below them (those slots are all free). */
  protected truncate(length: number): void {
    if (this.#pairs.length > 2 * length) this.#pairs.length = 2 * length; // never lengthens NO_PAIRS
    this.#hooks?.truncated?.(length);
  }

  /** O(1) in registrations: the collector drops its registry with every registration in it. */
  clear(): void {
    this.#collector?.reset();
    this.#pairs = NO_PAIRS;
    this.clearKeys();
    this.table.clear();
  }

  get pending(): number {
    return this.#collector?.pending ?? 0;
  }

  /** Applies every notice received so far, runs the resulting callbacks, returns entries removed. */
  flush(): number {
    return this.#collector?.flush() ?? 0;
  }

  /**
   * The last slot in insertion order whose referent is live, or -1 (for `popItem`/`pop`).
   * Amortized O(1) over a drain: positions found to hold no live entry stay known as such (a
   * tombstone never comes back, and a dead referent only through an overwrite, which forgets this)
   * until the table's layout changes, so each position is scanned once per layout rather than once
   * per call.
   */
  lastLive(): Slot | -1 {
    const table = this.table;
    const used = table.used;
    const tail = this.#tail;
    let skipFrom = used;
    let skipTo = used;
    if (tail !== undefined && tail.layout === table.layout) {
      skipFrom = tail.from;
      skipTo = Math.min(tail.to, used);
    }
    let pos = used - 1;
    while (pos >= 0) {
      if (pos < skipTo && pos >= skipFrom) {
        pos = skipFrom - 1;
        continue;
      }
      const slot = table.slotAt(pos);
      if (slot !== HOLE && this.deref(slot as Slot) !== undefined) break;
      pos--;
    }
    // Every position after `pos`, up to `used`, is now known to hold no live entry.
    this.#tail = { layout: table.layout, from: pos + 1, to: used };
    return pos < 0 ? -1 : (table.slotAt(pos) as Slot);
  }

  iterate<T>(read: (slot: Slot) => T | typeof SKIP, tag: string): SlotIterator<T> {
    return new SlotIterator(this.table, read, tag);
  }

  stats(): TableStats {
    return {
      size: this.size,
      capacity: this.table.capacity,
      pending: this.pending,
      bytes: this.table.bytes + this.#pairs.length * ARRAY_ELEMENT_BYTES + this.keyBytes(),
      backend: this.table.backend,
    };
  }
}

/** Stores whose `#relocate` is queued (a module-level set: a field would cost every store 8 B). */
const relocating = new Set<object>();

/** Stores with referents cached in the current job; one microtask clears them all. */
let cachingStores: Array<{ forgetCached(): void }> = [];

function forgetAtEndOfJob(store: { forgetCached(): void }): void {
  if (cachingStores.push(store) === 1) atEndOfJob(forgetAllCached);
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
  /**
   * The keys that are not numbers, each to its slot's SlotRef (the slot and the referent); made on
   * the first such key (an empty Map is ~200 B).
   */
  #others: Map<unknown, SlotRef> | undefined;

  lookup(key: unknown): Slot | -1 {
    if (typeof key === "number") return this.table.find(key) as Slot | -1;
    const ref = this.#others?.get(key);
    return ref === undefined ? -1 : ref.slot;
  }

  /** The live referent of `key`'s entry, or undefined: `deref(lookup(key))` in one step, one Map lookup for a key that is not a number. */
  valueFor(key: unknown): WeakKey | undefined {
    if (typeof key === "number") {
      const slot = this.table.find(key);
      return slot === -1 ? undefined : this.deref(slot as Slot);
    }
    const ref = this.#others?.get(key);
    return ref === undefined ? undefined : this.derefRef(ref);
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
        slot = existing.slot;
        this.table.setGen(slot, gen);
      } else {
        slot = this.table.insertOther(gen); // may throw RangeError: nothing changed yet
        (this.keys ??= [])[slot] = key === undefined ? UNDEFINED_KEY : key;
      }
      const ref = new SlotRef(target, slot);
      others.set(key, ref);
      this.attach(slot, target, gen, ref);
      return slot;
    }
    this.attach(slot, target, gen);
    return slot;
  }

  protected override truncate(length: number): void {
    super.truncate(length);
    if (this.keys !== undefined && this.keys.length > length) this.keys.length = length;
  }

  protected forgetKey(slot: Slot, wanted: boolean): K | undefined {
    const stored = this.keys?.[slot];
    if (stored === undefined) return wanted ? (this.table.keyOf(slot) as K) : undefined;
    this.keys![slot] = undefined;
    const key = stored === UNDEFINED_KEY ? undefined : stored;
    this.#others!.delete(key);
    return key as K;
  }

  protected clearKeys(): void {
    this.keys = undefined;
    this.#others = undefined;
  }

  protected moveKey(from: Slot, to: Slot): void {
    const keys = this.keys;
    const stored = keys?.[from];
    if (stored === undefined) return; // a number key: the table moved it with the slot
    keys![to] = stored;
    keys![from] = undefined;
    // The slot array moved this SlotRef from `from` to `to` (`#relocate`); the Map still points at it.
    this.#others!.get(stored === UNDEFINED_KEY ? undefined : stored)!.slot = to;
  }

  protected keyBytes(): number {
    return (this.keys?.length ?? 0) * ARRAY_ELEMENT_BYTES + (this.#others?.size ?? 0) * (HASH_ENTRY_BYTES + SLOT_REF_EXTRA_BYTES);
  }
}

/** Keys held weakly (they are the entries' weak part), indexed by WeakMaps (see sharded-weak-map.ts). */
export class WeakKeyStore<K extends WeakKey> extends SlotStore<K> {
  readonly #index = new ShardedWeakMap<WeakKey, Slot>(() => this.liveKeys());

  lookup(key: unknown): Slot | -1 {
    const slot = this.#index.get(key as WeakKey);
    return slot === undefined ? -1 : slot;
  }

  /** Adds `key` if absent; returns its slot either way. */
  add(key: K): Slot {
    const existing = this.#index.get(key);
    if (existing !== undefined) return existing;
    const gen = this.nextGen();
    const live = this.table.live;
    const slot = this.table.insertOther(gen); // may throw RangeError: nothing changed yet
    // Indexed before `attach`, so that a rebuild of the index (which walks the slots that hold a
    // WeakRef) cannot meet this key and index it twice.
    this.#index.add(key, slot, live);
    this.attach(slot, key, gen);
    return slot;
  }

  /** Removes `key`'s entry; the caller has found its slot with `lookup`. */
  removeKey(key: K, slot: Slot): void {
    this.#index.delete(key);
    this.remove(slot);
  }

  /** Each live key with its slot, in order (for rebuilding an index: no job cache). */
  *liveKeys(): Generator<readonly [K, Slot]> {
    for (const slot of this.usedSlots()) {
      const key = this.derefIfAttached(slot) as K | undefined;
      if (key !== undefined) yield [key, slot];
    }
  }

  protected forgetKey(): undefined {
    return undefined;
  }

  protected clearKeys(): void {
    this.#index.clear();
  }

  protected moveKey(_from: Slot, to: Slot): void {
    // The key is the referent, live (`#relocate` holds it), and its WeakRef already moved to `to`.
    this.#index.replace(this.derefIfAttached(to) as K, to);
  }

  protected keyBytes(): number {
    return this.table.live * HASH_ENTRY_BYTES;
  }
}
