// Map<K, WeakRef<V>> with no cleanup at all: the shortest thing that works for lookups. Its size
// never shrinks and dead entries (a WeakRef each) stay until the key is overwritten: it leaks.
import { MapAdapter } from "./adapters.mjs";

export const info = {
  name: "map-weakref",
  label: "Map+WR",
  description: "Map<K, WeakRef<V>>, no cleanup (size never shrinks)",
  strong: false,
  exactSize: false,
};

class MapWeakRef {
  m = new Map();
  /** @param {unknown} k @param {object} v */
  set(k, v) {
    this.m.set(k, new WeakRef(v));
  }
  /** @param {unknown} k */
  get(k) {
    const r = this.m.get(k);
    return r === undefined ? undefined : r.deref();
  }
  /** @param {unknown} k */
  delete(k) {
    return this.m.delete(k);
  }
  get size() {
    return this.m.size;
  }
}

export const make = { map: () => new MapAdapter(new MapWeakRef()) };
export const create = make.map;
export const empty = () => new Map();
