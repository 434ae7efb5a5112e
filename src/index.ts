// weaktable: Python's weakref for JavaScript. Public re-exports only.
export { WeakValueMap, type WeakValueMapOptions } from "./containers/weak-value-map.js";
export { IdRegistry, id, id2obj } from "./containers/id-registry.js";
export type { TableStats } from "./core/slot-store.js";
