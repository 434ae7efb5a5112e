// Ports of test262's tests of the Map and Set constructors, Map.prototype methods and the upsert
// proposal (getOrInsert, getOrInsertComputed on Map and WeakMap), rewritten for WeakValueMap,
// IterableWeakMap and IterableWeakSet. WeakValueMap takes any key, like Map; IterableWeakMap takes
// weakly referenceable keys, like WeakMap. One documented departure: a constructor or update()
// reads the whole source before it calls `set`/`add` (so a rejected batch changes nothing), so a
// `set` that throws does so after the source was read to its end, with nothing left to close.
import { describe, expect, it } from "vitest";
import { IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const a = { name: "a" };
const b = { name: "b" };

const MAPS = [
  { name: "WeakValueMap", Class: WeakValueMap as Any, key: (i: number) => `k${i}` as Any, value: (i: number) => ({ i }) as Any },
  { name: "IterableWeakMap", Class: IterableWeakMap as Any, key: (i: number) => ({ i }) as Any, value: (i: number) => `v${i}` as Any },
];

describe.each(MAPS)("$name, as test262 tests Map", ({ Class, key, value }) => {
  it("has length 0 and must be called with new", () => {
    expect(Class.length).toBe(0);
    expect(() => Class()).toThrow(TypeError);
  });

  it("prototype[Symbol.iterator] is prototype.entries; methods have Map's lengths", () => {
    expect(Class.prototype[Symbol.iterator]).toBe(Class.prototype.entries);
    const lengths = { get: 1, set: 2, has: 1, delete: 1, clear: 0, forEach: 1, keys: 0, values: 0, entries: 0, getOrInsert: 2, getOrInsertComputed: 2 };
    for (const [method, length] of Object.entries(lengths)) expect(Class.prototype[method].length, method).toBe(length);
    expect(Object.getOwnPropertyDescriptor(Class.prototype, "size")!.set).toBeUndefined();
  });

  it("the constructor reads `set` once, before the source, and a set that is not callable is a TypeError", () => {
    let reads = 0;
    let steps = 0;
    class Sub extends Class {}
    Object.defineProperty(Sub.prototype, "set", { get() {
      reads++;
      return Class.prototype.set;
    } });
    new (Sub as Any)({ *[Symbol.iterator]() { steps++; yield [key(0), value(0)]; } });
    expect(reads).toBe(1);
    expect(steps).toBe(1);
    class Broken extends Class {}
    Object.defineProperty(Broken.prototype, "set", { value: null });
    expect(() => new (Broken as Any)({ [Symbol.iterator]() {
      steps++;
      return [][Symbol.iterator]();
    } })).toThrow(TypeError);
    expect(steps).toBe(1);
  });

  it("an empty source, undefined or null calls no set", () => {
    let calls = 0;
    class Sub extends Class {
      set(...args: unknown[]) {
        calls++;
        return super.set(...args);
      }
    }
    new (Sub as Any)([]);
    new (Sub as Any)(undefined);
    new (Sub as Any)(null);
    expect(calls).toBe(0);
  });

  it("closes the source when an entry is not an object or reading it throws", () => {
    for (const bad of [1, () => ({ get 0() { throw new RangeError("boom"); } })]) {
      let closed = 0;
      const source = { [Symbol.iterator]: () => ({
        next: () => ({ done: false, value: typeof bad === "function" ? bad() : bad }),
        return: () => (closed++, {}),
      }) };
      expect(() => new Class(source)).toThrow(typeof bad === "function" ? RangeError : TypeError);
      expect(closed).toBe(1);
    }
  });

  it("does not close the source when next() itself throws", () => {
    let closed = 0;
    const source = { [Symbol.iterator]: () => ({
      next: () => {
        throw new RangeError("next");
      },
      return: () => (closed++, {}),
    }) };
    expect(() => new Class(source)).toThrow(RangeError);
    expect(closed).toBe(0);
  });

  it("departure: a throwing set runs after the source was read to the end", () => {
    let closed = 0;
    let steps = 0;
    class Sub extends Class {
      set(): never {
        throw new RangeError("set");
      }
    }
    const source = { [Symbol.iterator]: () => ({
      next: () => (steps++ < 2 ? { done: false, value: [key(steps), value(steps)] } : { done: true, value: undefined }),
      return: () => (closed++, {}),
    }) };
    expect(() => new (Sub as Any)(source)).toThrow(RangeError);
    expect({ steps, closed }).toEqual({ steps: 3, closed: 0 });
  });

  it("forEach visits entries added during the walk and skips those deleted before their turn", () => {
    const k = [0, 1, 2, 3].map(key);
    const v = [0, 1, 2, 3].map(value);
    const map = new Class([[k[0], v[0]], [k[1], v[1]], [k[2], v[2]]]);
    const seen: unknown[] = [];
    map.forEach((_value: unknown, entryKey: unknown) => {
      seen.push(entryKey);
      if (entryKey === k[0]) {
        map.delete(k[1]);
        map.set(k[3], v[3]);
      }
    });
    expect(seen).toEqual([k[0], k[2], k[3]]);
  });

  it("forEach passes (value, key, map) and thisArg; a callback that is not callable is a TypeError", () => {
    const map = new Class([[key(0), value(0)]]);
    const calls: unknown[][] = [];
    const self = {};
    map.forEach(function (this: unknown, ...args: unknown[]) {
      calls.push([this, ...args]);
    }, self);
    const [k0] = [...map.keys()];
    expect(calls).toHaveLength(1);
    const [thisArg, v, k, m] = calls[0]!;
    expect(thisArg).toBe(self);
    expect(k).toBe(k0);
    expect(v).toBe(map.get(k0));
    expect(m).toBe(map);
    for (const bad of [undefined, null, 1, {}]) expect(() => map.forEach(bad)).toThrow(TypeError);
  });

  it("getOrInsert returns the present value, or inserts at the end", () => {
    const map = new Class([[key(0), value(0)]]);
    const k0 = [...map.keys()][0];
    const v0 = map.get(k0);
    expect(map.getOrInsert(k0, value(9))).toBe(v0);
    const k1 = key(1);
    const v1 = value(1);
    expect(map.getOrInsert(k1, v1)).toBe(v1);
    expect([...map.keys()]).toEqual([k0, k1]);
  });

  it("getOrInsertComputed: a callback that is not callable is a TypeError even when the key is present", () => {
    const map = new Class([[key(0), value(0)]]);
    const k0 = [...map.keys()][0];
    for (const bad of [undefined, null, 1, "f", {}]) expect(() => map.getOrInsertComputed(k0, bad)).toThrow(TypeError);
    expect(() => map.getOrInsertComputed(k0)).toThrow(/getOrInsertComputed.*callback/);
  });

  it("getOrInsertComputed: no call when present; one call with exactly the key and undefined this", () => {
    const map = new Class([[key(0), value(0)]]);
    const k0 = [...map.keys()][0];
    let called = 0;
    map.getOrInsertComputed(k0, () => called++);
    expect(called).toBe(0);
    const k1 = key(1);
    const v1 = value(1);
    const calls: unknown[][] = [];
    expect(map.getOrInsertComputed(k1, function (this: unknown, ...args: unknown[]) {
      calls.push([this, ...args]);
      return v1;
    })).toBe(v1);
    expect(calls).toEqual([[undefined, k1]]);
    expect(map.get(k1)).toBe(v1);
  });

  it("getOrInsertComputed: a value the callback set for the key is overwritten in place", () => {
    const map = new Class([[key(0), value(0)]]);
    const k1 = key(1);
    const k2 = key(2);
    const v = [value(1), value(2), value(3)];
    const result = map.getOrInsertComputed(k1, () => {
      map.set(k1, v[0]);
      map.set(k2, v[1]);
      return v[2];
    });
    expect(result).toBe(v[2]);
    expect(map.get(k1)).toBe(v[2]);
    expect([...map.keys()].slice(1)).toEqual([k1, k2]);
  });

  it("getOrInsertComputed: a throwing callback inserts nothing", () => {
    const map = new Class();
    expect(() => map.getOrInsertComputed(key(0), () => {
      throw new RangeError("no");
    })).toThrow(RangeError);
    expect(map.size).toBe(0);
  });
});

describe("WeakValueMap keys, as test262 tests Map keys", () => {
  it("getOrInsertComputed(-0, cb) passes +0 to the callback and stores +0", () => {
    const map = new WeakValueMap<number, object>();
    const seen: number[] = [];
    map.getOrInsertComputed(-0, (k) => (seen.push(k), a));
    expect(Object.is(seen[0], 0)).toBe(true);
    expect(Object.is([...map.keys()][0], 0)).toBe(true);
    expect(map.getOrInsertComputed(0, () => b)).toBe(a);
  });

  it("getOrInsert(-0, v) stores +0", () => {
    const map = new WeakValueMap<number, object>();
    map.getOrInsert(-0, a);
    expect(Object.is([...map.keys()][0], 0)).toBe(true);
  });

  it("NaN keys are one key", () => {
    const map = new WeakValueMap<number, object>([[NaN, a]]);
    expect(map.getOrInsert(NaN, b)).toBe(a);
  });
});

describe("IterableWeakMap, as test262 tests WeakMap's upsert", () => {
  it("getOrInsertComputed checks the callback, then the key, and calls back only for a key that can be held", () => {
    const map = new IterableWeakMap<object, number>();
    let called = 0;
    expect(() => map.getOrInsertComputed(1 as never, () => called++)).toThrow(TypeError);
    expect(() => map.getOrInsertComputed(Symbol.for("registered") as never, () => called++)).toThrow(TypeError);
    expect(called).toBe(0);
    expect(() => map.getOrInsertComputed(1 as never, 1 as never)).toThrow(/callback/);
  });

  it("getOrInsert with a key that cannot be held is a TypeError", () => {
    const map = new IterableWeakMap<object, number>();
    for (const bad of [1, "s", null, undefined, Symbol.for("r")]) expect(() => map.getOrInsert(bad as never, 1)).toThrow(TypeError);
    expect(map.size).toBe(0);
  });
});

describe("IterableWeakSet, as test262 tests Set", () => {
  it("has length 0; keys and Symbol.iterator are values; add is read once and used for each element", () => {
    expect(IterableWeakSet.length).toBe(0);
    expect(IterableWeakSet.prototype.keys).toBe(IterableWeakSet.prototype.values);
    expect(IterableWeakSet.prototype[Symbol.iterator]).toBe(IterableWeakSet.prototype.values);
    expect(IterableWeakSet.prototype.forEach.length).toBe(1);
    const added: unknown[] = [];
    class Sub<T extends WeakKey> extends IterableWeakSet<T> {
      override add(value: T): this {
        added.push(value);
        return super.add(value);
      }
    }
    new Sub([a, b, a]);
    expect(added).toEqual([a, b, a]);
  });
});
