// IterableWeakMap: Python's WeakKeyDictionary with the whole Map interface. Keys weak, values
// strong while their key lives. The keys are the entries' weak part (a WeakKeyStore keeps their
// order); the values live in a native WeakMap keyed by the key, so a value that refers back to
// its own key does not keep the key alive (ephemeron semantics, as WeakMap has). Never in a strong
// array: that would make every value a root of its key.
//
// With `onCollect`, the value must outlive its key to be handed over, so values are then held
// strongly, by slot, and a value that refers to its key keeps that key alive (Python's docs warn
// the same of finalize callbacks that refer to their object).

import { ShardedWeakMap } from "../core/sharded-weak-map.js";
import { WeakKeyStore } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import type { TableStats } from "../core/slot-store.js";
import { assertCallback, assertFunction, assertWeakable, wrongReceiver } from "../core/errors.js";
import { Ref, ref } from "../refs/ref.js";
import type { InspectFunction, InspectOptions } from "../refs/group.js";
import { INSPECT_CUSTOM, inspectAs, inspectHollow, readEntries } from "./map-base.js";

export interface IterableWeakMapOptions<V> {
  /**
   * Called once with the value of each entry dropped because its key was collected, after the map
   * is consistent again (never for `delete`, overwrite, `clear`, `pop` or `popItem`).
   *
   * Trade-off: to hand the value over after its key is gone, the map holds values strongly when
   * this option is given, so a value that refers to its own key keeps that key (and the entry)
   * alive forever. Without `onCollect` values are held as a WeakMap holds them, and such cycles
   * are collected.
   */
  onCollect?: (value: V) => void;
}

/**
 * A `WeakMap` you can iterate, count and clear: keys are held weakly, in insertion order, and an
 * entry disappears when its key is collected. Python's `weakref.WeakKeyDictionary`.
 *
 * @example
 *   const metadata = new IterableWeakMap<Student, { class: string }>();
 *   metadata.set(s1, { class: "A1" });
 *   for (const [student, info] of metadata) console.log(student.name, info.class);
 */
export class IterableWeakMap<K extends WeakKey, V> implements WeakMap<K, V>, Map<K, V> {
  readonly #store: WeakKeyStore<K>;
  readonly #onCollect: ((value: V) => void) | undefined;
  /** Values by key, without onCollect (ephemerons, sharded past V8's WeakMap cliff). */
  #weakValues: ShardedWeakMap<K, V> | undefined;
  /** Values by slot, with onCollect (held strongly so they can be handed over). */
  #strongValues: Array<V | undefined> | undefined;

  // `= undefined` rather than `?`: so that `IterableWeakMap.length` is 0, as `Map.length` is.
  constructor(entries: Iterable<readonly [K, V]> | null | undefined = undefined, options: IterableWeakMapOptions<V> | undefined = undefined) {
    const onCollect = options?.onCollect;
    assertCallback(onCollect, "new IterableWeakMap", "onCollect option");
    const strongValues: Array<V | undefined> | undefined = onCollect === undefined ? undefined : [];
    const store = new WeakKeyStore<K>(
      strongValues === undefined
        ? undefined
        : {
            reaped: (slot: Slot, _key: K | undefined, callbacks: Array<() => void>) => {
              const value = strongValues[slot] as V;
              strongValues[slot] = undefined;
              callbacks.push(() => onCollect!(value));
            },
            moved: (from: Slot, to: Slot) => {
              strongValues[to] = strongValues[from];
              strongValues[from] = undefined;
            },
            truncated: (slots: number) => {
              if (strongValues.length > slots) strongValues.length = slots;
            },
          },
    );
    this.#store = store;
    this.#onCollect = onCollect;
    this.#strongValues = strongValues;
    if (strongValues === undefined) this.#weakValues = this.#newValues();
    if (entries != null) this.#setAll(entries, "new IterableWeakMap");
  }

  /** `map.#store`, or the TypeError of a method called on something that is not an IterableWeakMap. */
  static #storeOf<K extends WeakKey>(map: IterableWeakMap<K, any>, method: string): WeakKeyStore<K> {
    if (typeof map !== "object" || map === null || !(#store in map)) throw wrongReceiver(`IterableWeakMap.${method}`, "IterableWeakMap", map);
    return map.#store;
  }

  /** Entries not yet known to be collected. Exact after `await collect()` from weaktable/testing. */
  get size(): number {
    return IterableWeakMap.#storeOf(this, "size").size;
  }

  get(key: K): V | undefined {
    const weakValues = this.#weakValues;
    if (weakValues !== undefined) return weakValues.get(key);
    const slot = this.#store.lookup(key);
    return slot === -1 ? undefined : this.#strongValues![slot];
  }

  /** True while `key` is in the map (a key you can pass is alive, so no collection can hide it). */
  has(key: K): boolean {
    return this.#store.lookup(key) >= 0;
  }

  /** Maps `key` (held weakly) to `value`. TypeError, nothing changed, if `key` cannot be weakly referenced. */
  set(key: K, value: V): this {
    const store = this.#store;
    assertWeakable(key, "IterableWeakMap.set", "key");
    this.#put(store, key, value);
    return this;
  }

  delete(key: K): boolean {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot === -1) return false;
    // The value first: the removal may shrink the table and cut the value array to it, which a
    // write past the cut would grow back.
    if (this.#weakValues !== undefined) this.#weakValues.delete(key);
    else this.#strongValues![slot] = undefined;
    store.removeKey(key, slot);
    return true;
  }

  clear(): void {
    IterableWeakMap.#storeOf(this, "clear").clear();
    if (this.#weakValues !== undefined) this.#weakValues.clear();
    else this.#strongValues!.length = 0;
  }

  /** Python's `setdefault`; the same as `getOrInsert`. */
  setDefault(key: K, value: V): V {
    const store = IterableWeakMap.#storeOf(this, "setDefault"); // before this.#getOrInsert, whose own brand check has no clear message
    return this.#getOrInsert(store, key, value, "IterableWeakMap.setDefault");
  }

  /** The value for `key`, or sets `value` and returns it (TypeError, nothing set, if `key` cannot be weakly referenced). */
  getOrInsert(key: K, value: V): V {
    const store = IterableWeakMap.#storeOf(this, "getOrInsert"); // before this.#getOrInsert, whose own brand check has no clear message
    return this.#getOrInsert(store, key, value, "IterableWeakMap.getOrInsert");
  }

  #getOrInsert(store: WeakKeyStore<K>, key: K, value: V, where: string): V {
    assertWeakable(key, where, "key");
    const slot = store.lookup(key);
    if (slot !== -1) return this.#valueAt(key, slot);
    this.#put(store, key, value);
    return value;
  }

  /**
   * The value for `key`, or computes one with `callback(key)`, stores it and returns it. The key is
   * checked before the callback runs (as `WeakMap.prototype.getOrInsertComputed` does).
   */
  getOrInsertComputed(key: K, callback: (key: K) => V): V {
    const store = IterableWeakMap.#storeOf(this, "getOrInsertComputed");
    assertFunction(callback, "IterableWeakMap.getOrInsertComputed", "callback");
    assertWeakable(key, "IterableWeakMap.getOrInsertComputed", "key");
    const slot = store.lookup(key);
    if (slot !== -1) return this.#valueAt(key, slot);
    const value = callback(key); // calls user code
    this.#put(store, key, value); // overwrites in place if the callback set `key` meanwhile
    return value;
  }

  /**
   * Sets every entry of `entries` (any iterable of [key, value], such as a Map or another weak
   * map), through `this.set`. If any entry cannot be stored, throws a TypeError and sets none.
   * With no argument, does nothing (Python's `update()`).
   */
  update(entries?: Iterable<readonly [K, V]>): this {
    IterableWeakMap.#storeOf(this, "update");
    if (arguments.length === 0) return this;
    this.#setAll(entries, "IterableWeakMap.update");
    return this;
  }

  /**
   * Reads and checks every entry first, reserves room for all, then adds each through `this.set`
   * (so a subclass's `set` runs, as with `new Map`): a rejected batch changes nothing.
   */
  #setAll(entries: unknown, where: string): void {
    const adder = this.set; // read once, before the source is touched (as Map's constructor does)
    if (typeof adder !== "function") assertFunction(adder, where, "set method of the map");
    const { keys, values } = readEntries<K, V>(entries, where, (key) => assertWeakable(key, where, "key"));
    const store = this.#store;
    store.reserve(keys.length, false); // a RangeError also changes nothing
    if (adder === IterableWeakMap.prototype.set) {
      for (let i = 0; i < keys.length; i++) this.#put(store, keys[i]!, values[i]!);
    } else {
      for (let i = 0; i < keys.length; i++) adder.call(this, keys[i]!, values[i]!); // calls user code
    }
  }

  /** Removes `key` and returns its value; undefined (nothing removed) when absent. */
  pop(key: K): V | undefined {
    const store = IterableWeakMap.#storeOf(this, "pop");
    const slot = store.lookup(key);
    if (slot === -1) return undefined;
    const value = this.#valueAt(key, slot);
    this.delete(key);
    return value;
  }

  /** Removes and returns the last live entry in iteration order (Python's `popitem`), or undefined. */
  popItem(): [K, V] | undefined {
    const store = IterableWeakMap.#storeOf(this, "popItem");
    const slot = store.lastLive();
    if (slot === -1) return undefined;
    const key = store.walk(slot) as K;
    const value = this.#valueAt(key, slot);
    this.delete(key);
    return [key, value];
  }

  /** A new IterableWeakMap with the live entries, in order, and the same `onCollect`. */
  copy(): IterableWeakMap<K, V> {
    IterableWeakMap.#storeOf(this, "copy");
    return new IterableWeakMap<K, V>(this.entries(), { onCollect: this.#onCollect });
  }

  /**
   * A `Ref` to each live key, in order (Python's `keyrefs`). Holding the refs does not keep the
   * keys alive; check each `deref()` before use.
   */
  keyRefs(): Ref<K & object>[] {
    IterableWeakMap.#storeOf(this, "keyRefs");
    const refs: Ref<K & object>[] = [];
    for (const key of IterableWeakMap.prototype.keys.call(this)) refs.push(ref(key as K & object));
    return refs;
  }

  /**
   * Applies every collection notice received so far; returns how many entries it removed (`size`
   * drops by exactly that). Notices are applied automatically a microtask after they arrive, so
   * this is rarely needed.
   */
  flush(): number {
    return IterableWeakMap.#storeOf(this, "flush").flush();
  }

  /** Size, capacity, pending notices and the bytes the table holds (see `TableStats`). */
  stats(): TableStats {
    return IterableWeakMap.#storeOf(this, "stats").stats();
  }

  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg: unknown = undefined): void {
    IterableWeakMap.#storeOf(this, "forEach");
    assertFunction(callback, "IterableWeakMap.forEach", "callback");
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this); // calls user code
  }

  entries(): MapIterator<[K, V]> {
    const store = IterableWeakMap.#storeOf(this, "entries");
    return store.iterate<[K, V]>((slot) => {
      const key = store.walk(slot) as K | undefined;
      return key === undefined ? SKIP : [key, this.#valueAt(key, slot)];
    }, "IterableWeakMap Iterator") as unknown as MapIterator<[K, V]>;
  }

  keys(): MapIterator<K> {
    const store = IterableWeakMap.#storeOf(this, "keys");
    return store.iterate<K>((slot) => {
      const key = store.walk(slot) as K | undefined;
      return key === undefined ? SKIP : key;
    }, "IterableWeakMap Iterator") as unknown as MapIterator<K>;
  }

  values(): MapIterator<V> {
    const store = IterableWeakMap.#storeOf(this, "values");
    return store.iterate<V>((slot) => {
      const key = store.walk(slot) as K | undefined;
      return key === undefined ? SKIP : this.#valueAt(key, slot);
    }, "IterableWeakMap Iterator") as unknown as MapIterator<V>;
  }

  /** The same function as `entries` (as `Map.prototype[Symbol.iterator] === Map.prototype.entries`). */
  declare [Symbol.iterator]: () => MapIterator<[K, V]>;

  get [Symbol.toStringTag](): string {
    return "IterableWeakMap";
  }

  /** `util.inspect`: `IterableWeakMap(2) { {...} => 1, ... }`, the live entries. */
  [INSPECT_CUSTOM](_depth: number, options?: InspectOptions, inspect?: InspectFunction): string {
    if (!(#store in this)) return inspectHollow("IterableWeakMap");
    return inspectAs("IterableWeakMap", new Map(this.entries()), options, inspect);
  }

  /** Stores an entry whose key was checked. */
  #put(store: WeakKeyStore<K>, key: K, value: V): void {
    const weakValues = this.#weakValues;
    const before = store.size;
    const slot = store.add(key);
    if (weakValues === undefined) this.#strongValues![slot] = value;
    else if (store.size > before) weakValues.add(key, value, before);
    else weakValues.replace(key, value);
  }

  /** The ephemeron values, rebuilt from the store's live keys when their shards drain. */
  #newValues(): ShardedWeakMap<K, V> {
    const values: ShardedWeakMap<K, V> = new ShardedWeakMap<K, V>(() => this.#liveValues(values));
    return values;
  }

  *#liveValues(values: ShardedWeakMap<K, V>): Generator<readonly [K, V]> {
    for (const [key] of this.#store.liveKeys()) yield [key, values.get(key) as V];
  }

  #valueAt(key: K, slot: Slot): V {
    return this.#weakValues !== undefined ? (this.#weakValues.get(key) as V) : (this.#strongValues![slot] as V);
  }
}

Object.defineProperty(IterableWeakMap.prototype, Symbol.iterator, {
  value: IterableWeakMap.prototype.entries,
  writable: true,
  configurable: true,
  enumerable: false,
});
