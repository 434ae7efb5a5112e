// IterableWeakSet: Python's WeakSet with the Set interface and ES2025 set algebra. Elements are
// the entries' weak part, so the store is a WeakKeyStore: a native WeakMap finds an element's
// slot, and the table keeps insertion order.

import { WeakKeyStore, type TableStats } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import { assertIterable, assertWeakable, typeName } from "../core/errors.js";
import { inspectAs } from "./map-base.js";

/** A Set-like object, as the ES2025 set methods take: a size, `has` and `keys`. */
export interface SetLike<T> {
  readonly size: number;
  has(value: T): boolean;
  keys(): Iterator<T>;
}

/** What the set algebra accepts: a Set, anything Set-like, or any iterable. */
export type SetSource<T> = SetLike<T> | Iterable<T>;

type SetLikeView<T> = SetLike<T>;

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

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

  constructor(iterable?: Iterable<T> | null) {
    if (iterable != null) this.#addAll(iterable, "new IterableWeakSet");
  }

  /** Elements not yet known to be collected. Exact after `await collect()`. */
  get size(): number {
    return this.#store.size;
  }

  /** Adds `value` (held weakly) if absent. TypeError, nothing changed, if it cannot be weakly referenced. */
  add(value: T): this {
    assertWeakable(value, "IterableWeakSet.add", "value");
    this.#store.add(value);
    return this;
  }

  has(value: T): boolean {
    return this.#store.lookup(value) >= 0;
  }

  delete(value: T): boolean {
    const store = this.#store;
    const slot = store.lookup(value);
    if (slot < 0) return false;
    store.removeKey(value, slot as Slot);
    return true;
  }

  clear(): void {
    this.#store.clear();
  }

  /** Removes and returns the most recently added live element (Python's `pop`), or undefined. */
  pop(): T | undefined {
    const store = this.#store;
    const slot = store.lastLive();
    if (slot < 0) return undefined;
    const value = store.deref(slot as Slot) as T;
    store.removeKey(value, slot as Slot);
    return value;
  }

  /** A new IterableWeakSet with the live elements, in order. */
  copy(): IterableWeakSet<T> {
    return new IterableWeakSet<T>(this);
  }

  values(): SetIterator<T> {
    const store = this.#store;
    return store.iterate<T>((slot) => {
      const value = store.deref(slot);
      return value === undefined ? SKIP : (value as T);
    }, "IterableWeakSet Iterator") as unknown as SetIterator<T>;
  }

  keys(): SetIterator<T> {
    return this.values();
  }

  entries(): SetIterator<[T, T]> {
    const store = this.#store;
    return store.iterate<[T, T]>((slot) => {
      const value = store.deref(slot);
      return value === undefined ? SKIP : [value as T, value as T];
    }, "IterableWeakSet Iterator") as unknown as SetIterator<[T, T]>;
  }

  [Symbol.iterator](): SetIterator<T> {
    return this.values();
  }

  forEach(callback: (value: T, value2: T, set: Set<T>) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") {
      throw new TypeError(`weaktable: IterableWeakSet.forEach: the callback must be a function (got ${typeName(callback)})`);
    }
    for (const value of this.values()) callback.call(thisArg, value, value, this); // calls user code
  }

  /** Elements of this set, then those of `other`. TypeError, nothing made, if `other` has one that cannot be weakly referenced. */
  union<U extends WeakKey>(other: SetSource<U>): IterableWeakSet<T | U> {
    const view = setView(other, "IterableWeakSet.union");
    const result = new IterableWeakSet<T | U>(this);
    result.#addAll(iterate(view), "IterableWeakSet.union");
    return result;
  }

  /** Elements in both, in this set's order when it is the smaller, else in `other`'s order (as Set does). */
  intersection<U>(other: SetSource<U>): IterableWeakSet<T & U> {
    const view = setView(other, "IterableWeakSet.intersection");
    const result = new IterableWeakSet<T & U>();
    if (this.size <= view.size) {
      for (const value of this) if (view.has(value as unknown as U)) result.add(value as T & U);
    } else {
      for (const value of iterate(view)) if (this.has(value as unknown as T)) result.add(value as unknown as T & U);
    }
    return result;
  }

  /** Elements of this set that are not in `other`. */
  difference<U>(other: SetSource<U>): IterableWeakSet<T> {
    const view = setView(other, "IterableWeakSet.difference");
    const result = new IterableWeakSet<T>();
    for (const value of this) if (!view.has(value as unknown as U)) result.add(value);
    return result;
  }

  /** Elements in exactly one of the two. TypeError, nothing made, if `other` has one that cannot be weakly referenced. */
  symmetricDifference<U extends WeakKey>(other: SetSource<U>): IterableWeakSet<T | U> {
    const view = setView(other, "IterableWeakSet.symmetricDifference");
    const added = [...iterate(view)];
    for (const value of added) assertWeakable(value, "IterableWeakSet.symmetricDifference", "element of the other set");
    const result = new IterableWeakSet<T | U>();
    for (const value of this) if (!view.has(value as unknown as U)) result.add(value);
    for (const value of added) if (!this.has(value as unknown as T)) result.add(value);
    return result;
  }

  isSubsetOf<U>(other: SetSource<U>): boolean {
    const view = setView(other, "IterableWeakSet.isSubsetOf");
    // No early `this.size > view.size` answer: size still counts collected elements whose notice
    // has not been applied yet, so only the live elements can decide.
    for (const value of this) if (!view.has(value as unknown as U)) return false;
    return true;
  }

  isSupersetOf<U>(other: SetSource<U>): boolean {
    const view = setView(other, "IterableWeakSet.isSupersetOf");
    for (const value of iterate(view)) if (!this.has(value as unknown as T)) return false;
    return true;
  }

  isDisjointFrom<U>(other: SetSource<U>): boolean {
    const view = setView(other, "IterableWeakSet.isDisjointFrom");
    for (const value of this) if (view.has(value as unknown as U)) return false;
    return true;
  }

  /** Applies every collection notice received so far; returns how many elements it removed. */
  flush(): number {
    return this.#store.flush();
  }

  stats(): TableStats {
    return this.#store.stats();
  }

  get [Symbol.toStringTag](): string {
    return "IterableWeakSet";
  }

  [INSPECT](_depth: number, options: unknown, inspect: (value: unknown, options: unknown) => string): string {
    return inspectAs("IterableWeakSet", new Set(this), options, inspect);
  }

  /** Validates every element first, so a rejected call changes nothing. */
  #addAll(iterable: Iterable<unknown>, where: string): void {
    assertIterable(iterable, where, "iterable");
    const list = [...iterable];
    for (const value of list) assertWeakable(value, where, "element");
    this.#store.reserve(list.length, false); // a RangeError must also change nothing
    for (const value of list) this.#store.add(value as T);
  }
}

/** A Set-like view of `other`: itself when it has size/has/keys, else a Set of its elements. */
function setView<U>(other: SetSource<U>, where: string): SetLikeView<U> {
  const candidate = other as Partial<SetLikeView<U>> | null;
  if (
    candidate !== null &&
    typeof candidate === "object" &&
    typeof candidate.size === "number" &&
    typeof candidate.has === "function" &&
    typeof candidate.keys === "function"
  ) {
    return candidate as SetLikeView<U>;
  }
  assertIterable(other, where, "other set");
  return new Set(other as Iterable<U>);
}

function* iterate<U>(view: SetLikeView<U>): Generator<U> {
  const iterator = view.keys();
  for (let step = iterator.next(); !step.done; step = iterator.next()) yield step.value;
}

