// What WeakValueMap and IterableWeakMap share: the Map and Python extras that are defined by
// get/set/delete/entries alone, written once. Each subclass says which half of an entry is weak
// (`checkEntry`) and implements the primitives on its own store.

import type { SlotStore, TableStats } from "../core/slot-store.js";
import { assertCallback, assertIterable, typeName } from "../core/errors.js";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

type Inspect = (value: unknown, options: unknown) => string;

/** `util.inspect` of a container: its live entries, shown as a Map or Set would be, under its own name. */
export function inspectAs(name: string, shown: Map<unknown, unknown> | Set<unknown>, options: unknown, inspect: Inspect): string {
  // "Map(2) {...}" / "Set(2) {...}" -> "Name(2) {...}": both prefixes are three letters.
  return name + inspect(shown, options).slice(3);
}

export abstract class WeakMapBase<K, V> {
  /** The subclass's store, for what every weak map does the same way. */
  readonly #core: SlotStore<K>;

  constructor(core: SlotStore<K>) {
    this.#core = core;
  }

  /** Entries not yet known to be collected. Exact after `await collect()` from weaktable/testing. */
  get size(): number {
    return this.#core.size;
  }

  /**
   * Applies every collection notice received so far; returns how many entries it removed (`size`
   * drops by exactly that). Notices are applied automatically a microtask after they arrive, so
   * this is rarely needed.
   */
  flush(): number {
    return this.#core.flush();
  }

  /** Size, capacity, pending notices and the bytes the table holds (see `TableStats`). */
  stats(): TableStats {
    return this.#core.stats();
  }

  /** Throws a TypeError, naming `where`, if `key` can never be stored; changes nothing. */
  protected checkKey(_key: K, _where: string): void {}
  /** Throws a TypeError, naming `where`, if the entry cannot be stored; changes nothing. */
  protected abstract checkEntry(key: K, value: V, where: string): void;
  /** Stores an entry already checked. */
  protected abstract store(key: K, value: V): void;

  abstract get(key: K): V | undefined;
  abstract set(key: K, value: V): this;
  abstract delete(key: K): boolean;
  abstract entries(): MapIterator<[K, V]>;
  abstract get [Symbol.toStringTag](): string;

  /** Whether the map has a live entry for `key`. */
  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** Python's `setdefault`; the same as `getOrInsert`. */
  setDefault(key: K, value: V): V {
    return this.getOrInsert(key, value);
  }

  /** The live value for `key`, or sets `value` and returns it (TypeError, nothing set, if it cannot be stored). */
  getOrInsert(key: K, value: V): V {
    const current = this.get(key);
    if (current !== undefined || this.has(key)) return current as V; // a stored value may be undefined
    this.set(key, value);
    return value;
  }

  /**
   * The live value for `key`, or computes one with `callback(key)`, stores it and returns it. A
   * computed entry that cannot be stored throws a TypeError and inserts nothing.
   */
  getOrInsertComputed(key: K, callback: (key: K) => V): V {
    const where = `${this[Symbol.toStringTag]}.getOrInsertComputed`;
    if (typeof callback !== "function") assertCallback(callback, where, "callback");
    this.checkKey(key, where); // before calling back, as WeakMap.prototype.getOrInsertComputed does
    const current = this.get(key);
    if (current !== undefined || this.has(key)) return current as V;
    const value = callback(key); // calls user code
    this.checkEntry(key, value, where);
    this.store(key, value);
    return value;
  }

  /**
   * Sets every entry of `entries` (any iterable of [key, value], such as a Map or another weak
   * map). If any entry cannot be stored, throws a TypeError and sets none.
   */
  update(entries: Iterable<readonly [K, V]>): this {
    this.storeAll(entries, `${this[Symbol.toStringTag]}.update`);
    return this;
  }

  /** Validates every entry first, so a rejected call changes nothing. */
  protected storeAll(entries: Iterable<readonly [K, V]>, where: string): void {
    assertIterable(entries, where, "entries");
    const list: Array<readonly [K, V]> = [];
    for (const entry of entries) {
      if (entry === null || (typeof entry !== "object" && typeof entry !== "function")) {
        throw new TypeError(
          `weaktable: ${where}: each entry must be a [key, value] pair (got ${entry === null ? "null" : typeof entry}). Nothing was changed.`,
        );
      }
      this.checkEntry(entry[0], entry[1], where);
      list.push(entry);
    }
    // Room for all of them first: a RangeError (memory cannot grow) must also change nothing.
    this.#core.reserve(list.length, list.some((entry) => typeof entry[0] === "number"));
    for (const [key, value] of list) this.store(key, value);
  }

  forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    if (typeof callback !== "function") {
      throw new TypeError(`weaktable: ${this[Symbol.toStringTag]}.forEach: the callback must be a function (got ${typeName(callback)})`);
    }
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this as unknown as Map<K, V>); // calls user code
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  [INSPECT](_depth: number, options: unknown, inspect: Inspect): string {
    return inspectAs(this[Symbol.toStringTag], new Map(this.entries()), options, inspect);
  }
}
