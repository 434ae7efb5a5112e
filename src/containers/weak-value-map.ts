// WeakValueMap: Python's WeakValueDictionary with the whole Map interface. Keys strong, values
// weak: a thin composition over StrongKeyStore (slots, WeakRefs, notices) and its table.

import { StrongKeyStore } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import { assertCallback, assertWeakable } from "../core/errors.js";
import { Ref, ref } from "../refs/ref.js";
import { WeakMapBase } from "./map-base.js";
import { makeRetainTier, type RetainTier } from "./retain-tier.js";
import type { TableStats } from "../core/slot-store.js";

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
export class WeakValueMap<K, V extends WeakKey> extends WeakMapBase<K, V> implements Map<K, V> {
  readonly #store: StrongKeyStore<K>;
  readonly #onCollect: ((key: K) => void) | undefined;
  /** The `retain` option's strong tier (retain-tier.ts); undefined without one. */
  #tier: RetainTier | undefined;

  constructor(entries?: Iterable<readonly [K, V]> | null, options?: WeakValueMapOptions<K>) {
    const onCollect = options?.onCollect;
    assertCallback(onCollect, "new WeakValueMap", "onCollect option");
    const tier = makeRetainTier(options?.retain, "new WeakValueMap");
    const store = new StrongKeyStore<K>(
      onCollect === undefined
        ? undefined
        : (_slot: Slot, key: K | undefined, callbacks: Array<() => void>) => {
            callbacks.push(() => onCollect(key as K));
          },
    );
    super(store);
    this.#store = store;
    this.#onCollect = onCollect;
    this.#tier = tier;
    if (entries != null) this.storeAll(entries, "new WeakValueMap");
  }

  /** The value for `key`, or undefined when absent or collected. */
  get(key: K): V | undefined {
    const store = this.#store;
    const slot = store.lookup(key);
    if (this.#tier !== undefined && slot >= 0) return this.#tier.use(slot as Slot, store.deref(slot as Slot) as V | undefined);
    return slot < 0 ? undefined : (store.deref(slot as Slot) as V | undefined);
  }

  /** Whether `key` has a live value. Not a use of the `retain` option. */
  override has(key: K): boolean {
    const slot = this.#store.lookup(key);
    return slot >= 0 && this.#store.deref(slot as Slot) !== undefined;
  }

  /**
   * Maps `key` to `value` (held weakly); an existing key keeps its place in the order. Throws a
   * TypeError, changing nothing, when `value` cannot be weakly referenced.
   */
  set(key: K, value: V): this {
    assertWeakable(value, "WeakValueMap.set", "value");
    const slot = this.#store.set(key, value);
    this.#tier?.use(slot, value);
    return this;
  }

  /** Removes `key`; true only when it removed a live entry. */
  delete(key: K): boolean {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot < 0 || store.deref(slot as Slot) === undefined) return false;
    store.remove(slot as Slot);
    this.#tier?.release(slot as Slot);
    return true;
  }

  clear(): void {
    this.#store.clear();
    this.#tier?.clear();
  }

  /** Removes `key` and returns its live value; undefined (and nothing removed) when there is none. */
  pop(key: K): V | undefined {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot < 0) return undefined;
    const value = store.deref(slot as Slot) as V | undefined;
    if (value !== undefined) store.remove(slot as Slot);
    this.#tier?.release(slot as Slot); // a no-op unless removed: the tier never holds a collected value
    return value;
  }

  /** Removes and returns the last live entry in iteration order (Python's `popitem`), or undefined. */
  popItem(): [K, V] | undefined {
    const store = this.#store;
    const slot = store.lastLive();
    if (slot < 0) return undefined;
    const value = store.deref(slot as Slot) as V;
    const key = store.keyAt(slot as Slot);
    store.remove(slot as Slot);
    this.#tier?.release(slot as Slot);
    return [key, value];
  }

  /** A new WeakValueMap with the live entries, in order, and the same `onCollect` and `retain` (holding the same values). */
  copy(): WeakValueMap<K, V> {
    const copy = new WeakValueMap<K, V>(this, { onCollect: this.#onCollect });
    if (this.#tier !== undefined) copy.#tier = this.#tier.copy((slot) => copy.#store.lookup(this.#store.keyAt(slot)));
    return copy;
  }

  /** `TableStats`; with the `retain` option also `retained`, the values it holds now, and its arrays in `bytes`. */
  override stats(): TableStats & { retained?: number } {
    const stats = super.stats();
    return this.#tier === undefined ? stats : { ...stats, bytes: stats.bytes + this.#tier.bytes, retained: this.#tier.size };
  }

  /**
   * A `Ref` to each live value, in order (Python's `valuerefs`). Holding the refs does not keep the
   * values alive, unlike holding the values; check each `deref()` before use.
   */
  valueRefs(): Ref<V & object>[] {
    const refs: Ref<V & object>[] = [];
    for (const value of this.values()) refs.push(ref(value as V & object));
    return refs;
  }



  entries(): MapIterator<[K, V]> {
    const store = this.#store;
    return store.iterate<[K, V]>((slot) => {
      const value = store.deref(slot);
      return value === undefined ? SKIP : [store.keyAt(slot), value as V];
    }, "WeakValueMap Iterator") as unknown as MapIterator<[K, V]>;
  }

  keys(): MapIterator<K> {
    const store = this.#store;
    return store.iterate<K>(
      (slot) => (store.deref(slot) === undefined ? SKIP : store.keyAt(slot)),
      "WeakValueMap Iterator",
    ) as unknown as MapIterator<K>;
  }

  values(): MapIterator<V> {
    const store = this.#store;
    return store.iterate<V>((slot) => {
      const value = store.deref(slot);
      return value === undefined ? SKIP : (value as V);
    }, "WeakValueMap Iterator") as unknown as MapIterator<V>;
  }

  get [Symbol.toStringTag](): string {
    return "WeakValueMap";
  }

  protected checkEntry(_key: K, value: V, where: string): void {
    assertWeakable(value, where, "value");
  }

  protected store(key: K, value: V): void {
    const slot = this.#store.set(key, value);
    this.#tier?.use(slot, value);
  }
}
