// proxy() and isProxy(): every trap one by one, `this` for methods, getters and setters, calls and
// `new`, arrays, the Proxy-invariant corners, sharing, callbacks, and the dead proxy's ReferenceError.
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getWeakRefCount, isProxy, proxy, ref } from "../../src/refs/index.js";
import { collect } from "../../src/testing/index.js";
import { collected, makeWatched, NOT_CALLBACKS, NOT_WEAKABLE } from "./helpers.js";

const DEAD = "weakly-referenced object no longer exists";

afterEach(() => {
  vi.restoreAllMocks();
});

class Counter {
  #count = 0;
  label = "counter";
  increment(by = 1): number {
    this.#count += by;
    return this.#count;
  }
  get count(): number {
    return this.#count;
  }
  set count(value: number) {
    this.#count = value;
  }
  self(): this {
    return this;
  }
}

/** A proxy of a fresh object from `make`, and a WeakRef that tells when that object is collected. */
function watchedProxy<T extends object>(make: () => T): [WeakRef<T>, T] {
  const obj = make();
  return [new WeakRef(obj), proxy(obj)];
}

/**
 * A proxy whose referent has been collected. Wrapped in an object: resolving a promise with the dead
 * proxy itself would look up its `then` and reject (the pitfall the docs describe, tested below).
 */
async function deadProxy<T extends object>(make: () => T): Promise<{ dead: T }> {
  const [wr, dead] = watchedProxy(make);
  await collected(wr);
  return { dead };
}

describe("proxy() forwarding, trap by trap", () => {
  it("get and set, including symbols", () => {
    const key = Symbol("key");
    const obj: Record<string | symbol, unknown> = { a: 1, [key]: "s" };
    const p = proxy(obj);
    expect(p.a).toBe(1);
    expect(p[key]).toBe("s");
    p.b = 2;
    p[key] = "t";
    expect(obj.b).toBe(2);
    expect(obj[key]).toBe("t");
    expect(p.missing).toBeUndefined();
  });

  it("has (the in operator)", () => {
    const obj = Object.create({ inherited: 1 }) as Record<string, unknown>;
    obj.own = 1;
    const p = proxy(obj);
    expect("own" in p).toBe(true);
    expect("inherited" in p).toBe(true);
    expect("nope" in p).toBe(false);
  });

  it("deleteProperty", () => {
    const obj: Record<string, unknown> = { a: 1 };
    const p = proxy(obj);
    expect(delete p.a).toBe(true);
    expect("a" in obj).toBe(false);
    const sealed = Object.seal({ fixed: 1 }) as Record<string, unknown>;
    expect(Reflect.deleteProperty(proxy(sealed), "fixed")).toBe(false);
    expect(sealed.fixed).toBe(1);
  });

  it("ownKeys (Object.keys, Reflect.ownKeys, for-in, spread)", () => {
    const key = Symbol("k");
    const obj = { b: 1, a: 2, [key]: 3 };
    Object.defineProperty(obj, "hidden", { value: 4, enumerable: false, configurable: true });
    const p = proxy(obj);
    expect(Object.keys(p)).toEqual(["b", "a"]);
    expect(Reflect.ownKeys(p)).toEqual(["b", "a", "hidden", key]);
    const seen: string[] = [];
    for (const k in p) seen.push(k);
    expect(seen).toEqual(["b", "a"]);
    expect({ ...p }).toEqual({ b: 1, a: 2, [key]: 3 });
  });

  it("getOwnPropertyDescriptor, reporting non-configurable properties as configurable", () => {
    const getter = () => 5;
    const obj = { a: 1 };
    Object.defineProperty(obj, "g", { get: getter, enumerable: false, configurable: true });
    Object.defineProperty(obj, "fixed", { value: 7, writable: false, enumerable: true, configurable: false });
    const p = proxy(obj);
    expect(Object.getOwnPropertyDescriptor(p, "a")).toEqual({ value: 1, writable: true, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(p, "g")).toEqual({ get: getter, set: undefined, enumerable: false, configurable: true });
    expect(Object.getOwnPropertyDescriptor(p, "fixed")).toEqual({ value: 7, writable: false, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(p, "none")).toBeUndefined();
    const frozen = proxy(Object.freeze({ x: { deep: 1 } }));
    expect(frozen.x.deep).toBe(1);
    expect(Object.getOwnPropertyDescriptor(frozen, "x")?.configurable).toBe(true);
  });

  it("defineProperty, with the defaults applied to the referent", () => {
    const obj: Record<string, unknown> = {};
    const p = proxy(obj);
    Object.defineProperty(p, "a", { value: 1, writable: true, enumerable: true, configurable: true });
    expect(obj.a).toBe(1);
    Object.defineProperty(p, "d", { value: 2 }); // absent fields default to false on the referent
    expect(Object.getOwnPropertyDescriptor(obj, "d")).toEqual({ value: 2, writable: false, enumerable: false, configurable: false });
    expect(p.d).toBe(2);
  });

  it("defineProperty with an explicit configurable: false throws TypeError and changes nothing", () => {
    const obj: Record<string, unknown> = { existing: 1 };
    const p = proxy(obj);
    expect(() => Object.defineProperty(p, "x", { value: 1, configurable: false })).toThrow(TypeError);
    expect(() => Object.defineProperty(p, "existing", { configurable: false })).toThrow(/do it on the referent/);
    expect("x" in obj).toBe(false);
    expect(Object.getOwnPropertyDescriptor(obj, "existing")?.configurable).toBe(true);
  });

  it("getPrototypeOf and setPrototypeOf (instanceof works)", () => {
    const counter = new Counter();
    const p = proxy(counter);
    expect(Object.getPrototypeOf(p)).toBe(Counter.prototype);
    expect(p).toBeInstanceOf(Counter);
    const other = { other: true };
    expect(Object.setPrototypeOf(p, other)).toBe(p);
    expect(Object.getPrototypeOf(counter)).toBe(other);
  });

  it("isExtensible is true; preventExtensions, seal and freeze throw TypeError and leave the referent alone", () => {
    const obj = { a: 1 };
    const p = proxy(obj);
    expect(Object.isExtensible(p)).toBe(true);
    expect(() => Object.preventExtensions(p)).toThrow(TypeError);
    expect(() => Object.seal(p)).toThrow(TypeError);
    expect(() => Object.freeze(p)).toThrow(TypeError);
    expect(Object.isExtensible(obj)).toBe(true);
    expect(Object.isFrozen(obj)).toBe(false);
    // A frozen referent: reads work, the proxy is still reported extensible.
    const frozen = proxy(Object.freeze({ a: 1 }));
    expect(frozen.a).toBe(1);
    expect(Object.isExtensible(frozen)).toBe(true);
    expect(() => {
      "use strict";
      (frozen as { a: number }).a = 2;
    }).toThrow(TypeError);
  });

  it("apply for a callable referent; typeof is 'function'", () => {
    function add(this: unknown, a: number, b: number) {
      return [this, a + b];
    }
    const p = proxy(add);
    expect(typeof p).toBe("function");
    expect(p(1, 2)).toEqual([undefined, 3]);
    const holder = { p };
    expect(holder.p(2, 3)).toEqual([holder, 5]);
    expect(p.call("x", 1, 1)).toEqual(["x", 2]);
    expect(p.name).toBe("add");
    expect(p.length).toBe(2);
    expect(typeof proxy({})).toBe("object");
    expect(() => (proxy({}) as unknown as () => void)()).toThrow(TypeError);
  });

  it("construct through a proxy of a class: new, new.target, instanceof, subclassing", () => {
    const targets: unknown[] = [];
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {
        targets.push(new.target);
      }
      norm() {
        return Math.hypot(this.x, this.y);
      }
    }
    const P = proxy(Point);
    expect(typeof P).toBe("function");
    const pt = new P(3, 4);
    expect(pt).toBeInstanceOf(Point);
    expect(pt).toBeInstanceOf(P);
    expect(pt.norm()).toBe(5);
    expect(targets[0]).toBe(Point);
    class Point3 extends P {
      z = 1;
    }
    const p3 = new Point3(1, 2);
    expect(p3).toBeInstanceOf(Point);
    expect(p3.z).toBe(1);
    expect(targets[1]).toBe(Point3);
    expect(P.prototype).toBe(Point.prototype);
    expect(() => (P as unknown as () => void)()).toThrow(TypeError); // a class is not callable
  });

  it("new on a proxy of a callable non-constructor throws TypeError", () => {
    const arrow = proxy(() => 1);
    expect(arrow()).toBe(1);
    expect(() => new (arrow as unknown as new () => object)()).toThrow(TypeError);
  });

  it("arrays: Array.isArray, JSON, length, methods", () => {
    const arr = [1, 2, 3];
    const p = proxy(arr);
    expect(Array.isArray(p)).toBe(true);
    expect(JSON.stringify(p)).toBe("[1,2,3]");
    expect(p.length).toBe(3);
    p.push(4);
    expect(arr).toEqual([1, 2, 3, 4]);
    expect(p.map((x) => x * 2)).toEqual([2, 4, 6, 8]);
    expect([...p]).toEqual([1, 2, 3, 4]);
    expect(Object.getOwnPropertyDescriptor(p, "length")).toEqual({ value: 4, writable: true, enumerable: false, configurable: false });
    p.length = 1;
    expect(arr).toEqual([1]);
    const frozen = proxy(Object.freeze([9]));
    expect(Object.getOwnPropertyDescriptor(frozen, "length")?.value).toBe(1);
    expect(() => Object.defineProperty(p, "length", { writable: false })).toThrow(TypeError);
    expect(Object.getOwnPropertyDescriptor(arr, "length")?.writable).toBe(true);
  });
});

describe("proxy() and `this`", () => {
  it("runs methods, getters and setters with the referent as `this`, so #private fields work", () => {
    const counter = new Counter();
    const p = proxy(counter);
    expect(p.increment()).toBe(1);
    expect(p.increment(2)).toBe(3);
    expect(p.count).toBe(3);
    p.count = 10;
    expect(counter.count).toBe(10);
    expect(p.self()).toBe(counter);
    expect(p.label).toBe("counter");
  });

  it("works for built-ins with internal slots (Map, Date)", () => {
    const map = new Map<string, number>();
    const p = proxy(map);
    p.set("a", 1);
    expect(p.get("a")).toBe(1);
    expect(p.size).toBe(1);
    expect([...p.keys()]).toEqual(["a"]);
    const date = proxy(new Date(0));
    expect(date.getTime()).toBe(0);
  });

  it("returns one wrapper per method, leaves `constructor` unwrapped, and passes a foreign `this` through", () => {
    const counter = new Counter();
    const p = proxy(counter);
    expect(p.increment).toBe(p.increment);
    expect(p.increment).not.toBe(Counter.prototype.increment);
    expect(p.increment.name).toBe("increment");
    expect(p.constructor).toBe(Counter);
    const other = new Counter();
    expect(p.increment.call(other, 5)).toBe(5);
    expect(counter.count).toBe(0);
    const bound = p.increment.bind(p);
    expect(bound()).toBe(1);
    expect(counter.count).toBe(1);
  });

  it("as a prototype, gives the inheriting object as `this` and sets properties on it", () => {
    const base = { greet(this: { name: string }) { return `hi ${this.name}`; }, name: "base" };
    const child = Object.create(proxy(base)) as typeof base;
    expect(child.name).toBe("base");
    child.name = "child";
    expect(base.name).toBe("base");
    expect(child.greet()).toBe("hi child");
  });
});

describe("proxy() sharing, identity and bad input", () => {
  it("shares one proxy per object without a callback, a new one with a callback", () => {
    const obj = {};
    const p = proxy(obj);
    expect(proxy(obj)).toBe(p);
    expect(proxy(obj, undefined)).toBe(p);
    const withCallback = proxy(obj, () => {});
    expect(withCallback).not.toBe(p);
    expect(proxy(obj, () => {})).not.toBe(withCallback);
    expect(getWeakRefCount(obj)).toBe(3);
  });

  it("isProxy is true only for proxies made by proxy(), and false for anything else", () => {
    const obj = {};
    expect(isProxy(proxy(obj))).toBe(true);
    expect(isProxy(proxy(() => {}))).toBe(true);
    expect(isProxy(obj)).toBe(false);
    expect(isProxy(new Proxy({}, {}))).toBe(false);
    for (const [value] of NOT_WEAKABLE) expect(isProxy(value)).toBe(false);
  });

  it("shows the referent in util.inspect, and that it is dead", async () => {
    expect(inspect(proxy({ a: 1 }))).toBe("WeakProxy { a: 1 }");
    const { dead } = await deadProxy(() => ({ a: 1 }));
    expect(inspect(dead)).toBe("WeakProxy <dead>");
  });

  it("throws TypeError naming the type for a referent that is not an object or function", () => {
    for (const [value, type] of NOT_WEAKABLE) {
      expect(() => proxy(value as object)).toThrow(TypeError);
      expect(() => proxy(value as object)).toThrow(type);
    }
    expect(() => proxy(Symbol("local") as unknown as object)).toThrow(/symbol/);
  });

  it("throws TypeError for a callback that is neither a function nor undefined, and changes nothing", () => {
    const obj = {};
    for (const callback of NOT_CALLBACKS) expect(() => proxy(obj, callback as () => void)).toThrow(TypeError);
    expect(getWeakRefCount(obj)).toBe(0);
  });
});

describe("proxy() with the real collector", () => {
  it("does not keep its referent alive, even after methods were called through it", async () => {
    const [counterRef, weakProxy] = watchedProxy(() => new Counter());
    expect(weakProxy.increment()).toBe(1);
    expect(weakProxy.count).toBe(1);
    const method = weakProxy.increment; // a wrapper holds the proxy, not the referent
    await collected(counterRef);
    expect(() => weakProxy.count).toThrow(ReferenceError);
    expect(() => method.call(weakProxy)).toThrow(new ReferenceError(DEAD));
  });

  it("throws ReferenceError with CPython's message for every operation once the referent is gone", async () => {
    const p = (await deadProxy(() => ({ a: 1 }))).dead as Record<string, unknown>;
    const f = (await deadProxy(() => function named() {})).dead as unknown as (...args: unknown[]) => unknown;
    const operations: Array<[string, () => unknown]> = [
      ["get", () => p.a],
      ["set", () => (p.a = 2)],
      ["has", () => "a" in p],
      ["deleteProperty", () => delete p.a],
      ["ownKeys", () => Object.keys(p)],
      ["getOwnPropertyDescriptor", () => Object.getOwnPropertyDescriptor(p, "a")],
      ["defineProperty", () => Object.defineProperty(p, "b", { value: 1, configurable: true })],
      ["getPrototypeOf", () => Object.getPrototypeOf(p)],
      ["setPrototypeOf", () => Object.setPrototypeOf(p, null)],
      ["isExtensible", () => Object.isExtensible(p)],
      ["preventExtensions", () => Object.preventExtensions(p)],
      ["String()", () => String(p)],
      ["template", () => `${String(p)}`],
      ["apply", () => f()],
      ["construct", () => new (f as unknown as new () => object)()],
    ];
    for (const [name, operation] of operations) {
      let thrown: unknown;
      try {
        operation();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, name).toBeInstanceOf(ReferenceError);
      expect((thrown as Error).message, name).toBe(DEAD);
    }
    expect(typeof f).toBe("function"); // typeof runs no trap
    expect(isProxy(p)).toBe(true);
  });

  it("rejects the promise of an async function that returns a dead proxy (then lookup), resolves a live one", async () => {
    const live = proxy({ a: 1 });
    const returnsLive = async () => live;
    await expect(returnsLive()).resolves.toBe(live);
    const { dead } = await deadProxy(() => ({ a: 1 }));
    const returnsDead = async () => dead;
    await expect(returnsDead()).rejects.toThrow(new ReferenceError(DEAD));
  });

  it("runs the callback once with the proxy, newest first together with ref callbacks", async () => {
    const order: string[] = [];
    const seen: unknown[] = [];
    const onProxy = (p: object) => {
      order.push("proxy");
      seen.push(p);
    };
    const onOldRef = () => order.push("old ref");
    const onNewRef = () => order.push("new ref");
    const [wr, holders] = makeWatched((o) => [ref(o, onOldRef), proxy(o, onProxy), ref(o, onNewRef)] as const);
    await collected(wr);
    await collect(() => order.length === 3);
    expect(order).toEqual(["new ref", "proxy", "old ref"]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(holders[1]);
    await collect();
    expect(order).toHaveLength(3);
  });

  it("does not run the callback of a proxy that was dropped first", async () => {
    const dropped = vi.fn();
    const kept = vi.fn();
    const [wr, keptProxy] = makeWatched((o) => {
      proxy(o, dropped);
      return proxy(o, kept);
    });
    await collected(wr);
    await collect(() => kept.mock.calls.length === 1);
    expect(kept.mock.calls[0][0]).toBe(keptProxy);
    expect(dropped).not.toHaveBeenCalled();
  });
});
