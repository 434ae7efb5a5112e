// WeakValueMap: Python's WeakValueDictionary with the whole Map interface. Keys strong, values
// weak: a thin composition over StrongKeyStore (slots, WeakRefs, notices) and its table.

import { StrongKeyStore } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import type { TableStats } from "../core/slot-store.js";
import { assertCallback, assertFunction, assertWeakable, wrongReceiver } from "../core/errors.js";
import { Ref, ref } from "../refs/ref.js";
import type { InspectFunction, InspectOptions } from "../refs/group.js";
import { INSPECT_CUSTOM, inspectAs, inspectHollow, readEntries } from "./map-base.js";
import { makeRetainTier, type RetainTier } from "./retain-tier.js";

export interface WeakValueMapOptions<K> {
  /**
   * Called once for each entry dropped because its value was collected, with the entry's key,
   * after the map is consistent again (never for `delete`, overwrite, `clear`, `pop` or `popItem`).
   * It may use the map. If it throws, the error is reported with `console.error` and the other
   * callbacks still run.
   */
  onCollect?: (key: K) => void;
  /**
   * Also hold the `retain` most recently used values strongly (a non-negative safe integer; 0 or
   * absent: none), so that they survive collection with nothing else referring to them. Uses are
   * `set` (with `update` and the constructor's entries), `get`, `getOrInsert`,
   * `getOrInsertComputed` and `setDefault`; `has`, iteration, `forEach`, `valueRefs` and `copy` are
   * not. A value that leaves the tier is held weakly again, and its entry goes, with onCollect, once
   * it is collected. `delete`, overwrite, `pop`, `popItem` and `clear` release what the tier held
   * for those entries; `stats()` then has `retained`, the values held now. A bad value is a
   * TypeError or RangeError naming `retain`.
   */
  retain?: number;
}

/**
 * A `Map` whose values are held weakly: when a value is collected, its entry disappears. Python's
 * `weakref.WeakValueDictionary`.
 *
 * Keys compare like `Map` keys (SameValueZero); number keys take the WebAssembly fast path, every
 * other key type a JavaScript index, with identical behaviour. Iteration is in insertion order,
 * yields live entries only, and never skips or repeats a live entry, whatever is collected or
 * changed meanwhile. A value read through the map stays alive at least until the current job ends
 * (standard `WeakRef` semantics), and no longer because of the map.
 *
 * GC timing: an entry whose value was collected stops being visible to `get`/`has`/iteration at
 * once, and leaves `size` when its collection notice is applied (a microtask after the engine
 * delivers it, or `flush()`). After `await collect()` from `weaktable/testing`, `size` is exact.
 *
 * @example
 *   const images = new WeakValueMap<string, Image>();
 *   images.set("hello_kitty.png", largeImage);
 *   images.get("hello_kitty.png"); // largeImage, while something else keeps it alive
 */
export class WeakValueMap<K, V extends WeakKey> implements Map<K, V> {
  readonly #store: StrongKeyStore<K>;
  readonly #onCollect: ((key: K) => void) | undefined;
  /** The `retain` option's strong tier (retain-tier.ts); undefined without one. */
  #tier: RetainTier | undefined;

  // `= undefined` rather than `?`: so that `WeakValueMap.length` is 0, as `Map.length` is.
  constructor(entries: Iterable<readonly [K, V]> | null | undefined = undefined, options: WeakValueMapOptions<K> | undefined = undefined) {
    const onCollect = options?.onCollect;
    assertCallback(onCollect, "new WeakValueMap", "onCollect option");
    const tier = makeRetainTier(options?.retain, "new WeakValueMap");
    const store = new StrongKeyStore<K>(
      onCollect === undefined && tier === undefined
        ? undefined
        : {
            reaped:
              onCollect === undefined
                ? undefined
                : (_slot: Slot, key: K | undefined, callbacks: Array<() => void>) => {
                    callbacks.push(() => onCollect(key as K));
                  },
            moved: tier === undefined ? undefined : (from: Slot, to: Slot) => tier.moved(from, to),
            truncated: tier === undefined ? undefined : (slots: number) => tier.truncate(slots),
          },
    );
    this.#store = store;
    this.#onCollect = onCollect;
    this.#tier = tier;
    if (entries != null) this.#setAll(entries, "new WeakValueMap");
  }

  /** `map.#store`, or the TypeError of a method called on something that is not a WeakValueMap. */
  static #storeOf<K>(map: WeakValueMap<K, any>, method: string): StrongKeyStore<K> {
    if (typeof map !== "object" || map === null || !(#store in map)) throw wrongReceiver(`WeakValueMap.${method}`, "WeakValueMap", map);
    return map.#store;
  }

  /** Entries not yet known to be collected. Exact after `await collect()` from weaktable/testing. */
  get size(): number {
    return WeakValueMap.#storeOf(this, "size").size;
  }

  /** The value for `key`, or undefined when absent or collected. */
  get(key: K): V | undefined {
    const store = this.#store;
    if (this.#tier === undefined) return store.valueFor(key) as V | undefined;
    const slot = store.lookup(key);
    return slot === -1 ? undefined : this.#tier.use(slot, store.deref(slot) as V | undefined);
  }

  /** Whether the map has a live value for `key` (not a use of the `retain` option). */
  has(key: K): boolean {
    return this.#store.valueFor(key) !== undefined;
  }

  /**
   * Maps `key` to `value` (held weakly); an existing key keeps its place in the order. Throws a
   * TypeError, changing nothing, when `value` cannot be weakly referenced.
   */
  set(key: K, value: V): this {
    const store = this.#store;
    assertWeakable(value, "WeakValueMap.set", "value");
    const slot = store.set(key, value);
    this.#tier?.use(slot, value);
    return this;
  }

  /** Removes `key`; true only when it removed a live entry. */
  delete(key: K): boolean {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot === -1 || store.deref(slot) === undefined) return false;
    this.#tier?.release(slot); // before the removal, which may shrink the table and the tier's slot index with it
    store.remove(slot);
    return true;
  }

  clear(): void {
    WeakValueMap.#storeOf(this, "clear").clear();
    this.#tier?.clear();
  }

  /** Python's `setdefault`; the same as `getOrInsert`. */
  setDefault(key: K, value: V): V {
    const store = WeakValueMap.#storeOf(this, "setDefault"); // before this.#getOrInsert, whose own brand check has no clear message
    return this.#getOrInsert(store, key, value, "WeakValueMap.setDefault");
  }

  /** The live value for `key`, or sets `value` and returns it (TypeError, nothing set, if it cannot be stored). */
  getOrInsert(key: K, value: V): V {
    const store = WeakValueMap.#storeOf(this, "getOrInsert"); // before this.#getOrInsert, whose own brand check has no clear message
    return this.#getOrInsert(store, key, value, "WeakValueMap.getOrInsert");
  }

  #getOrInsert(store: StrongKeyStore<K>, key: K, value: V, where: string): V {
    const slot = store.lookup(key);
    if (slot !== -1) {
      const current = store.deref(slot);
      if (current !== undefined) return this.#tier === undefined ? (current as V) : this.#tier.use(slot, current as V);
    }
    assertWeakable(value, where, "value");
    const inserted = store.set(key, value); // not inside `?.(...)`: that would skip the set without a tier
    this.#tier?.use(inserted, value);
    return value;
  }

  /**
   * The live value for `key`, or computes one with `callback(key)`, stores it and returns it. A
   * computed value that cannot be weakly referenced throws a TypeError and inserts nothing. A `-0`
   * key is passed to `callback` as `0`, as it is stored.
   */
  getOrInsertComputed(key: K, callback: (key: K) => V): V {
    const store = WeakValueMap.#storeOf(this, "getOrInsertComputed");
    assertFunction(callback, "WeakValueMap.getOrInsertComputed", "callback");
    if (key === 0) key = 0 as K; // -0 -> +0 (CanonicalizeKeyedCollectionKey)
    const slot = store.lookup(key);
    if (slot !== -1) {
      const current = store.deref(slot);
      if (current !== undefined) return this.#tier === undefined ? (current as V) : this.#tier.use(slot, current as V);
    }
    const value = callback(key); // calls user code
    assertWeakable(value, "WeakValueMap.getOrInsertComputed", "computed value");
    const inserted = store.set(key, value); // overwrites in place if the callback set `key` meanwhile
    this.#tier?.use(inserted, value);
    return value;
  }

  /**
   * Sets every entry of `entries` (any iterable of [key, value], such as a Map or another weak
   * map), through `this.set`. If any entry cannot be stored, throws a TypeError and sets none.
   * With no argument, does nothing (Python's `update()`).
   */
  update(entries?: Iterable<readonly [K, V]>): this {
    WeakValueMap.#storeOf(this, "update");
    if (arguments.length === 0) return this;
    this.#setAll(entries, "WeakValueMap.update");
    return this;
  }

  /**
   * Reads and checks every entry first, reserves room for all, then adds each through `this.set`
   * (so a subclass's `set` runs, as with `new Map`): a rejected batch changes nothing.
   */
  #setAll(entries: unknown, where: string): void {
    const adder = this.set; // read once, before the source is touched (as Map's constructor does)
    if (typeof adder !== "function") assertFunction(adder, where, "set method of the map");
    const { keys, values } = readEntries<K, V>(entries, where, (_key, value) => assertWeakable(value, where, "value"));
    this.#store.reserve(keys.length, keys.some((key) => typeof key === "number")); // a RangeError also changes nothing
    if (adder === WeakValueMap.prototype.set) {
      const store = this.#store;
      const tier = this.#tier;
      for (let i = 0; i < keys.length; i++) {
        const slot = store.set(keys[i]!, values[i]!);
        if (tier !== undefined) tier.use(slot, values[i]!);
      }
    } else {
      for (let i = 0; i < keys.length; i++) adder.call(this, keys[i]!, values[i]!); // calls user code
    }
  }

  /** Removes `key` and returns its live value; undefined (and nothing removed) when there is none. */
  pop(key: K): V | undefined {
    const store = WeakValueMap.#storeOf(this, "pop");
    const slot = store.lookup(key);
    if (slot === -1) return undefined;
    const value = store.deref(slot) as V | undefined;
    if (value === undefined) return undefined; // the tier never holds a collected value
    this.#tier?.release(slot); // first, as in delete
    store.remove(slot);
    return value;
  }

  /** Removes and returns the last live entry in iteration order (Python's `popitem`), or undefined. */
  popItem(): [K, V] | undefined {
    const store = WeakValueMap.#storeOf(this, "popItem");
    const slot = store.lastLive();
    if (slot === -1) return undefined;
    const value = store.deref(slot) as V;
    const key = store.keyAt(slot);
    this.#tier?.release(slot); // first, as in delete
    store.remove(slot);
    return [key, value];
  }

  /** A new WeakValueMap with the live entries, in order, and the same `onCollect` and `retain` (holding the same values). */
  copy(): WeakValueMap<K, V> {
    WeakValueMap.#storeOf(this, "copy");
    const copy = new WeakValueMap<K, V>(this.entries(), { onCollect: this.#onCollect });
    if (this.#tier !== undefined) copy.#tier = this.#tier.copy((slot) => copy.#store.lookup(this.#store.keyAt(slot)));
    return copy;
  }

  /**
   * A `Ref` to each live value, in order (Python's `valuerefs`). Holding the refs does not keep the
   * values alive, unlike holding the values; check each `deref()` before use.
   */
  valueRefs(): Ref<V & object>[] {
    WeakValueMap.#storeOf(this, "valueRefs");
    const refs: Ref<V & object>[] = [];
    for (const value of WeakValueMap.prototype.values.call(this)) refs.push(ref(value as V & object));
    return refs;
  }

  /**
   * Applies every collection notice received so far; returns how many entries it removed (`size`
   * drops by exactly that). Notices are applied automatically a microtask after they arrive, so
   * this is rarely needed.
   */
  flush(): number {
    return WeakValueMap.#storeOf(this, "flush").flush();
  }

  /**
   * Size, capacity, pending notices and the bytes the table holds (see `TableStats`); with the
   * `retain` option also `retained`, the values it holds now, and its arrays in `bytes`.
   */
  stats(): TableStats & { retained?: number } {
    const stats = WeakValueMap.#storeOf(this, "stats").stats();
    const tier = this.#tier;
    return tier === undefined ? stats : { ...stats, bytes: stats.bytes + tier.bytes, retained: tier.size };
  }

  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg: unknown = undefined): void {
    WeakValueMap.#storeOf(this, "forEach");
    assertFunction(callback, "WeakValueMap.forEach", "callback");
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this); // calls user code
  }

  entries(): MapIterator<[K, V]> {
    const store = WeakValueMap.#storeOf(this, "entries");
    return store.iterate<[K, V]>((slot) => {
      const value = store.walk(slot);
      return value === undefined ? SKIP : [store.keyAt(slot), value as V];
    }, "WeakValueMap Iterator") as unknown as MapIterator<[K, V]>;
  }

  keys(): MapIterator<K> {
    const store = WeakValueMap.#storeOf(this, "keys");
    return store.iterate<K>(
      (slot) => (store.walk(slot) === undefined ? SKIP : store.keyAt(slot)),
      "WeakValueMap Iterator",
    ) as unknown as MapIterator<K>;
  }

  values(): MapIterator<V> {
    const store = WeakValueMap.#storeOf(this, "values");
    return store.iterate<V>((slot) => {
      const value = store.walk(slot);
      return value === undefined ? SKIP : (value as V);
    }, "WeakValueMap Iterator") as unknown as MapIterator<V>;
  }

  /** The same function as `entries` (as `Map.prototype[Symbol.iterator] === Map.prototype.entries`). */
  declare [Symbol.iterator]: () => MapIterator<[K, V]>;

  get [Symbol.toStringTag](): string {
    return "WeakValueMap";
  }

  /** `util.inspect`: `WeakValueMap(2) { 'a' => {...}, ... }`, the live entries. */
  [INSPECT_CUSTOM](_depth: number, options?: InspectOptions, inspect?: InspectFunction): string {
    if (!(#store in this)) return inspectHollow("WeakValueMap");
    return inspectAs("WeakValueMap", new Map(this.entries()), options, inspect);
  }
}

Object.defineProperty(WeakValueMap.prototype, Symbol.iterator, {
  value: WeakValueMap.prototype.entries,
  writable: true,
  configurable: true,
  enumerable: false,
});
