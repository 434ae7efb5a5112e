// getWeakRefCount() and getWeakRefs(): Python's weakref.getweakrefcount and getweakrefs. They read
// the referent's group (group.ts): its shared Ref and proxy and every other Ref and proxy that is
// still reachable. WeakMethods and finalizers live in the same group but are not counted, as the
// contract says; weak container entries never enter a group.

import { canBeHeldWeakly } from "../core/errors.js";
import { peekGroup } from "./group.js";
import type { Ref } from "./ref.js";

/**
 * How many Refs made by `ref()` and proxies made by `proxy()` for `obj` are alive: Python's
 * `weakref.getweakrefcount`. Container entries, `WeakMethod`s and finalizers are not counted. A
 * value that cannot be weakly referenced has none: 0.
 *
 * GC timing: a Ref or proxy that nobody holds any more is counted until the collector reclaims it,
 * so the count can be higher than the number you still hold, and it drops at a time the engine
 * chooses.
 *
 * @example
 *   const r = ref(obj);
 *   getWeakRefCount(obj); // 1
 */
export function getWeakRefCount(obj: unknown): number {
  if (!canBeHeldWeakly(obj)) return 0;
  return peekGroup(obj)?.countedOwners().length ?? 0;
}

/**
 * The Refs made by `ref()` and proxies made by `proxy()` for `obj` that are alive, in no promised
 * order: Python's `weakref.getweakrefs`. Container entries, `WeakMethod`s and finalizers are not
 * included. A value that cannot be weakly referenced gives `[]`. Typed as what it holds: `Ref<T>`s
 * and proxies, which are typed as `T` (as `proxy()` returns them; tell them apart with `isProxy`). The returned array holds them
 * strongly, so keeping it keeps them (not `obj`) alive.
 *
 * GC timing: as for {@link getWeakRefCount}, an unreachable Ref may be listed until it is collected.
 *
 * @example
 *   const p = proxy(obj);
 *   getWeakRefs(obj).includes(p); // true
 */
export function getWeakRefs<T extends object>(obj: T): Array<Ref<T> | T>;
export function getWeakRefs(obj: unknown): Array<Ref<object> | object>;
export function getWeakRefs(obj: unknown): Array<Ref<object> | object> {
  if (!canBeHeldWeakly(obj)) return [];
  return peekGroup(obj)?.countedOwners() ?? [];
}
