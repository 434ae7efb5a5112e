// The ceiling: plain strong containers (Map, Set; a pair of Maps for ids). Not weak at all: the
// cases delete destroyed entries explicitly (`strong: true`), which is what a program without weak
// references has to do.
import { MapAdapter, RegistryAdapter, SetAdapter, WeakMapAdapter } from "./adapters.mjs";

export const info = {
  name: "map",
  label: "Map",
  description: "strong Map<K, V> / Set / Map<id, obj> + Map<obj, id> (the ceiling; entries are deleted explicitly)",
  strong: true,
  exactSize: true,
};

/** Strong ids: Map<id, obj> + Map<obj, id>. */
class StrongRegistry {
  next = 0;
  /** @type {Map<number, object>} */
  objects = new Map();
  /** @type {Map<object, number>} */
  ids = new Map();
  /** @param {object} o */
  remember(o) {
    let id = this.ids.get(o);
    if (id !== undefined) return id;
    id = ++this.next;
    this.objects.set(id, o);
    this.ids.set(o, id);
    return id;
  }
  /** @param {number} id */
  get(id) {
    return this.objects.get(id);
  }
  /** @param {object} o */
  idOf(o) {
    return this.ids.get(o);
  }
  /** @param {number} id */
  forget(id) {
    const o = this.objects.get(id);
    if (o === undefined) return false;
    this.objects.delete(id);
    this.ids.delete(o);
    return true;
  }
  get size() {
    return this.objects.size;
  }
}

export const make = {
  map: () => new MapAdapter(new Map()),
  set: () => new SetAdapter(new Set()),
  weakmap: () => new WeakMapAdapter(new Map()),
  registry: () => new RegistryAdapter(new StrongRegistry()),
};
export const create = make.map;
/** The bare container, for the empty-map case. */
export const empty = () => new Map();
