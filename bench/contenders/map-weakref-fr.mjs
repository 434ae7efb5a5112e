// What a careful user hand-writes, for every container kind (the reference of most ratios):
//   map       Map<K, WeakRef<V>> + a FinalizationRegistry that deletes the entry when its value is
//             collected. The callback checks that the entry still holds a dead ref, so an overwrite
//             between the death and the notice is not lost; overwrite and delete unregister.
//   set       the TC39 proposal's pattern for an iterable weak set: a WeakMap from element to its
//             WeakRef, a Set of those WeakRefs (the iteration order), and a FinalizationRegistry
//             that deletes the WeakRef from the Set, with the WeakRef as unregister token.
//   weakmap   the TC39 proposal's IterableWeakMap (tc39/proposal-weakrefs README): a WeakMap from
//             key to { value, ref }, a Set of key WeakRefs, a FinalizationRegistry holding
//             { set, ref } with the ref as unregister token.
//   registry  Map<id, WeakRef> + WeakMap<obj, id> + a FinalizationRegistry deleting the id, with a
//             counter for new ids (ids are never reused).
import { MapAdapter, RegistryAdapter, SetAdapter, WeakMapAdapter } from "./adapters.mjs";

export const info = {
  name: "map-weakref-fr",
  label: "hand-written",
  description: "hand-written: Map<K, WeakRef<V>> + FinalizationRegistry; the TC39 proposal's patterns for the set and the weak map; Map<id, WeakRef> + WeakMap<obj, id> + FR for ids",
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
    return this;
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
  get size() {
    return this.map.size;
  }
}

/** The TC39 proposal's iterable weak set pattern. */
export class HandWrittenSet {
  /** @type {WeakMap<object, WeakRef<object>>} */
  refs = new WeakMap();
  /** @type {Set<WeakRef<object>>} */
  set = new Set();
  registry = new FinalizationRegistry((/** @type {WeakRef<object>} */ wr) => {
    this.set.delete(wr);
  });
  /** @param {object} o */
  add(o) {
    if (!this.refs.has(o)) {
      const wr = new WeakRef(o);
      this.refs.set(o, wr);
      this.set.add(wr);
      this.registry.register(o, wr, wr);
    }
    return this;
  }
  /** @param {object} o */
  has(o) {
    return this.refs.has(o);
  }
  /** @param {object} o */
  delete(o) {
    const wr = this.refs.get(o);
    if (wr === undefined) return false;
    this.refs.delete(o);
    this.set.delete(wr);
    this.registry.unregister(wr);
    return true;
  }
  get size() {
    return this.set.size;
  }
  *[Symbol.iterator]() {
    for (const wr of this.set) {
      const o = wr.deref();
      if (o !== undefined) yield o;
    }
  }
}

/** The TC39 proposal's IterableWeakMap, as its README writes it. */
export class HandWrittenWeakMap {
  /** @type {WeakMap<object, { value: any, ref: WeakRef<object> }>} */
  weakMap = new WeakMap();
  /** @type {Set<WeakRef<object>>} */
  refSet = new Set();
  registry = new FinalizationRegistry((/** @type {{ set: Set<WeakRef<object>>, ref: WeakRef<object> }} */ held) => {
    held.set.delete(held.ref);
  });
  /** @param {object} key @param {any} value */
  set(key, value) {
    const entry = this.weakMap.get(key);
    if (entry) {
      entry.value = value;
    } else {
      const ref = new WeakRef(key);
      this.weakMap.set(key, { value, ref });
      this.refSet.add(ref);
      this.registry.register(key, { set: this.refSet, ref }, ref);
    }
    return this;
  }
  /** @param {object} key */
  get(key) {
    return this.weakMap.get(key)?.value;
  }
  /** @param {object} key */
  has(key) {
    return this.weakMap.has(key);
  }
  /** @param {object} key */
  delete(key) {
    const entry = this.weakMap.get(key);
    if (!entry) return false;
    this.weakMap.delete(key);
    this.refSet.delete(entry.ref);
    this.registry.unregister(entry.ref);
    return true;
  }
  get size() {
    return this.refSet.size;
  }
  *[Symbol.iterator]() {
    for (const ref of this.refSet) {
      const key = ref.deref();
      if (!key) continue;
      const entry = this.weakMap.get(key);
      if (entry) yield [key, entry.value];
    }
  }
}

/** A hand-written id registry: Map<id, WeakRef> + WeakMap<obj, id> + FinalizationRegistry. */
export class HandWrittenRegistry {
  next = 0;
  /** @type {Map<number, WeakRef<object>>} */
  refs = new Map();
  /** @type {WeakMap<object, number>} */
  ids = new WeakMap();
  registry = new FinalizationRegistry((/** @type {number} */ id) => {
    this.refs.delete(id);
  });
  /** @param {object} o */
  remember(o) {
    let id = this.ids.get(o);
    if (id !== undefined) return id;
    id = ++this.next;
    const wr = new WeakRef(o);
    this.refs.set(id, wr);
    this.ids.set(o, id);
    this.registry.register(o, id, wr);
    return id;
  }
  /** @param {number} id */
  get(id) {
    const wr = this.refs.get(id);
    return wr === undefined ? undefined : wr.deref();
  }
  /** @param {object} o */
  idOf(o) {
    return this.ids.get(o);
  }
  /** @param {number} id */
  forget(id) {
    const wr = this.refs.get(id);
    if (wr === undefined) return false;
    this.refs.delete(id);
    this.registry.unregister(wr);
    const o = wr.deref();
    if (o === undefined) return false;
    this.ids.delete(o);
    return true;
  }
  get size() {
    return this.refs.size;
  }
}

export const make = {
  map: () => new MapAdapter(new HandWritten()),
  set: () => new SetAdapter(new HandWrittenSet()),
  weakmap: () => new WeakMapAdapter(new HandWrittenWeakMap()),
  registry: () => new RegistryAdapter(new HandWrittenRegistry()),
};
export const create = make.map;
export const empty = () => new HandWritten();
