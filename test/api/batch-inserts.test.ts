// Batch inserts (the constructors, update, and IterableWeakSet's constructor) read each entry once,
// as `new Map` and `new Set` do, add through `this.set`/`this.add`, and are all-or-nothing: a bad
// entry is a clear TypeError, the container is unchanged and the source's iterator is closed.
// Issue 9 §2 and issue 12 §2. Every case is compared with what a native Map or Set does.
import { describe, expect, it } from "vitest";
import { IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const objs = Array.from({ length: 4 }, (_, i) => ({ i }));
const [a, b, c, d] = objs as [object, object, object, object];

/** Everything observable about a map: size, entries in order, and each key's get/has. */
function contents(map: Map<unknown, unknown> | WeakValueMap<unknown, object> | IterableWeakMap<object, unknown>) {
  const entries = [...map.entries()];
  return { size: map.size, entries, lookups: entries.map(([k]) => [(map as Any).get(k), (map as Any).has(k)]) };
}

/** An iterable that hands out one array again and again, rewritten between steps. */
function reusingOneArray(pairs: Array<[unknown, unknown]>): Iterable<[unknown, unknown]> {
  return {
    *[Symbol.iterator]() {
      const entry: [unknown, unknown] = [undefined, undefined];
      for (const [key, value] of pairs) {
        entry[0] = key;
        entry[1] = value;
        yield entry;
      }
    },
  };
}

/** An entry whose own iterator disagrees with its indices. */
function lyingEntry(key: unknown, value: unknown, iterated: [unknown, unknown]): unknown {
  const entry = [key, value];
  Object.defineProperty(entry, Symbol.iterator, { value: () => iterated[Symbol.iterator]() });
  return entry;
}

/** An iterable that records whether its iterator was closed, and how many steps it gave. */
function watched<T>(items: Iterable<T>, infinite: T | undefined = undefined) {
  const log = { closed: 0, steps: 0 };
  const iterable = {
    [Symbol.iterator]() {
      const inner = items[Symbol.iterator]();
      return {
        next() {
          log.steps++;
          const step = inner.next();
          if (step.done && infinite !== undefined) return { done: false, value: infinite };
          return step;
        },
        return() {
          log.closed++;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, log };
}

const MAPS = [
  { name: "WeakValueMap", make: (entries?: Any) => new WeakValueMap<Any, Any>(entries), pair: (k: Any, v: Any) => [k, v] as [Any, Any], good: (i: number) => [`k${i}`, objs[i]] as [Any, Any] },
  { name: "IterableWeakMap", make: (entries?: Any) => new IterableWeakMap<Any, Any>(entries), pair: (k: Any, v: Any) => [k, v] as [Any, Any], good: (i: number) => [objs[i], `v${i}`] as [Any, Any] },
];

describe.each(MAPS)("$name batch inserts", ({ make, good }) => {
  it("keep every pair of a source that reuses one array (as new Map does)", () => {
    const pairs = [good(0), good(1), good(2)];
    expect(contents(make(reusingOneArray(pairs)))).toEqual(contents(new Map(reusingOneArray(pairs))));
    const updated = make().update(reusingOneArray(pairs));
    expect(contents(updated)).toEqual(contents(new Map(pairs)));
  });

  it("read entry[0] and entry[1], never the entry's own iterator, and stay consistent", () => {
    const [k0, v0] = good(0);
    const [k1, v1] = good(1);
    const source = [lyingEntry(k0, v0, [k1, v1])];
    const map = make(source);
    expect(contents(map)).toEqual(contents(new Map(source as Any)));
    expect(map.size).toBe(1);
    expect(map.get(k0)).toBe(v0);
    expect(map.has(k1)).toBe(false);
    expect(map.delete(k0)).toBe(true);
    expect([...map]).toEqual([]);
  });

  it("accept an entry that is an object with 0 and 1 (as new Map does)", () => {
    const [k0, v0] = good(0);
    const map = make([{ 0: k0, 1: v0 }]);
    expect(contents(map)).toEqual(contents(new Map([{ 0: k0, 1: v0 }] as Any)));
  });

  it("read each index of an entry exactly once", () => {
    const [k0, v0] = good(0);
    const reads: string[] = [];
    const entry = {
      get 0() {
        reads.push("0");
        return k0;
      },
      get 1() {
        reads.push("1");
        return v0;
      },
    };
    make([entry]);
    const mapReads = reads.splice(0);
    new Map([entry] as Any);
    expect(mapReads).toEqual(reads);
    expect(mapReads).toEqual(["0", "1"]);
  });

  it("reject a non-object entry with a TypeError naming its type, change nothing, and close the source", () => {
    for (const bad of [1, "ab", null, undefined, true]) {
      const map = make([good(3)]);
      const before = contents(map);
      const { iterable, log } = watched<unknown>([good(0), bad, good(1)]);
      let error: unknown;
      try {
        map.update(iterable as Any);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(bad === null ? "null" : typeof bad);
      expect((error as Error).message).toMatch(/\[key, value\]/);
      expect(contents(map)).toEqual(before);
      expect(log).toEqual({ closed: 1, steps: 2 });
    }
  });

  it("close an endless source at the first entry that cannot be stored", () => {
    const [k0, v0] = good(0);
    const bad = make === MAPS[0]!.make ? ["bad", 5] : [5, "bad"];
    const { iterable, log } = watched<unknown>([[k0, v0]], bad);
    expect(() => make(iterable)).toThrow(TypeError);
    expect(log).toEqual({ closed: 1, steps: 2 });
  });

  it("update() with no argument does nothing; update(undefined) is still a TypeError", () => {
    const map = make([good(0), good(1)]);
    const before = contents(map);
    expect(map.update()).toBe(map);
    expect(contents(map)).toEqual(before);
    expect(() => map.update(undefined)).toThrow(TypeError);
    expect(contents(map)).toEqual(before);
  });
});

describe("batch inserts add through the instance's own set/add (as Map and Set do)", () => {
  it("WeakValueMap: a subclass's set runs for the constructor and update, once per entry", () => {
    const seen: unknown[] = [];
    class Logged<K, V extends WeakKey> extends WeakValueMap<K, V> {
      override set(key: K, value: V): this {
        seen.push(key);
        return super.set(key, value);
      }
    }
    const map = new Logged([["x", a], ["y", b]]);
    expect(seen).toEqual(["x", "y"]);
    map.update([["z", c]]);
    expect(seen).toEqual(["x", "y", "z"]);
    expect([...map.keys()]).toEqual(["x", "y", "z"]);
  });

  it("IterableWeakMap: a subclass's set runs", () => {
    const seen: unknown[] = [];
    class Logged<K extends WeakKey, V> extends IterableWeakMap<K, V> {
      override set(key: K, value: V): this {
        seen.push(value);
        return super.set(key, value);
      }
    }
    new Logged([[a, 1], [b, 2]]).update([[c, 3]]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("IterableWeakSet: a subclass's add runs", () => {
    const seen: unknown[] = [];
    class Logged<T extends WeakKey> extends IterableWeakSet<T> {
      override add(value: T): this {
        seen.push(value);
        return super.add(value);
      }
    }
    new Logged([a, b]);
    expect(seen).toEqual([a, b]);
  });

  it("but a bad entry still sets none: every entry is checked before the first set", () => {
    const seen: unknown[] = [];
    class Logged<K, V extends WeakKey> extends WeakValueMap<K, V> {
      override set(key: K, value: V): this {
        seen.push(key);
        return super.set(key, value);
      }
    }
    const map = new Logged<string, object>();
    expect(() => map.update([["x", a], ["y", 5 as never]])).toThrow(TypeError);
    expect(seen).toEqual([]);
    expect(map.size).toBe(0);
  });

  it("a set method that is not a function is a TypeError before the source is read", () => {
    const { iterable, log } = watched<unknown>([["x", a]]);
    class NoSet extends WeakValueMap<string, object> {}
    Object.defineProperty(NoSet.prototype, "set", { value: 1 });
    expect(() => new NoSet(iterable as Any)).toThrow(TypeError);
    expect(log.steps).toBe(0);
  });
});

describe("new IterableWeakSet(iterable)", () => {
  it("checks each element as it comes and closes the source at the first bad one", () => {
    const { iterable, log } = watched<unknown>([a, b, 7, c]);
    expect(() => new IterableWeakSet(iterable as Any)).toThrow(/element.*number/);
    expect(log).toEqual({ closed: 1, steps: 3 });
  });

  it("returns from an endless source with a bad element (TypeError, iterator closed)", () => {
    const { iterable, log } = watched<unknown>([a, b], "bad");
    expect(() => new IterableWeakSet(iterable as Any)).toThrow(TypeError);
    expect(log).toEqual({ closed: 1, steps: 3 });
  });

  it("keeps every element of a source that yields one object many times, once (as Set does)", () => {
    expect([...new IterableWeakSet([a, a, b, a, d])]).toEqual([...new Set([a, a, b, a, d])]);
  });
});
