// weaktable: Python's weakref for JavaScript. Public re-exports only.
export { WeakValueMap, type WeakValueMapOptions } from "./containers/weak-value-map.js";
export { IterableWeakMap, type IterableWeakMapOptions } from "./containers/iterable-weak-map.js";
export { IterableWeakSet, type SetSource, type SetLike } from "./containers/iterable-weak-set.js";
export { IdRegistry, id, id2obj } from "./containers/id-registry.js";
export type { TableStats } from "./core/slot-store.js";
export * from "./refs/index.js";
