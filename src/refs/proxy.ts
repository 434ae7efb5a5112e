// proxy() and isProxy(): Python's weakref.proxy. A JavaScript Proxy whose handler reaches the
// referent through a WeakRef, so the proxy can be used like the object without keeping it alive.
//
// The Proxy's own target is a *dummy*, never the referent (a Proxy holds its target strongly):
//   - `{}` for plain objects;
//   - `[]` for arrays, so that `Array.isArray(p)` and `JSON.stringify(p)` treat the proxy as an
//     array (both look at the Proxy's target, not through traps);
//   - `function () {}.bind(null)` for callables: a Proxy is callable (and `typeof` says "function")
//     only if its target is, and constructible only if its target is. A bound function of an
//     ordinary function is both, and unlike the function itself it has no own `prototype`
//     property, which is non-configurable on ordinary functions and would trip the invariants below.
//
// Proxy invariants. The engine checks what a trap reports against the *dummy*: a property may be
// reported non-configurable only if the dummy has it non-configurable, and so on. Copying such
// properties of the referent onto the dummy would satisfy the engine but hold their values
// strongly, and a value may lead back to the referent. So the dummy stays empty, and:
//   - getOwnPropertyDescriptor reports the referent's non-configurable properties as configurable
//     (except an array's `length`, which the `[]` dummy has: reported non-configurable and writable);
//   - defineProperty refuses, with a TypeError and before changing anything, a descriptor that says
//     `configurable: false` (the engine would throw after the referent had changed);
//   - isExtensible always reports true, and preventExtensions (hence Object.freeze/seal) refuses with
//     a TypeError: a non-extensible Proxy must list exactly its target's keys.
//
// `this`. Python's proxy forwards attribute lookup to the referent, so `p.method()` runs with the
// referent as `self`. We do the same: a getter, a setter or a method reached through the proxy runs
// with the referent as `this`, never the proxy. That is what makes methods that use `#private`
// fields or internal slots (Map, Set, Date, typed arrays) work through a proxy: `p.size`, `p.get(k)`.
// For methods this takes a wrapper: `p.method` is a Proxy around the referent's function (cached, so
// `p.method === p.method`) whose call trap swaps the weak proxy for the referent when it is `this`,
// and passes any other `this` through. The price is identity: `p.method !== obj.method`. The
// `constructor` property is never wrapped (a class cannot be called as a method), so
// `p.constructor === obj.constructor` holds.

import { DEAD_PROXY_MESSAGE, assertCallback, assertWeakable, deadProxy, proxyCannotFix, proxyOfSymbol } from "../core/errors.js";
import { groupFor, inspectNested, INSPECT_CUSTOM, type InspectFunction, type InspectOptions, type Reaction } from "./group.js";

export { DEAD_PROXY_MESSAGE };

const proxies = new WeakSet<object>();

type AnyFunction = (...args: unknown[]) => unknown;

/** The handler of one weak proxy: every trap finds the referent, or throws if it was collected. */
class WeakProxyHandler implements ProxyHandler<object> {
  readonly #wr: WeakRef<object>;
  /** The proxy this handler serves; `this` equal to it means "the referent". Set once, just after creation. */
  proxy: object | undefined;
  /** Wrappers of functions read through the proxy, one per function (see the header, "`this`"). */
  #wrappers: WeakMap<AnyFunction, AnyFunction> | undefined;
  #methodHandler: MethodHandler | undefined;

  constructor(referent: object) {
    this.#wr = new WeakRef(referent);
  }

  /** The referent; throws CPython's ReferenceError once it has been collected. */
  live(): object {
    const referent = this.#wr.deref();
    if (referent === undefined) throw deadProxy();
    return referent;
  }

  /** What `[INSPECT_CUSTOM]` on the dummy shows: `WeakProxy <dead>` or `WeakProxy` and the referent. */
  inspect(options: InspectOptions | undefined, inspect: InspectFunction | undefined): string {
    const referent = this.#wr.deref();
    return referent === undefined ? "WeakProxy <dead>" : `WeakProxy ${inspectNested(referent, options, inspect)}`;
  }

  /** The receiver to use on the referent: the referent itself when the receiver is this proxy. */
  #receiver(receiver: unknown, referent: object): unknown {
    return receiver === this.proxy ? referent : receiver;
  }

  #wrap(fn: AnyFunction): AnyFunction {
    this.#wrappers ??= new WeakMap();
    let wrapper = this.#wrappers.get(fn);
    if (wrapper === undefined) {
      this.#methodHandler ??= new MethodHandler(this);
      // A Proxy rather than a closure: name, length, properties and `new` all stay the function's own.
      wrapper = new Proxy(fn, this.#methodHandler);
      this.#wrappers.set(fn, wrapper);
    }
    return wrapper;
  }

  get(dummy: object, key: string | symbol, receiver: unknown): unknown {
    const referent = this.live();
    const value: unknown = Reflect.get(referent, key, this.#receiver(receiver, referent));
    if (typeof value !== "function" || receiver !== this.proxy || key === "constructor") return value;
    return this.#wrap(value as AnyFunction);
  }

  set(dummy: object, key: string | symbol, value: unknown, receiver: unknown): boolean {
    const referent = this.live();
    return Reflect.set(referent, key, value, this.#receiver(receiver, referent));
  }

  has(dummy: object, key: string | symbol): boolean {
    return Reflect.has(this.live(), key);
  }

  deleteProperty(dummy: object, key: string | symbol): boolean {
    return Reflect.deleteProperty(this.live(), key);
  }

  ownKeys(dummy: object): ArrayLike<string | symbol> {
    return Reflect.ownKeys(this.live());
  }

  getOwnPropertyDescriptor(dummy: object, key: string | symbol): PropertyDescriptor | undefined {
    const descriptor = Reflect.getOwnPropertyDescriptor(this.live(), key);
    if (descriptor === undefined) return undefined;
    const own = Reflect.getOwnPropertyDescriptor(dummy, key);
    if (own !== undefined && own.configurable === false) {
      // An array dummy's `length`: must be reported as the dummy has it (non-configurable, writable).
      return { ...descriptor, configurable: false, writable: true };
    }
    // See the header: reporting it non-configurable would need a copy on the dummy.
    descriptor.configurable = true;
    return descriptor;
  }

  defineProperty(dummy: object, key: string | symbol, descriptor: PropertyDescriptor): boolean {
    const referent = this.live();
    const own = Reflect.getOwnPropertyDescriptor(dummy, key);
    const dummyFixed = own !== undefined && own.configurable === false;
    // Refuse before touching the referent what the engine would reject after the trap returned.
    if ((descriptor.configurable === false && !dummyFixed) || (dummyFixed && own.writable && descriptor.writable === false)) {
      throw proxyCannotFix(`define ${String(key)} as non-configurable or non-writable`);
    }
    return Reflect.defineProperty(referent, key, descriptor);
  }

  getPrototypeOf(dummy: object): object | null {
    return Reflect.getPrototypeOf(this.live());
  }

  setPrototypeOf(dummy: object, prototype: object | null): boolean {
    return Reflect.setPrototypeOf(this.live(), prototype);
  }

  isExtensible(dummy: object): boolean {
    this.live();
    // Must equal the dummy's answer, which is always true (see preventExtensions).
    return Reflect.isExtensible(dummy);
  }

  preventExtensions(dummy: object): boolean {
    this.live();
    throw proxyCannotFix("make it non-extensible (Object.preventExtensions, seal, freeze)");
  }

  apply(dummy: object, thisArg: unknown, args: unknown[]): unknown {
    const referent = this.live();
    return Reflect.apply(referent as AnyFunction, this.#receiver(thisArg, referent), args);
  }

  construct(dummy: object, args: unknown[], newTarget: Function): object {
    const referent = this.live();
    // `new p()` gets the referent as new.target, so a class that checks `new.target` sees itself.
    return Reflect.construct(referent as Function, args, newTarget === this.proxy ? (referent as Function) : newTarget);
  }
}

/** The call trap of method wrappers: a call on the weak proxy becomes a call on the referent. */
class MethodHandler implements ProxyHandler<AnyFunction> {
  readonly #owner: WeakProxyHandler;

  constructor(owner: WeakProxyHandler) {
    this.#owner = owner;
  }

  apply(fn: AnyFunction, thisArg: unknown, args: unknown[]): unknown {
    return Reflect.apply(fn, thisArg === this.#owner.proxy ? this.#owner.live() : thisArg, args);
  }
}

/**
 * `Array.isArray`, except that a revoked Proxy (which can be weakly referenced, but throws from
 * IsArray) counts as not an array: its weak proxy gets a `{}` dummy, and every operation through it
 * then throws what the revoked Proxy throws.
 */
function isArray(referent: object): boolean {
  try {
    return Array.isArray(referent);
  } catch {
    return false;
  }
}

/** An empty stand-in target that gives the proxy the right kind (see the header). */
function makeDummy(referent: object, handler: WeakProxyHandler): object {
  const dummy: object =
    typeof referent === "function" ? function () {}.bind(null) : isArray(referent) ? [] : {};
  // Node's util.inspect looks at a Proxy's target without running traps; this makes console.log(p)
  // show the referent (or that it is dead) instead of an empty dummy. Configurable, so no invariant.
  Object.defineProperty(dummy, INSPECT_CUSTOM, {
    configurable: true,
    value: (depth: number, options?: InspectOptions, inspect?: InspectFunction) => handler.inspect(options, inspect),
  });
  return dummy;
}

/**
 * Makes a proxy for `obj` that does not keep it alive: Python's `weakref.proxy(obj, callback)`.
 *
 * The proxy forwards every operation to the referent: property get/set/has/delete, keys and property
 * descriptors, `defineProperty`, prototype get/set, calls (for a callable referent; `typeof` the
 * proxy is then `"function"`) and `new` (for a constructor). Once `obj` has been collected, every
 * operation throws `ReferenceError("weakly-referenced object no longer exists")`.
 *
 * `this`: getters, setters and methods reached through the proxy run with the referent as `this`
 * (as Python binds methods to the referent), so `#private` fields and built-ins such as Map work:
 * `proxy(map).get(k)`. Functions read through the proxy are therefore wrappers, cached per proxy
 * (`p.f === p.f`, but `p.f !== obj.f`); `p.constructor` is not wrapped. A wrapper holds the proxy,
 * not the referent.
 *
 * Where a Proxy cannot be transparent without holding copies (JavaScript's Proxy invariants):
 * non-configurable properties are reported as configurable; defining a property with an explicit
 * `configurable: false`, and `Object.preventExtensions`/`seal`/`freeze` on the proxy, throw
 * `TypeError` and change nothing; `Object.isExtensible(p)` is true. Do those on the referent.
 *
 * Without a callback, every call for one object returns the same proxy for as long as someone holds
 * it (CPython shares plain proxies too). With one, each call makes a new proxy; the callback runs once
 * after `obj` is collected, with the proxy as its argument, only if the proxy is still reachable, in
 * the same newest-first order as `ref` callbacks. A callback that throws is reported with
 * `console.error` and does not stop the others.
 *
 * Async code: returning a dead proxy from an `async` function (or resolving any promise with it,
 * or `await p`) rejects that promise with the ReferenceError, because promise resolution looks up a
 * `then` method on it; a live proxy is looked up like its referent. Return it inside an object
 * (`return { p }`) if it may be dead by then.
 *
 * Throws `TypeError` (and changes nothing) if `obj` is not an object or function (primitives, `null`,
 * symbols) or `callback` is neither a function nor `undefined`.
 *
 * GC timing: the proxy works until the engine collects the referent, which happens at some time
 * after it becomes unreachable, possibly never; a value read through the proxy stays alive until
 * the current job ends.
 *
 * @example
 *   const p = proxy(node);
 *   p.data;          // forwarded
 *   p.render();      // runs with `this === node`
 *   // ... once node is collected:
 *   p.data;          // ReferenceError: weakly-referenced object no longer exists
 */
export function proxy<T extends object>(obj: T, callback?: (p: T) => void): T {
  assertWeakable(obj, "proxy", "referent");
  if (typeof obj === "symbol") {
    // A symbol can be weakly held, but it has no properties of its own to forward.
    throw proxyOfSymbol();
  }
  assertCallback(callback, "proxy", "callback");
  const group = groupFor(obj);
  if (callback === undefined) {
    const shared = group.sharedProxy?.deref();
    if (shared !== undefined) return shared as T;
  }
  const handler = new WeakProxyHandler(obj);
  const weakProxy = new Proxy(makeDummy(obj, handler), handler);
  handler.proxy = weakProxy;
  proxies.add(weakProxy);
  if (callback === undefined) group.sharedProxy = new WeakRef(weakProxy);
  else group.add(obj, weakProxy, true, callback as Reaction);
  return weakProxy as T;
}

/**
 * True if `x` is a proxy made by {@link proxy}, alive or dead (Python: `type(x) in weakref.ProxyTypes`).
 * Never runs a trap, so it does not throw for a dead proxy. Anything else, including values that
 * cannot be weakly referenced, gives false.
 *
 * @example
 *   isProxy(proxy(obj)); // true
 *   isProxy(obj);        // false
 */
export function isProxy(x: unknown): x is object {
  return (typeof x === "object" || typeof x === "function") && x !== null && proxies.has(x);
}
