// The deref floor: a plain array of WeakRefs indexed directly by the (small, dense, integer) key.
// No hashing, no cleanup, no size: the physical limit of any weak-value lookup, not a container.
// Only the cases with dense integer keys can use it: the map kind with ids 1..N, and the registry
// kind, where remember() pushes and returns the index (it does not look an object up: no idOf).
// For the weak-key kinds (set, weakmap) the floor is what any iterable weak-key container must
// do at least: one WeakMap lookup per has/get (the engine's own weak-key table, with nothing
// around it), and one deref per element in iteration (a walk over an array of WeakRefs, no Set,
// no generator, no size).

import { MapAdapter, RegistryAdapter } from "./adapters.mjs";

export const info = {
  name: "floor",
  label: "floor",
  description: "WeakRef[] indexed by id (no hashing, no cleanup: the physical limit)",
  strong: false,
  exactSize: false,
};

class Floor {
  /** @type {Array<WeakRef<object> | undefined>} */
  refs = [];
  /** @param {number} k @param {object} v */
  set(k, v) {
    this.refs[k] = new WeakRef(v);
  }
  /** @param {number} k */
  get(k) {
    const r = this.refs[k];
    return r === undefined ? undefined : r.deref();
  }
  /** @param {number} k */
  delete(k) {
    const had = this.refs[k] !== undefined;
    this.refs[k] = undefined;
    return had;
  }
  /** No size: the floor does not track collection. */
  get size() {
    return null;
  }
}

class FloorRegistry {
  /** @type {Array<WeakRef<object> | undefined>} */
  refs = [undefined];
  /** @param {object} o */
  remember(o) {
    return this.refs.push(new WeakRef(o)) - 1;
  }
  /** @param {number} id */
  get(id) {
    const r = this.refs[id];
    return r === undefined ? undefined : r.deref();
  }
  /** No object-to-id map: the floor only measures get. */
  idOf() {
    return undefined;
  }
  /** @param {number} id */
  forget(id) {
    const had = this.refs[id] !== undefined;
    this.refs[id] = undefined;
    return had;
  }
  get size() {
    return null;
  }
}

/**
 * The weak-key floor: a WeakMap from each key to its value (the weakmap kind's lookups: one
 * WeakMap.get, nothing else), a WeakMap from each key to its position (the set kind's has, and
 * delete), and an array of WeakRefs to the keys, in insertion order, for iteration. A deleted
 * key's WeakRef is dropped from the array; a collected one stays until the walk skips it (no
 * cleanup, so no exact size: the cases skip the size checks for it).
 */
class FloorWeakKeys {
  /** @type {Array<WeakRef<object> | undefined>} */
  refs = [];
  /** @type {WeakMap<object, number>} */
  at = new WeakMap();
  /** @type {WeakMap<object, unknown>} */
  values = new WeakMap();
  /** @param {object} k */
  add(k) {
    if (!this.at.has(k)) this.at.set(k, this.refs.push(new WeakRef(k)) - 1);
  }
  /** @param {object} k */
  delete(k) {
    const at = this.at.get(k);
    if (at === undefined) return false;
    this.at.delete(k);
    this.values.delete(k);
    this.refs[at] = undefined;
    return true;
  }
}

/** The set kind over the weak-key floor; `sum()` is the floor's walk itself. */
class FloorSetAdapter {
  f = new FloorWeakKeys();
  /** @param {object} o */
  add(o) {
    this.f.add(o);
  }
  /** @param {object} o */
  has(o) {
    return this.f.at.has(o);
  }
  /** @param {object} o */
  delete(o) {
    return this.f.delete(o);
  }
  size() {
    return null;
  }
  sum() {
    const refs = this.f.refs;
    let sum = 0;
    for (let i = 0; i < refs.length; i++) {
      const o = /** @type {{ v: number } | undefined} */ (refs[i]?.deref());
      if (o !== undefined) sum += o.v;
    }
    return sum;
  }
}

/** The weakmap kind over the weak-key floor. */
class FloorWeakMapAdapter extends FloorSetAdapter {
  /** @param {object} k @param {unknown} v */
  set(k, v) {
    this.f.add(k);
    this.f.values.set(k, v);
  }
  /** @param {object} k */
  get(k) {
    return this.f.values.get(k);
  }
}

export const make = {
  map: () => new MapAdapter(/** @type {any} */ (new Floor())),
  registry: () => new RegistryAdapter(new FloorRegistry()),
  set: () => new FloorSetAdapter(),
  weakmap: () => new FloorWeakMapAdapter(),
};
export const create = make.map;
export const empty = () => [];
