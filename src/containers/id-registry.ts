// IdRegistry: Python's id()/id2obj() idiom, done safely. Ids come from a monotonic counter and are
// never reused, so a stale id finds nothing instead of another object (CPython's id() is an
// address and can be reused). Ids are number keys, so lookups take the WebAssembly path.

import { StrongKeyStore, type TableStats } from "../core/slot-store.js";
import { SKIP } from "../core/cursor.js";
import type { Slot } from "../core/table.js";
import { assertWeakable } from "../core/errors.js";

/**
 * Gives objects numeric ids and finds objects by id, without keeping them alive.
 *
 * `remember(obj)` returns a positive safe integer, the same one for as long as `obj` stays
 * registered; `get(id)` returns the object while it lives and `undefined` once it is collected or
 * forgotten. A registry never hands out an id twice.
 *
 * @example
 *   const entities = new IdRegistry<Entity>();
 *   const oid = entities.remember(player);
 *   entities.get(oid) === player; // while player lives
 */
export class IdRegistry<T extends WeakKey> implements Iterable<[number, T]> {
  readonly #store = new StrongKeyStore<number>();
  readonly #ids = new WeakMap<WeakKey, number>();
  #nextId = 1;

  /** The id of `obj`, registering it on first sight. TypeError for what cannot be weakly referenced. */
  remember(obj: T): number {
    const known = this.#ids.get(obj);
    if (known !== undefined) return known;
    assertWeakable(obj, "IdRegistry.remember", "object");
    const id = this.#nextId;
    if (id > Number.MAX_SAFE_INTEGER) throw new RangeError("weaktable: IdRegistry has handed out every safe integer id");
    this.#store.set(id, obj);
    this.#nextId = id + 1;
    this.#ids.set(obj, id);
    return id;
  }

  /** The object with this id while it lives; undefined for a collected, forgotten or unknown id. */
  get(id: number): T | undefined {
    const store = this.#store;
    const slot = store.lookup(id);
    return slot < 0 ? undefined : (store.deref(slot as Slot) as T | undefined);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** The id of `obj` if it is registered (and so alive), else undefined. */
  idOf(obj: T): number | undefined {
    return this.#ids.get(obj as WeakKey);
  }

  /**
   * Unregisters the object with this id; false for an unknown or collected id. Remembering the
   * object again later gives it a new id, at the end of the order.
   */
  forget(id: number): boolean {
    const store = this.#store;
    const slot = store.lookup(id);
    if (slot < 0) return false;
    const obj = store.deref(slot as Slot);
    if (obj === undefined) return false;
    this.#ids.delete(obj);
    store.remove(slot as Slot);
    return true;
  }

  /** Objects not yet known to be collected. Exact after `await collect()`. */
  get size(): number {
    return this.#store.size;
  }

  /** `[id, obj]` for each live object, in registration order. */
  entries(): IterableIterator<[number, T]> {
    const store = this.#store;
    return store.iterate<[number, T]>((slot) => {
      const obj = store.deref(slot);
      return obj === undefined ? SKIP : [store.keyAt(slot), obj as T];
    }, "IdRegistry Iterator");
  }

  [Symbol.iterator](): IterableIterator<[number, T]> {
    return this.entries();
  }

  /** Applies collection notices received so far; returns how many entries it removed. */
  flush(): number {
    return this.#store.flush();
  }

  stats(): TableStats {
    return this.#store.stats();
  }

  get [Symbol.toStringTag](): string {
    return "IdRegistry";
  }
}

const defaultRegistry = new IdRegistry<object>();

/**
 * The id of `obj` in the default registry (Python's `id()`, but stable and never reused).
 * @example
 *   const oid = id(someObject);
 *   id2obj(oid) === someObject; // while it lives
 */
export function id(obj: object): number {
  return defaultRegistry.remember(obj);
}

/** The object with this id in the default registry while it lives, else undefined. */
export function id2obj(id: number): object | undefined {
  return defaultRegistry.get(id);
}
