// The deref floor: a plain array of WeakRefs indexed directly by the (small, dense, integer) key.
// No hashing, no cleanup, no size: the physical limit of any weak-value lookup, not a container.
// Only the cases with dense integer keys (all of them here) can use it.

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
  size() {
    return null;
  }
}

export const create = () => new Floor();
export const empty = () => [];
