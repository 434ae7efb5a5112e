// Map<K, WeakRef<V>> with no cleanup at all: the shortest thing that works for lookups. Its size
// never shrinks and dead entries (a WeakRef each) stay until the key is overwritten: it leaks.

export const info = {
  name: "map-weakref",
  label: "Map+WR",
  description: "Map<K, WeakRef<V>>, no cleanup (size never shrinks)",
  strong: false,
  exactSize: false,
};

class MapWeakRef {
  m = new Map();
  /** @param {number} k @param {object} v */
  set(k, v) {
    this.m.set(k, new WeakRef(v));
  }
  /** @param {number} k */
  get(k) {
    const r = this.m.get(k);
    return r === undefined ? undefined : r.deref();
  }
  /** @param {number} k */
  delete(k) {
    return this.m.delete(k);
  }
  size() {
    return this.m.size;
  }
}

export const create = () => new MapWeakRef();
export const empty = () => new Map();
