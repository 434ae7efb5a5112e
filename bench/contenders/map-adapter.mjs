// The adapter every Map-shaped contender shares: the bench calls set/get/delete/size on it, and it
// forwards to the container. Each contender runs in its own process, so its call sites see one
// class and stay monomorphic however many contenders extend this one.

export class MapAdapter {
  /** @param {{ set(k: number, v: object): unknown; get(k: number): object | undefined; delete(k: number): boolean; size: number }} m */
  constructor(m) {
    this.m = m;
  }
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
