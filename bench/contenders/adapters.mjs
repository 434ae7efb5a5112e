// The adapters every contender shares, one per container kind. The cases call these methods, and
// each forwards to the container. Each contender runs in its own process, so a case's call sites
// see one class per kind and stay monomorphic however many contenders use it.
//
//   map       set(k, v), get(k), delete(k), size()                       (WeakValueMap and rivals)
//   set       add(o), has(o), delete(o), size(), sum()                    (IterableWeakSet and rivals)
//   weakmap   set(k, v), get(k), has(k), delete(k), size(), sum()         (IterableWeakMap and rivals)
//   registry  remember(o) -> id, get(id), idOf(o), forget(id), size()     (IdRegistry and rivals)
//
// `sum()` iterates the whole container in its own order and adds up the elements' (keys') `v`
// fields: the iteration cases time it and check its answer. Containers with a size property
// report it through size(); flush() is added by the contenders that have one.

/** Map-shaped containers: set/get/delete and a `size` property. */
export class MapAdapter {
  /** @param {{ set(k: any, v: object): unknown; get(k: any): object | undefined; delete(k: any): boolean; size: number }} m */
  constructor(m) {
    this.m = m;
  }
  /** @param {any} k @param {object} v */
  set(k, v) {
    this.m.set(k, v);
  }
  /** @param {any} k */
  get(k) {
    return this.m.get(k);
  }
  /** @param {any} k */
  delete(k) {
    return this.m.delete(k);
  }
  size() {
    return this.m.size;
  }
}

/** Set-shaped containers of objects with a numeric `v`. */
export class SetAdapter {
  /** @param {{ add(o: object): unknown; has(o: object): boolean; delete(o: object): boolean; size: number; [Symbol.iterator](): Iterator<any> }} s */
  constructor(s) {
    this.s = s;
  }
  /** @param {object} o */
  add(o) {
    this.s.add(o);
  }
  /** @param {object} o */
  has(o) {
    return this.s.has(o);
  }
  /** @param {object} o */
  delete(o) {
    return this.s.delete(o);
  }
  size() {
    return this.s.size;
  }
  sum() {
    let sum = 0;
    for (const o of this.s) sum += o.v;
    return sum;
  }
}

/** Maps with object keys (with a numeric `v`), iterable in insertion order. */
export class WeakMapAdapter {
  /** @param {{ set(k: object, v: any): unknown; get(k: object): any; has(k: object): boolean; delete(k: object): boolean; size: number; [Symbol.iterator](): Iterator<any> }} m */
  constructor(m) {
    this.m = m;
  }
  /** @param {object} k @param {any} v */
  set(k, v) {
    this.m.set(k, v);
  }
  /** @param {object} k */
  get(k) {
    return this.m.get(k);
  }
  /** @param {object} k */
  has(k) {
    return this.m.has(k);
  }
  /** @param {object} k */
  delete(k) {
    return this.m.delete(k);
  }
  size() {
    return this.m.size;
  }
  sum() {
    let sum = 0;
    for (const [k] of this.m) sum += k.v;
    return sum;
  }
}

/** Id registries: remember(obj) -> id, get(id), idOf(obj), forget(id) and a `size` property. */
export class RegistryAdapter {
  /** @param {{ remember(o: object): number; get(id: number): object | undefined; idOf(o: object): number | undefined; forget(id: number): boolean; size: number | null }} r */
  constructor(r) {
    this.r = r;
  }
  /** @param {object} o */
  remember(o) {
    return this.r.remember(o);
  }
  /** @param {number} id */
  get(id) {
    return this.r.get(id);
  }
  /** @param {object} o */
  idOf(o) {
    return this.r.idOf(o);
  }
  /** @param {number} id */
  forget(id) {
    return this.r.forget(id);
  }
  size() {
    return this.r.size;
  }
}
