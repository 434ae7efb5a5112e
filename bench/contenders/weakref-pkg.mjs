// The npm package `weakref` (denostack): its WeakValueMap (a Map of WeakRefs plus a
// FinalizationRegistry per map).
import { WeakValueMap } from "weakref";

export const info = {
  name: "weakref",
  label: "weakref",
  description: "npm `weakref` WeakValueMap",
  strong: false,
  exactSize: true,
};

class Adapter {
  m = new WeakValueMap();
  /** @param {number} k @param {object} v */
  set(k, v) {
    this.m.set(k, v);
  }
  /** @param {number} k */
  get(k) {
    return this.m.get(k);
  }
  /** @param {number} k */
  delete(k) {
    return this.m.delete(k);
  }
  size() {
    return this.m.size;
  }
}

export const create = () => new Adapter();
export const empty = () => new WeakValueMap();
