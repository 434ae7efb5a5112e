// IdRegistry: Python's id()/id2obj() idiom, done safely. Ids are never reused, so a stale id finds
// nothing instead of another object (CPython's id() is an address and can be reused). Each id
// names the slot that holds its object (core/id-store.ts), so `get(id)` is an array read and a
// compare, with no hash probe.

import type { TableStats } from "../core/slot-store.js";
import { IdStore } from "../core/id-store.js";
import { assertWeakable, wrongReceiver } from "../core/errors.js";
import { INSPECT_CUSTOM, inspectAs, inspectHollow } from "./map-base.js";
import type { InspectFunction, InspectOptions } from "../refs/group.js";

/** `remember` naming another call in its errors (set by the class's static block; for `id()`). */
let rememberAs: (registry: IdRegistry<object>, obj: object, where: string) => number;

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
  readonly #store = new IdStore<T>();

  /** `registry.#store`, or the TypeError of a method called on something that is not an IdRegistry. */
  static #storeOf(registry: IdRegistry<any>, method: string): IdStore<any> {
    if (typeof registry !== "object" || registry === null || !(#store in registry)) throw wrongReceiver(`IdRegistry.${method}`, "IdRegistry", registry);
    return registry.#store;
  }

  /** The id of `obj`, registering it on first sight. TypeError for what cannot be weakly referenced. */
  remember(obj: T): number {
    IdRegistry.#storeOf(this, "remember");
    return this.#remember(obj, "IdRegistry.remember");
  }

  /** `remember`, with the name of the call to blame for bad input (`id` for the module function). */
  #remember(obj: T, where: string): number {
    const store = this.#store;
    const known = store.idOf(obj);
    if (known !== undefined) return known;
    assertWeakable(obj, where, "object");
    return store.add(obj);
  }

  /** The object with this id while it lives; undefined for a collected, forgotten or unknown id. */
  get(id: number): T | undefined {
    const store = this.#store;
    const slot = store.lookup(id);
    return slot === -1 ? undefined : store.objectAt(slot);
  }

  has(id: number): boolean {
    const store = this.#store;
    const slot = store.lookup(id);
    return slot !== -1 && store.objectAt(slot) !== undefined;
  }

  /** The id of `obj` if it is registered (and so alive), else undefined. */
  idOf(obj: T): number | undefined {
    return IdRegistry.#storeOf(this, "idOf").idOf(obj);
  }

  /**
   * Unregisters the object with this id; false for an unknown or collected id. Remembering the
   * object again later gives it a new id, at the end of the order.
   */
  forget(id: number): boolean {
    const store = IdRegistry.#storeOf(this, "forget");
    const slot = store.lookup(id);
    if (slot === -1) return false;
    const obj = store.objectAt(slot);
    if (obj === undefined) return false;
    store.forget(slot, obj);
    return true;
  }

  /**
   * Forgets every object. Their ids are never handed out again, and remembering one of them later
   * gives it a new id.
   */
  clear(): void {
    IdRegistry.#storeOf(this, "clear").clear();
  }

  /** Objects not yet known to be collected. Exact after `await collect()`. */
  get size(): number {
    return IdRegistry.#storeOf(this, "size").size;
  }

  /** `[id, obj]` for each live object, in registration order. */
  entries(): IterableIterator<[number, T]> {
    return IdRegistry.#storeOf(this, "entries").entries();
  }

  /** The same function as `entries`. */
  declare [Symbol.iterator]: () => IterableIterator<[number, T]>;

  /** Applies collection notices received so far; returns how many entries it removed. */
  flush(): number {
    return IdRegistry.#storeOf(this, "flush").flush();
  }

  stats(): TableStats {
    return IdRegistry.#storeOf(this, "stats").stats();
  }

  get [Symbol.toStringTag](): string {
    return "IdRegistry";
  }

  /** `util.inspect`: `IdRegistry(2) { 1 => {...}, 2 => {...} }`, the live objects by id. */
  [INSPECT_CUSTOM](_depth: number, options?: InspectOptions, inspect?: InspectFunction): string {
    if (!(#store in this)) return inspectHollow("IdRegistry");
    return inspectAs("IdRegistry", new Map(this.entries()), options, inspect);
  }

  static {
    rememberAs = (registry, obj, where) => registry.#remember(obj, where);
  }
}

Object.defineProperty(IdRegistry.prototype, Symbol.iterator, {
  value: IdRegistry.prototype.entries,
  writable: true,
  configurable: true,
  enumerable: false,
});

/**
 * The registry behind `id()` and `id2obj()`, made on first use: importing weaktable must compile,
 * instantiate and allocate nothing (a registry's store makes its table, and so the WebAssembly
 * module, when it is constructed).
 */
let defaultRegistry: IdRegistry<object> | undefined;

/**
 * The id of `obj` in the default registry (Python's `id()`, but stable and never reused).
 * @example
 *   const oid = id(someObject);
 *   id2obj(oid) === someObject; // while it lives
 */
export function id(obj: object): number {
  return rememberAs((defaultRegistry ??= new IdRegistry<object>()), obj, "id");
}

/**
 * The object with this id in the default registry while it lives, else undefined. The type
 * parameter only asserts what you stored there (nothing is checked at run time).
 */
export function id2obj<T extends object = object>(id: number): T | undefined {
  // Before any id() there is nothing to find, and no registry need be made.
  return defaultRegistry === undefined ? undefined : (defaultRegistry.get(id) as T | undefined);
}
