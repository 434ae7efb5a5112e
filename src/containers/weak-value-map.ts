// WeakValueMap: Python's WeakValueDictionary with the whole Map interface. Keys strong, values
// weak: a thin composition over StrongKeyStore (slots, WeakRefs, notices) and its table.

import { StrongKeyStore } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import { assertCallback, assertWeakable } from "../core/errors.js";
import { Ref, ref } from "../refs/ref.js";
import { WeakMapBase } from "./map-base.js";

export interface WeakValueMapOptions<K> {
  /**
   * Called once for each entry dropped because its value was collected, with the entry's key,
   * after the map is consistent again (never for `delete`, overwrite, `clear`, `pop` or `popItem`).
   * It may use the map. If it throws, the error is reported with `console.error` and the other
   * callbacks still run.
   */
  onCollect?: (key: K) => void;
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

  constructor(entries?: Iterable<readonly [K, V]> | null, options?: WeakValueMapOptions<K>) {
    const onCollect = options?.onCollect;
    assertCallback(onCollect, "new WeakValueMap", "onCollect option");
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
    if (entries != null) this.storeAll(entries, "new WeakValueMap");
  }

  /** The value for `key`, or undefined when absent or collected. */
  get(key: K): V | undefined {
    const store = this.#store;
    const slot = store.lookup(key);
    return slot < 0 ? undefined : (store.deref(slot as Slot) as V | undefined);
  }

  /**
   * Maps `key` to `value` (held weakly); an existing key keeps its place in the order. Throws a
   * TypeError, changing nothing, when `value` cannot be weakly referenced.
   */
  set(key: K, value: V): this {
    assertWeakable(value, "WeakValueMap.set", "value");
    this.#store.set(key, value);
    return this;
  }

  /** Removes `key`; true only when it removed a live entry. */
  delete(key: K): boolean {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot < 0 || store.deref(slot as Slot) === undefined) return false;
    store.remove(slot as Slot);
    return true;
  }

  clear(): void {
    this.#store.clear();
  }

  /** Removes `key` and returns its live value; undefined (and nothing removed) when there is none. */
  pop(key: K): V | undefined {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot < 0) return undefined;
    const value = store.deref(slot as Slot) as V | undefined;
    if (value !== undefined) store.remove(slot as Slot);
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
    return [key, value];
  }

  /** A new WeakValueMap with the live entries, in order, and the same `onCollect`. */
  copy(): WeakValueMap<K, V> {
    return new WeakValueMap<K, V>(this, { onCollect: this.#onCollect });
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
    this.#store.set(key, value);
  }
}
