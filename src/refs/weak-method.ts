// WeakMethod: Python's weakref.WeakMethod. Holds an object weakly and a method strongly, and hands
// out the method bound to the object while the object lives.
//
// Binding. `deref()` returns the same bound function for as long as the object lives (so it can be
// passed to addEventListener and later to removeEventListener). The bound function holds the
// object strongly, so it is cached in a WeakMap keyed by the object: an ephemeron, whose value is
// kept only while its key is alive for other reasons, so the cache never keeps the object alive.
// (Rebinding on every call would also be safe, but gives a new function each time.)

import { assertCallback, assertWeakable } from "../core/errors.js";
import { describe, groupFor, INSPECT_CUSTOM, type Reaction } from "./group.js";
import { assertFunction } from "../core/errors.js";

/**
 * A weak reference to a method of an object: Python's `weakref.WeakMethod`.
 *
 * `new WeakMethod(obj, method, callback?)` holds `obj` weakly and `method` strongly. `deref()`
 * returns `method` bound to `obj` while `obj` lives, the same bound function each time, and
 * `undefined` once `obj` has been collected. A WeakMethod does not keep `obj` alive; note that
 * `method` is held strongly, so a method that closes over `obj` (an arrow function made for it)
 * keeps it alive, much as Python's `finalize` warns.
 *
 * Unlike Python's, the function itself is not held weakly: a JavaScript method is usually shared by
 * every instance through the prototype, and an inline function would otherwise die at once.
 *
 * The callback runs once, after `obj` is collected, with the WeakMethod as its argument, only if the
 * WeakMethod is still reachable then; a callback that throws is reported with `console.error`.
 * Callbacks of all single references to `obj` run newest first. WeakMethods are not counted by
 * `getWeakRefCount` or listed by `getWeakRefs`.
 *
 * Throws `TypeError` (and changes nothing) if `obj` cannot be weakly referenced, `method` is not a
 * function, or `callback` is neither a function nor `undefined`.
 *
 * GC timing: `deref()` turns `undefined` and the callback runs at times the collector chooses, some
 * time after `obj` becomes unreachable.
 *
 * @example
 *   const onResize = new WeakMethod(widget, widget.layout);
 *   window.addEventListener("resize", () => onResize.deref()?.());
 */
export class WeakMethod<F extends (...a: any[]) => any> {
  readonly #wr: WeakRef<object>;
  readonly #method: F;
  /** obj -> method bound to obj; at most one entry. Made on the first `deref()`. */
  #bound: WeakMap<object, F> | undefined;

  /**
   * Holds `obj` weakly and `method` strongly (Python: `weakref.WeakMethod(obj.method, callback)`,
   * which takes the bound method; JavaScript has no bound-method object to take apart).
   *
   * @example
   *   const wm = new WeakMethod(widget, widget.layout, () => console.log("widget gone"));
   */
  constructor(obj: object, method: F, callback?: (wm: WeakMethod<F>) => void) {
    assertWeakable(obj, "WeakMethod", "object");
    assertFunction(method, "WeakMethod", "method");
    assertCallback(callback, "WeakMethod", "callback");
    this.#wr = new WeakRef(obj);
    this.#method = method;
    // Without a callback there is nothing to do at collection, so nothing to register.
    if (callback !== undefined) groupFor(obj).add(obj, this, false, callback as Reaction);
  }

  /**
   * `method` bound to the object while it lives (the same function on every call), else
   * `undefined` (Python: calling the WeakMethod). The object stays alive until the current job ends,
   * and for as long as the returned function is held.
   *
   * @example
   *   wm.deref()?.("arg");
   */
  deref(): F | undefined {
    const obj = this.#wr.deref();
    if (obj === undefined) return undefined;
    this.#bound ??= new WeakMap();
    let bound = this.#bound.get(obj);
    if (bound === undefined) {
      bound = this.#method.bind(obj) as F;
      this.#bound.set(obj, bound);
    }
    return bound;
  }

  /**
   * `"<WeakMethod layout of Widget>"` while the object lives, `"<WeakMethod layout; dead>"` after.
   *
   * @example
   *   String(new WeakMethod(widget, widget.layout)); // "<WeakMethod layout of Widget>"
   */
  toString(): string {
    const obj = this.#wr.deref();
    const name = this.#method.name || "(anonymous)";
    return obj === undefined ? `<WeakMethod ${name}; dead>` : `<WeakMethod ${name} of ${describe(obj)}>`;
  }

  /**
   * `"WeakMethod"`, so `Object.prototype.toString.call(wm)` gives `"[object WeakMethod]"`.
   *
   * @example
   *   Object.prototype.toString.call(wm); // "[object WeakMethod]"
   */
  get [Symbol.toStringTag](): string {
    return "WeakMethod";
  }

  /** `util.inspect` shows what `toString()` says: `<WeakMethod layout of Widget>`. */
  [INSPECT_CUSTOM](): string {
    return #wr in this ? this.toString() : "WeakMethod {}";
  }
}
