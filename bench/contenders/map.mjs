// The ceiling: a plain strong Map. Not weak at all: the case deletes destroyed entries explicitly
// (`strong: true`), which is what a program without weak references has to do.

export const info = {
  name: "map",
  label: "Map",
  description: "strong Map<K, V> (the ceiling; entries are deleted explicitly)",
  strong: true,
  exactSize: true,
};

class StrongMap {
  m = new Map();
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

export const create = () => new StrongMap();
/** The bare container, for the empty-map case. */
export const empty = () => new Map();
