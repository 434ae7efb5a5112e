// IterableWeakMap: Python's WeakKeyDictionary with the whole Map interface. Keys weak, values
// strong while their key lives. The keys are the entries' weak part (a WeakKeyStore keeps their
// order); the values live in a native WeakMap keyed by the key, so a value that refers back to
// its own key does not keep the key alive (ephemeron semantics, as WeakMap has). Never in a strong
// array: that would make every value a root of its key.
//
// With `onCollect`, the value must outlive its key to be handed over, so values are then held
// strongly, by slot, and a value that refers to its key keeps that key alive (Python's docs warn
// the same of finalize callbacks that refer to their object).

import { WeakKeyStore } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import { assertCallback, assertWeakable } from "../core/errors.js";
import { Ref, ref } from "../refs/ref.js";
import { WeakMapBase } from "./map-base.js";

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
export class IterableWeakMap<K extends WeakKey, V> extends WeakMapBase<K, V> implements WeakMap<K, V>, Map<K, V> {
  readonly #store: WeakKeyStore<K>;
  readonly #onCollect: ((value: V) => void) | undefined;
  /** Values by key, without onCollect (ephemerons). */
  #weakValues: WeakMap<K, V> | undefined;
  /** Values by slot, with onCollect (held strongly so they can be handed over). */
  #strongValues: Array<V | undefined> | undefined;

  constructor(entries?: Iterable<readonly [K, V]> | null, options?: IterableWeakMapOptions<V>) {
    const onCollect = options?.onCollect;
    assertCallback(onCollect, "new IterableWeakMap", "onCollect option");
    const strongValues: Array<V | undefined> | undefined = onCollect === undefined ? undefined : [];
    const store = new WeakKeyStore<K>(
      strongValues === undefined
        ? undefined
        : (slot: Slot, _key: K | undefined, callbacks: Array<() => void>) => {
            const value = strongValues[slot] as V;
            strongValues[slot] = undefined;
            callbacks.push(() => onCollect!(value));
          },
    );
    super(store);
    this.#store = store;
    this.#onCollect = onCollect;
    this.#strongValues = strongValues;
    if (strongValues === undefined) this.#weakValues = new WeakMap();
    if (entries != null) this.storeAll(entries, "new IterableWeakMap");
  }

  get(key: K): V | undefined {
    if (this.#weakValues !== undefined) return this.#weakValues.get(key);
    const slot = this.#store.lookup(key);
    return slot < 0 ? undefined : this.#strongValues![slot];
  }

  /** True while `key` is in the map (a key you can pass is alive, so no collection can hide it). */
  override has(key: K): boolean {
    return this.#store.lookup(key) >= 0;
  }

  /** Maps `key` (held weakly) to `value`. TypeError, nothing changed, if `key` cannot be weakly referenced. */
  set(key: K, value: V): this {
    assertWeakable(key, "IterableWeakMap.set", "key");
    this.store(key, value);
    return this;
  }

  delete(key: K): boolean {
    const store = this.#store;
    const slot = store.lookup(key);
    if (slot < 0) return false;
    store.removeKey(key, slot as Slot);
    if (this.#weakValues !== undefined) this.#weakValues.delete(key);
    else this.#strongValues![slot] = undefined;
    return true;
  }

  clear(): void {
    this.#store.clear();
    if (this.#weakValues !== undefined) this.#weakValues = new WeakMap();
    else this.#strongValues!.length = 0;
  }

  /** Removes `key` and returns its value; undefined (nothing removed) when absent. */
  pop(key: K): V | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key) as V;
    this.delete(key);
    return value;
  }

  /** Removes and returns the last live entry in iteration order (Python's `popitem`), or undefined. */
  popItem(): [K, V] | undefined {
    const slot = this.#store.lastLive();
    if (slot < 0) return undefined;
    const key = this.#store.deref(slot as Slot) as K;
    const value = this.get(key) as V;
    this.delete(key);
    return [key, value];
  }

  /** A new IterableWeakMap with the live entries, in order, and the same `onCollect`. */
  copy(): IterableWeakMap<K, V> {
    return new IterableWeakMap<K, V>(this, { onCollect: this.#onCollect });
  }

  /**
   * A `Ref` to each live key, in order (Python's `keyrefs`). Holding the refs does not keep the
   * keys alive; check each `deref()` before use.
   */
  keyRefs(): Ref<K & object>[] {
    const refs: Ref<K & object>[] = [];
    for (const key of this.keys()) refs.push(ref(key as K & object));
    return refs;
  }



  entries(): MapIterator<[K, V]> {
    const store = this.#store;
    return store.iterate<[K, V]>((slot) => {
      const key = store.deref(slot) as K | undefined;
      return key === undefined ? SKIP : [key, this.#valueAt(key, slot)];
    }, "IterableWeakMap Iterator") as unknown as MapIterator<[K, V]>;
  }

  keys(): MapIterator<K> {
    const store = this.#store;
    return store.iterate<K>((slot) => {
      const key = store.deref(slot) as K | undefined;
      return key === undefined ? SKIP : key;
    }, "IterableWeakMap Iterator") as unknown as MapIterator<K>;
  }

  values(): MapIterator<V> {
    const store = this.#store;
    return store.iterate<V>((slot) => {
      const key = store.deref(slot) as K | undefined;
      return key === undefined ? SKIP : this.#valueAt(key, slot);
    }, "IterableWeakMap Iterator") as unknown as MapIterator<V>;
  }

  get [Symbol.toStringTag](): string {
    return "IterableWeakMap";
  }

  protected override checkKey(key: K, where: string): void {
    assertWeakable(key, where, "key");
  }

  protected checkEntry(key: K, _value: V, where: string): void {
    assertWeakable(key, where, "key");
  }

  protected store(key: K, value: V): void {
    const slot = this.#store.add(key);
    if (this.#weakValues !== undefined) this.#weakValues.set(key, value);
    else this.#strongValues![slot] = value;
  }

  #valueAt(key: K, slot: Slot): V {
    return this.#weakValues !== undefined ? (this.#weakValues.get(key) as V) : (this.#strongValues![slot] as V);
  }
}
