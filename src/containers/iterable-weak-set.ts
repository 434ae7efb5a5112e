// IterableWeakSet: Python's WeakSet with the Set interface and ES2025 set algebra. Elements are
// the entries' weak part, so the store is a WeakKeyStore: a native WeakMap finds an element's
// slot, and the table keeps insertion order.
//
// The set methods follow ES2025 step by step where it is observable: the other set is read as a
// Set record (GetSetRecord: `size` through ToNumber, then `has`, then `keys`, each read once), the
// side walked is chosen by size as the spec chooses it, `keys()` is iterated with its `next` read
// once and closed (`return()`) when the method stops early, and results are built with internal
// operations, never with an overridable `add` or `has`. Two documented extensions: an object
// without a `size` that is iterable (an array, a generator) is read as a Set of its elements, and
// an element that would go into a result but cannot be weakly referenced is a TypeError (the
// result is dropped; this set is unchanged).

import { WeakKeyStore, type TableStats } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import { assertFunction, assertWeakable, badSetLike, wrongReceiver } from "../core/errors.js";
import type { InspectFunction, InspectOptions } from "../refs/group.js";
import { INSPECT_CUSTOM, inspectAs, inspectHollow, readElements } from "./map-base.js";

/** A Set-like object, as the ES2025 set methods take: a size, `has` and `keys` (TypeScript's `ReadonlySetLike`). */
export interface SetLike<T> {
  readonly size: number;
  has(value: T): boolean;
  keys(): Iterator<T>;
}

/** What the set algebra accepts: a Set, anything Set-like, or any iterable object. */
export type SetSource<T> = SetLike<T> | Iterable<T>;

/** Whether `value` is a real IterableWeakSet (set by the class's static block). */
let isIterableWeakSet: (value: unknown) => boolean;

/**
 * A `Set` whose elements are held weakly: an element that is collected leaves the set. Python's
 * `weakref.WeakSet`, iterable in insertion order, with the ES2025 set methods.
 *
 * GC timing: as for WeakValueMap, a collected element stops being visible at once and leaves
 * `size` when its notice is applied; after `await collect()` `size` is exact.
 *
 * @example
 *   class Student {
 *     static all = new IterableWeakSet<Student>();
 *     constructor(readonly name: string) { Student.all.add(this); }
 *   }
 */
export class IterableWeakSet<T extends WeakKey> implements WeakSet<T>, Set<T> {
  readonly #store = new WeakKeyStore<T>();

  // `= undefined` rather than `?`: so that `IterableWeakSet.length` is 0, as `Set.length` is.
  constructor(iterable: Iterable<T> | null | undefined = undefined) {
    if (iterable != null) this.#addAll(iterable, "new IterableWeakSet");
  }

  /** `set.#store`, or the TypeError of a method called on something that is not an IterableWeakSet. */
  static #storeOf<T extends WeakKey>(set: IterableWeakSet<T>, method: string): WeakKeyStore<T> {
    if (typeof set !== "object" || set === null || !(#store in set)) throw wrongReceiver(`IterableWeakSet.${method}`, "IterableWeakSet", set);
    return set.#store;
  }

  static {
    isIterableWeakSet = (value) => isObject(value) && #store in value;
  }

  /** A new set holding `values`, all weakly referenceable, added with internal operations. */
  static #of<U extends WeakKey>(values: Set<U>): IterableWeakSet<U> {
    const result = new IterableWeakSet<U>();
    const store = result.#store;
    store.reserve(values.size, false);
    for (const value of values) store.add(value);
    return result;
  }

  /** Elements not yet known to be collected. Exact after `await collect()`. */
  get size(): number {
    return IterableWeakSet.#storeOf(this, "size").size;
  }

  /** Adds `value` (held weakly) if absent. TypeError, nothing changed, if it cannot be weakly referenced. */
  add(value: T): this {
    const store = this.#store;
    assertWeakable(value, "IterableWeakSet.add", "value");
    store.add(value);
    return this;
  }

  has(value: T): boolean {
    return this.#store.lookup(value) >= 0;
  }

  delete(value: T): boolean {
    const store = this.#store;
    const slot = store.lookup(value);
    if (slot === -1) return false;
    store.removeKey(value, slot);
    return true;
  }

  clear(): void {
    IterableWeakSet.#storeOf(this, "clear").clear();
  }

  /** Removes and returns the most recently added live element (Python's `pop`), or undefined. */
  pop(): T | undefined {
    const store = IterableWeakSet.#storeOf(this, "pop");
    const slot = store.lastLive();
    if (slot === -1) return undefined;
    const value = store.walk(slot) as T;
    store.removeKey(value, slot);
    return value;
  }

  /** A new IterableWeakSet with the live elements, in order. */
  copy(): IterableWeakSet<T> {
    IterableWeakSet.#storeOf(this, "copy");
    return IterableWeakSet.#of(new Set(this.#live()));
  }

  values(): SetIterator<T> {
    IterableWeakSet.#storeOf(this, "values");
    return this.#live();
  }

  /** The same function as `values` (as `Set.prototype.keys === Set.prototype.values`). */
  declare keys: () => SetIterator<T>;

  entries(): SetIterator<[T, T]> {
    const store = IterableWeakSet.#storeOf(this, "entries");
    return store.iterate<[T, T]>((slot) => {
      const value = store.walk(slot);
      return value === undefined ? SKIP : [value as T, value as T];
    }, "IterableWeakSet Iterator") as unknown as SetIterator<[T, T]>;
  }

  /** The same function as `values` (as `Set.prototype[Symbol.iterator] === Set.prototype.values`). */
  declare [Symbol.iterator]: () => SetIterator<T>;

  forEach(callback: (value: T, value2: T, set: Set<T>) => void, thisArg: unknown = undefined): void {
    IterableWeakSet.#storeOf(this, "forEach");
    assertFunction(callback, "IterableWeakSet.forEach", "callback");
    for (const value of this.#live()) callback.call(thisArg, value, value, this); // calls user code
  }

  /**
   * Elements of this set, then those of `other` (ES2025 `Set.prototype.union`). TypeError, nothing
   * made, if `other` has an element that cannot be weakly referenced.
   */
  union<U>(other: SetSource<U>): IterableWeakSet<T | (U & WeakKey)> {
    const where = "IterableWeakSet.union";
    IterableWeakSet.#storeOf(this, "union");
    const record = setRecord(other, where);
    const keys = openKeys(record, where);
    const data = new Set<T | (U & WeakKey)>(this.#live());
    eachKey(keys, where, (value) => {
      assertWeakable(value, where, "element of the other set");
      data.add(value as U & WeakKey);
      return true;
    });
    return IterableWeakSet.#of(data);
  }

  /**
   * Elements in both (ES2025 `Set.prototype.intersection`): in this set's order when it is not the
   * larger (calling `other.has`), else in the order of `other.keys()`.
   */
  intersection<U>(other: SetSource<U>): IterableWeakSet<T & U> {
    const where = "IterableWeakSet.intersection";
    const store = IterableWeakSet.#storeOf(this, "intersection");
    const record = setRecord(other, where);
    const data = new Set<T & U>();
    if (store.size <= record.size) {
      for (const value of this.#live()) if (record.has.call(record.set, value)) data.add(value as T & U); // calls user code
    } else {
      eachKey(openKeys(record, where), where, (value) => {
        if (store.lookup(value) >= 0) data.add(value as T & U);
        return true;
      });
    }
    return IterableWeakSet.#of(data);
  }

  /**
   * Elements of this set that are not in `other` (ES2025 `Set.prototype.difference`): calls
   * `other.has` for each when this set is not the larger, else walks `other.keys()`.
   */
  difference<U>(other: SetSource<U>): IterableWeakSet<T> {
    const where = "IterableWeakSet.difference";
    IterableWeakSet.#storeOf(this, "difference");
    const record = setRecord(other, where);
    const data = new Set<T>(this.#live());
    if (data.size <= record.size) {
      for (const value of [...data]) if (record.has.call(record.set, value)) data.delete(value); // calls user code
    } else {
      eachKey(openKeys(record, where), where, (value) => {
        data.delete(value as unknown as T);
        return true;
      });
    }
    return IterableWeakSet.#of(data);
  }

  /**
   * Elements in exactly one of the two (ES2025 `Set.prototype.symmetricDifference`): this set's
   * elements not in `other`, then those of `other` not in this set; never calls `other.has`.
   * TypeError, nothing made, if an element of `other` that would be added cannot be weakly referenced.
   */
  symmetricDifference<U>(other: SetSource<U>): IterableWeakSet<T | (U & WeakKey)> {
    const where = "IterableWeakSet.symmetricDifference";
    const store = IterableWeakSet.#storeOf(this, "symmetricDifference");
    const record = setRecord(other, where);
    const keys = openKeys(record, where); // before the copy: keys() may change this set
    const data = new Set<T | (U & WeakKey)>(this.#live());
    eachKey(keys, where, (value) => {
      const inResult = data.has(value as U & WeakKey);
      if (store.lookup(value) >= 0) {
        if (inResult) data.delete(value as U & WeakKey);
      } else if (!inResult) {
        assertWeakable(value, where, "element of the other set");
        data.add(value as U & WeakKey);
      }
      return true;
    });
    return IterableWeakSet.#of(data);
  }

  /** Whether every element of this set is in `other` (ES2025 `Set.prototype.isSubsetOf`). */
  isSubsetOf(other: SetSource<unknown>): boolean {
    const where = "IterableWeakSet.isSubsetOf";
    const store = IterableWeakSet.#storeOf(this, "isSubsetOf");
    const record = setRecord(other, where);
    // size may still count collected elements whose notice is not applied yet: only the live
    // count may answer false without asking `other`.
    if (store.size > record.size && this.#liveCount() > record.size) return false;
    for (const value of this.#live()) if (!record.has.call(record.set, value)) return false; // calls user code
    return true;
  }

  /** Whether every element of `other` is in this set (ES2025 `Set.prototype.isSupersetOf`). */
  isSupersetOf(other: SetSource<unknown>): boolean {
    const where = "IterableWeakSet.isSupersetOf";
    const store = IterableWeakSet.#storeOf(this, "isSupersetOf");
    const record = setRecord(other, where);
    // Only a size that cannot overcount may answer false without a walk: another IterableWeakSet's
    // size may still count elements already collected.
    if (store.size < record.size && !isIterableWeakSet(other)) return false;
    return eachKey(openKeys(record, where), where, (value) => store.lookup(value) >= 0);
  }

  /** Whether no element is in both (ES2025 `Set.prototype.isDisjointFrom`). */
  isDisjointFrom(other: SetSource<unknown>): boolean {
    const where = "IterableWeakSet.isDisjointFrom";
    const store = IterableWeakSet.#storeOf(this, "isDisjointFrom");
    const record = setRecord(other, where);
    if (store.size <= record.size) {
      for (const value of this.#live()) if (record.has.call(record.set, value)) return false; // calls user code
      return true;
    }
    return eachKey(openKeys(record, where), where, (value) => store.lookup(value) < 0);
  }

  /** Applies every collection notice received so far; returns how many elements it removed. */
  flush(): number {
    return IterableWeakSet.#storeOf(this, "flush").flush();
  }

  stats(): TableStats {
    return IterableWeakSet.#storeOf(this, "stats").stats();
  }

  get [Symbol.toStringTag](): string {
    return "IterableWeakSet";
  }

  /** `util.inspect`: `IterableWeakSet(2) { {...}, {...} }`, the live elements. */
  [INSPECT_CUSTOM](_depth: number, options?: InspectOptions, inspect?: InspectFunction): string {
    if (!(#store in this)) return inspectHollow("IterableWeakSet");
    return inspectAs("IterableWeakSet", new Set(this.#live()), options, inspect);
  }

  /** The live elements in order, with this class's own iterator (never an overridden `values`). */
  #live(): SetIterator<T> {
    const store = this.#store;
    return store.iterate<T>((slot) => {
      const value = store.walk(slot);
      return value === undefined ? SKIP : (value as T);
    }, "IterableWeakSet Iterator") as unknown as SetIterator<T>;
  }

  #liveCount(): number {
    let count = 0;
    for (const _ of this.#live()) count++;
    return count;
  }

  /**
   * Reads and checks each element as it comes (closing the source at the first bad one), reserves
   * room for all, then adds each through `this.add` (so a subclass's `add` runs, as with `new
   * Set`): a rejected batch changes nothing.
   */
  #addAll(iterable: unknown, where: string): void {
    const adder = this.add; // read once, before the source is touched (as Set's constructor does)
    if (typeof adder !== "function") assertFunction(adder, where, "add method of the set");
    const list = readElements<T>(iterable, where, (value) => assertWeakable(value, where, "element"));
    const store = this.#store;
    store.reserve(list.length, false); // a RangeError must also change nothing
    if (adder === IterableWeakSet.prototype.add) {
      for (const value of list) store.add(value);
    } else {
      for (const value of list) adder.call(this, value); // calls user code
    }
  }
}

for (const key of ["keys", Symbol.iterator] as const) {
  Object.defineProperty(IterableWeakSet.prototype, key, {
    value: IterableWeakSet.prototype.values,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/** The other set as ES2025's Set record: the object, its size, and its `has` and `keys`, each read once. */
interface SetRecord {
  readonly set: object;
  readonly size: number;
  readonly has: (this: unknown, value: unknown) => unknown;
  readonly keys: (this: unknown) => unknown;
}

function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/**
 * GetSetRecord: `size` (through ToNumber: NaN is a TypeError, a negative size a RangeError), then
 * `has`, then `keys`, each read once. Extension: an object with no `size` that is iterable is read
 * as a Set of its elements.
 */
function setRecord(other: unknown, where: string): SetRecord {
  if (!isObject(other)) throw badSetLike(where, "not-object", other);
  const rawSize = (other as { size?: unknown }).size; // calls user code (a getter)
  if (rawSize === undefined && typeof (other as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function") {
    const set = new Set(other as Iterable<unknown>); // calls user code
    return { set, size: set.size, has: Set.prototype.has, keys: Set.prototype.keys };
  }
  if (rawSize === undefined) throw badSetLike(where, "no-size");
  const numSize = +(rawSize as number); // ToNumber: valueOf/toString; a BigInt or a Symbol throws TypeError
  if (Number.isNaN(numSize)) throw badSetLike(where, "size-nan", rawSize);
  const size = Math.trunc(numSize) + 0; // ToIntegerOrInfinity (+0 turns -0 into 0)
  if (size < 0) throw badSetLike(where, "size-negative", size);
  const has = (other as { has?: unknown }).has; // calls user code
  if (typeof has !== "function") throw badSetLike(where, "has", has);
  const keys = (other as { keys?: unknown }).keys; // calls user code
  if (typeof keys !== "function") throw badSetLike(where, "keys", keys);
  return { set: other, size, has: has as SetRecord["has"], keys: keys as SetRecord["keys"] };
}

/** An iterator from `keys()` and its `next`, read once (GetIteratorFromMethod). */
interface KeysIterator {
  readonly iterator: object;
  readonly next: unknown;
}

function openKeys(record: SetRecord, where: string): KeysIterator {
  const iterator = record.keys.call(record.set); // calls user code
  if (!isObject(iterator)) throw badSetLike(where, "keys-iterator", iterator);
  return { iterator, next: (iterator as { next?: unknown }).next };
}

/**
 * Calls `visit` on each value of the keys iterator until it returns false. Returns true when the
 * iterator ran out, false when `visit` stopped it, after closing it (`return()`); when `visit`
 * throws, closes the iterator and rethrows. An error from the iterator itself is not followed by a
 * close, as in the spec.
 */
function eachKey(keys: KeysIterator, where: string, visit: (value: unknown) => boolean): boolean {
  const { iterator, next } = keys;
  for (;;) {
    const result: unknown = Reflect.apply(next as (...args: unknown[]) => unknown, iterator, []); // calls user code
    if (!isObject(result)) throw badSetLike(where, "iterator-result", result);
    if ((result as { done?: unknown }).done) return true;
    const value = (result as { value?: unknown }).value;
    let go: boolean;
    try {
      go = visit(value);
    } catch (error) {
      try {
        closeIterator(iterator, where);
      } catch {
        // The first error is the one to report (IteratorClose with a throw completion).
      }
      throw error;
    }
    if (!go) {
      closeIterator(iterator, where);
      return false;
    }
  }
}

/** IteratorClose: calls the iterator's `return` method, if it has one, which must return an object. */
function closeIterator(iterator: object, where: string): void {
  const close = (iterator as { return?: unknown }).return; // calls user code
  if (close === undefined || close === null) return;
  const result: unknown = Reflect.apply(close as (...args: unknown[]) => unknown, iterator, []); // calls user code
  if (!isObject(result)) throw badSetLike(where, "return-result", result);
}
