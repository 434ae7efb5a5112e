// What a careful user hand-writes: Map<K, WeakRef<V>> plus a FinalizationRegistry that deletes the
// entry when its value is collected. The callback checks that the entry still holds a dead ref, so
// an overwrite between the death and the notice is not lost; overwrite and delete unregister.

export const info = {
  name: "map-weakref-fr",
  label: "Map+WR+FR",
  description: "Map<K, WeakRef<V>> + FinalizationRegistry deleting entries (hand-written)",
  strong: false,
  exactSize: true,
};

export class HandWritten {
  map = new Map();
  registry = new FinalizationRegistry((/** @type {unknown} */ key) => {
    const r = this.map.get(key);
    if (r !== undefined && r.deref() === undefined) this.map.delete(key);
  });
  /** @param {unknown} k @param {object} v */
  set(k, v) {
    const old = this.map.get(k);
    if (old !== undefined) this.registry.unregister(old);
    const r = new WeakRef(v);
    this.map.set(k, r);
    this.registry.register(v, k, r);
  }
  /** @param {unknown} k */
  get(k) {
    const r = this.map.get(k);
    return r === undefined ? undefined : r.deref();
  }
  /** @param {unknown} k */
  delete(k) {
    const r = this.map.get(k);
    if (r === undefined) return false;
    this.registry.unregister(r);
    this.map.delete(k);
    return r.deref() !== undefined;
  }
  size() {
    return this.map.size;
  }
}

export const create = () => new HandWritten();
export const empty = () => new HandWritten();
