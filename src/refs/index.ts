// Single references: Python's weakref.ref, proxy, WeakMethod, finalize, getweakrefcount, getweakrefs.
// Public re-exports only; src/index.ts re-exports this module.

export { Ref, ref } from "./ref.js";
export { proxy, isProxy } from "./proxy.js";
export { WeakMethod } from "./weak-method.js";
export { Finalizer, finalize, type FinalizerFunction } from "./finalize.js";
export { getWeakRefCount, getWeakRefs } from "./introspect.js";
export type { InspectFunction, InspectOptions } from "./group.js";
