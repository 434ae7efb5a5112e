// Ports of CPython's Lib/test/test_weakref.py (MappingTestCase and the WeakSet tests) and of the
// basic mapping protocol of Lib/test/mapping_tests.py, to weaktable's names: WeakValueDictionary
// -> WeakValueMap, WeakKeyDictionary -> IterableWeakMap, WeakSet -> IterableWeakSet. Python's
// KeyError for a missing key is `undefined` here, `len()` is `size`, `in` is `has`, `items()` is
// `entries()`. Objects are dropped inside helper functions, so no async frame keeps them alive.
import { describe, expect, it } from "vitest";
import { IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

class Obj {
  constructor(readonly arg: number) {}
}

const COUNT = 10;

/** Runs checks in a frame of their own, so the async test's frame keeps none of their locals. */
function checkAll(checks: () => void): void {
  checks();
}

/** A WeakValueMap of COUNT fresh objects keyed by their arg; returns the map and the objects. */
function valueMapOfObjects(): [WeakValueMap<number, Obj>, Obj[]] {
  const objects = Array.from({ length: COUNT }, (_, i) => new Obj(i));
  const map = new WeakValueMap<number, Obj>();
  for (const o of objects) map.set(o.arg, o);
  return [map, objects];
}

function keyMapOfObjects(): [IterableWeakMap<Obj, number>, Obj[]] {
  const objects = Array.from({ length: COUNT }, (_, i) => new Obj(i));
  const map = new IterableWeakMap<Obj, number>();
  for (const o of objects) map.set(o, o.arg);
  return [map, objects];
}

describe("test_weakref MappingTestCase, WeakValueDictionary -> WeakValueMap", () => {
  it("test_weak_values: entries go as their values are collected", async () => {
    const [map, objects] = valueMapOfObjects();
    checkAll(() => {
      expect(map.size).toBe(COUNT);
      for (const o of objects) expect(map.get(o.arg)).toBe(o);
    });
    objects.length = 1; // drop all but the first
    await collect(() => map.size === 1);
    expect([...map.keys()]).toEqual([0]);
    objects.length = 0;
    await collect(() => map.size === 0);
    expect(map.get(0)).toBeUndefined();
  });

  it("test_weak_valued_iters: keys, values and entries agree, and each yields every live entry once", () => {
    const [map, objects] = valueMapOfObjects();
    expect([...map.keys()]).toEqual(objects.map((o) => o.arg));
    expect([...map.values()]).toEqual(objects);
    expect([...map.entries()]).toEqual(objects.map((o) => [o.arg, o]));
    expect([...map]).toEqual([...map.entries()]);
  });

  it("test_weak_valued_dict_popitem and pop", () => {
    const o1 = new Obj(1);
    const o2 = new Obj(2);
    const map = new WeakValueMap<string, Obj>([["a", o1], ["b", o2]]);
    expect(map.popItem()).toEqual(["b", o2]);
    expect(map.popItem()).toEqual(["a", o1]);
    expect(map.popItem()).toBeUndefined(); // Python raises KeyError
    map.set("c", o1);
    expect(map.pop("c")).toBe(o1);
    expect(map.pop("c")).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it("test_weak_valued_dict_setdefault: the first value stays", () => {
    const o1 = new Obj(1);
    const o2 = new Obj(2);
    const map = new WeakValueMap<string, Obj>();
    expect(map.setDefault("key", o1)).toBe(o1);
    expect(map.setDefault("key", o2)).toBe(o1);
    expect(map.get("key")).toBe(o1);
  });

  it("test_weak_valued_dict_update: from a Map, from pairs, with no argument", () => {
    const o = [new Obj(1), new Obj(2), new Obj(3)];
    const map = new WeakValueMap<number, Obj>();
    map.update(new Map([[1, o[0]!], [2, o[1]!]]));
    map.update([[3, o[2]!]]);
    map.update();
    expect([...map.keys()]).toEqual([1, 2, 3]);
    for (const value of o) expect(map.get(value.arg)).toBe(value);
  });

  it("test_weak_valued_delitem: delete of a missing key is false (Python: KeyError)", () => {
    const o1 = new Obj(1);
    const o2 = new Obj(2);
    const map = new WeakValueMap<string, Obj>([["something", o1], ["something else", o2]]);
    expect(map.delete("something")).toBe(true);
    expect(map.delete("something")).toBe(false);
    expect([...map]).toEqual([["something else", o2]]);
  });

  it("test_weak_valued_dict_copy: the copy has the same entries, and loses them as they die", async () => {
    const [map, objects] = valueMapOfObjects();
    const copied = map.copy();
    expect([...copied]).toEqual([...map]);
    objects.length = 0;
    await collect(() => copied.size === 0);
    expect(map.size).toBe(0);
  });

  it("test_make_weak_valued_dict_from_dict and from a weak dict", () => {
    const o = new Obj(3);
    const fromMap = new WeakValueMap(new Map([[3, o]]));
    expect(fromMap.get(3)).toBe(o);
    const fromWeak = new WeakValueMap(fromMap);
    expect(fromWeak.get(3)).toBe(o);
  });
});

describe("test_weakref MappingTestCase, WeakKeyDictionary -> IterableWeakMap", () => {
  it("test_weak_keys: entries go as their keys are collected", async () => {
    const [map, objects] = keyMapOfObjects();
    checkAll(() => {
      expect(map.size).toBe(COUNT);
      for (const o of objects) {
        expect(map.get(o)).toBe(o.arg);
        expect(map.has(o)).toBe(true);
      }
    });
    objects.length = 1;
    await collect(() => map.size === 1);
    objects.length = 0;
    await collect(() => map.size === 0);
  });

  it("test_weak_keyed_iters", () => {
    const [map, objects] = keyMapOfObjects();
    expect([...map.keys()]).toEqual(objects);
    expect([...map.values()]).toEqual(objects.map((o) => o.arg));
    for (const [k, v] of map) expect(k.arg).toBe(v);
  });

  it("test_weak_keyed_dict_popitem, pop and setdefault", () => {
    const k1 = new Obj(1);
    const k2 = new Obj(2);
    const map = new IterableWeakMap<Obj, string>([[k1, "v1"], [k2, "v2"]]);
    expect(map.popItem()).toEqual([k2, "v2"]);
    expect(map.pop(k1)).toBe("v1");
    expect(map.popItem()).toBeUndefined();
    expect(map.setDefault(k1, "x")).toBe("x");
    expect(map.setDefault(k1, "y")).toBe("x");
  });

  it("test_weak_keyed_bad_delitem: deleting a key that is not there, or cannot be held, is false", () => {
    const map = new IterableWeakMap<Obj, number>();
    expect(map.delete(new Obj(1))).toBe(false);
    expect(map.delete(1 as never)).toBe(false); // Python: TypeError for an unhashable/unweakrefable key
    expect(() => map.set(1 as never, 1)).toThrow(TypeError);
  });

  it("test_weak_keyed_dict_update and test_make_weak_keyed_dict_from_dict", () => {
    const k = [new Obj(1), new Obj(2)];
    const map = new IterableWeakMap<Obj, number>(new Map([[k[0]!, 1]]));
    map.update([[k[1]!, 2]]);
    expect([...map]).toEqual([[k[0], 1], [k[1], 2]]);
    expect(() => map.update([[k[0]!, 9], [3 as never, 3]])).toThrow(TypeError);
    expect(map.get(k[0]!)).toBe(1);
  });

  it("test_weak_keyed_dict_copy: the copy keeps values, and loses entries as keys die", async () => {
    const [map, objects] = keyMapOfObjects();
    const copied = map.copy();
    expect([...copied]).toEqual([...map]);
    objects.length = 0;
    await collect(() => copied.size === 0 && map.size === 0);
  });
});

describe("test_weakset, WeakSet -> IterableWeakSet", () => {
  const items = () => [new Obj(1), new Obj(2), new Obj(3), new Obj(4)];

  it("test_len, test_contains, test_add, test_discard/remove, test_clear", () => {
    const [a, b, c] = items();
    const set = new IterableWeakSet([a!, b!]);
    expect(set.size).toBe(2);
    expect(set.has(a!)).toBe(true);
    expect(set.has(c!)).toBe(false);
    expect(set.has(1 as never)).toBe(false); // Python: `1 in ws` is False
    set.add(c!).add(c!);
    expect(set.size).toBe(3);
    expect(set.delete(a!)).toBe(true);
    expect(set.delete(a!)).toBe(false);
    set.clear();
    expect(set.size).toBe(0);
  });

  it("test_union, test_intersection, test_difference, test_symmetric_difference, with sets and lists", () => {
    const [a, b, c, d] = items() as [Obj, Obj, Obj, Obj];
    const set = new IterableWeakSet([a, b, c]);
    for (const other of [new Set([c, d]), [c, d]]) {
      expect([...set.union(other)]).toEqual([a, b, c, d]);
      expect([...set.intersection(other)]).toEqual([c]);
      expect([...set.difference(other)]).toEqual([a, b]);
      expect([...set.symmetricDifference(other)]).toEqual([a, b, d]);
    }
    expect([...set]).toEqual([a, b, c]); // unchanged
  });

  it("test_sub_and_super: issubset and issuperset", () => {
    const [a, b, c] = items() as [Obj, Obj, Obj];
    const small = new IterableWeakSet([a]);
    const big = new IterableWeakSet([a, b, c]);
    expect(small.isSubsetOf(big)).toBe(true);
    expect(big.isSupersetOf(small)).toBe(true);
    expect(big.isSubsetOf(small)).toBe(false);
    expect(small.isSupersetOf(big)).toBe(false);
    expect(new IterableWeakSet().isSubsetOf(small)).toBe(true);
  });

  it("test_pop: empties the set, newest first, then gives undefined (Python: KeyError)", () => {
    const [a, b] = items();
    const set = new IterableWeakSet([a!, b!]);
    expect(set.pop()).toBe(b);
    expect(set.pop()).toBe(a);
    expect(set.pop()).toBeUndefined();
  });

  it("test_copy and test_len_cycles: elements leave as they are collected", async () => {
    const fill = () => {
      const kept = items();
      const set = new IterableWeakSet([...kept, ...items()]);
      return { set, kept, copy: set.copy() };
    };
    const { set, kept, copy } = fill();
    await collect(() => set.size === 4 && copy.size === 4);
    expect([...set]).toEqual(kept);
    expect([...copy]).toEqual(kept);
  });
});

describe("mapping_tests.BasicTestMappingProtocol", () => {
  const CASES = [
    { name: "WeakValueMap", make: () => new WeakValueMap<Any, Any>(), pairs: () => [["one", new Obj(1)], ["two", new Obj(2)]] as Any[], missing: () => "three" as Any },
    { name: "IterableWeakMap", make: () => new IterableWeakMap<Any, Any>(), pairs: () => [[new Obj(1), 1], [new Obj(2), 2]] as Any[], missing: () => new Obj(3) as Any },
  ];

  describe.each(CASES)("$name", ({ make, pairs, missing }) => {
    it("test_constructor, test_bool, test_len: an empty map", () => {
      const map = make();
      expect(map.size).toBe(0);
      expect([...map]).toEqual([]);
    });

    it("test_read: get, has, keys, values, entries of a filled map", () => {
      const reference = pairs();
      const map = make().update(reference);
      expect(map.size).toBe(reference.length);
      for (const [k, v] of reference) {
        expect(map.get(k)).toBe(v);
        expect(map.has(k)).toBe(true);
      }
      expect([...map.keys()]).toEqual(reference.map(([k]: Any) => k));
      expect([...map.values()]).toEqual(reference.map(([, v]: Any) => v));
      expect([...map.entries()]).toEqual(reference);
    });

    it("test_write: set overwrites in place, delete removes, update adds", () => {
      const [[k1, v1], [k2, v2]] = pairs();
      const map = make();
      map.set(k1, v2);
      map.set(k2, v1);
      map.set(k1, v1);
      expect([...map]).toEqual([[k1, v1], [k2, v1]]);
      expect(map.delete(k1)).toBe(true);
      expect([...map.keys()]).toEqual([k2]);
    });

    it("test_update: a bad source raises and changes nothing", () => {
      const reference = pairs();
      const map = make().update(reference);
      for (const bad of [1, {}, [1], [[reference[0][0]]].map(() => 5)]) {
        expect(() => map.update(bad as Any)).toThrow(TypeError);
        expect([...map]).toEqual(reference);
      }
      // A source whose iteration fails halfway: the error propagates, nothing is set.
      const failing = {
        *[Symbol.iterator]() {
          yield pairs()[0];
          throw new RangeError("halfway");
        },
      };
      expect(() => map.update(failing)).toThrow(RangeError);
      expect([...map]).toEqual(reference);
    });

    it("test_popitem on an empty map, test_pop of a missing key: undefined (Python: KeyError)", () => {
      const map = make();
      expect(map.popItem()).toBeUndefined();
      expect(map.pop(missing())).toBeUndefined();
    });

    it("test_get: a missing key gives undefined", () => {
      const map = make().update(pairs());
      expect(map.get(missing())).toBeUndefined();
    });
  });
});
