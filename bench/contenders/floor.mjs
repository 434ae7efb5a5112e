// The deref floor: a plain array of WeakRefs indexed directly by the (small, dense, integer) key.
// No hashing, no cleanup, no size: the physical limit of any weak-value lookup, not a container.
// Only the cases with dense integer keys can use it: the map kind with ids 1..N, and the registry
// kind, where remember() pushes and returns the index (it does not look an object up: no idOf).

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

export const make = {
  map: () => new MapAdapter(/** @type {any} */ (new Floor())),
  registry: () => new RegistryAdapter(new FloorRegistry()),
};
export const create = make.map;
export const empty = () => [];
