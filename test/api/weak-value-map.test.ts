// Every public member of WeakValueMap, with strong references held by the test (no collection
// here: test/gc/ covers that). Each behaviour is checked against a plain Map where Map defines it.
import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../../src/index.js";
import { KEY_KINDS, SPECIAL_KEYS } from "../fixtures/keys.js";
import { wasmAvailable } from "../../src/wasm/instance.js";

const v = (name: string) => ({ name });

describe.each(KEY_KINDS)("WeakValueMap with $name keys", ({ make }) => {
  it("behaves like a Map for set, get, has, delete, size and order", () => {
    const map = new WeakValueMap<unknown, object>();
    const model = new Map<unknown, object>();
    const values = Array.from({ length: 300 }, (_, i) => v(`v${i}`));
    for (let i = 0; i < 300; i++) {
      map.set(make(i), values[i]!);
      model.set(make(i), values[i]!);
    }
    for (let i = 0; i < 300; i += 3) {
      expect(map.delete(make(i))).toBe(model.delete(make(i)));
    }
    for (let i = 1; i < 300; i += 7) {
      map.set(make(i), values[(i * 11) % 300]!); // overwrite keeps the place
      model.set(make(i), values[(i * 11) % 300]!);
    }
    expect(map.size).toBe(model.size);
    expect([...map]).toEqual([...model]);
    expect([...map.keys()]).toEqual([...model.keys()]);
    expect([...map.values()]).toEqual([...model.values()]);
    for (let i = 0; i < 310; i++) {
      expect(map.get(make(i))).toBe(model.get(make(i)));
      expect(map.has(make(i))).toBe(model.has(make(i)));
    }
    expect(map.delete(make(0))).toBe(false);
  });

  it("grows and shrinks through thousands of inserts and deletes", () => {
    const map = new WeakValueMap<unknown, object>();
    const model = new Map<unknown, object>();
    const values = Array.from({ length: 5000 }, (_, i) => v(`v${i}`));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5000; i++) {
        map.set(make(i), values[i]!);
        model.set(make(i), values[i]!);
      }
      for (let i = 0; i < 5000; i++) {
        if (i % 10 !== round) {
          map.delete(make(i));
          model.delete(make(i));
        }
      }
      expect([...map]).toEqual([...model]);
      expect(map.stats().capacity).toBeGreaterThanOrEqual(map.size);
    }
    for (const key of [...map.keys()]) map.delete(key);
    expect(map.stats().capacity).toBeLessThanOrEqual(16); // it shrinks once emptied
    expect(map.stats().bytes).toBeLessThan(1024);
  });
});

describe("WeakValueMap keys", () => {
  it("compares keys with SameValueZero, like Map", () => {
    for (const key of SPECIAL_KEYS) {
      const map = new WeakValueMap<unknown, object>();
      const model = new Map<unknown, object>();
      const a = v("a");
      map.set(key, a);
      model.set(key, a);
      for (const probe of SPECIAL_KEYS) expect(map.get(probe)).toBe(model.get(probe));
      expect([...map.keys()]).toEqual([...model.keys()]);
    }
  });

  it("stores and returns a -0 key as 0", () => {
    const map = new WeakValueMap<number, object>([[-0, v("zero")]]);
    const [key] = map.keys();
    expect(Object.is(key, 0)).toBe(true);
    expect(map.get(0)).toEqual({ name: "zero" });
  });

  it("treats every NaN as one key", () => {
    const map = new WeakValueMap<number, object>();
    const bits = new DataView(new ArrayBuffer(8));
    bits.setFloat64(0, NaN);
    bits.setUint32(4, 12345); // a NaN with another payload
    const otherNaN = bits.getFloat64(0);
    map.set(NaN, v("first"));
    map.set(otherNaN, v("second"));
    expect(map.size).toBe(1);
    expect(map.get(NaN)).toEqual({ name: "second" });
  });

  it("keeps number and string keys apart", () => {
    const map = new WeakValueMap<unknown, object>([
      [1, v("number")],
      ["1", v("string")],
      [1n, v("bigint")],
    ]);
    expect(map.size).toBe(3);
    expect(map.get(1)).toEqual({ name: "number" });
    expect(map.get("1")).toEqual({ name: "string" });
    expect(map.get(1n)).toEqual({ name: "bigint" });
  });
});

describe("WeakValueMap iteration", () => {
  it("sees deletes and inserts made during iteration exactly as Map does", () => {
    const values = Array.from({ length: 200 }, (_, i) => v(`v${i}`));
    const run = (map: Map<number, object>) => {
      const seen: number[] = [];
      for (const [key] of map) {
        seen.push(key);
        if (key % 3 === 0) map.delete(key + 1);
        if (key < 40) map.set(key + 200, values[key]!);
        if (key === 100) for (let k = 0; k < 100; k++) map.delete(k); // enough tombstones to compact
      }
      return seen;
    };
    const map = new WeakValueMap<number, object>(values.map((value, i) => [i, value]));
    const model = new Map<number, object>(values.map((value, i) => [i, value]));
    expect(run(map)).toEqual(run(model));
    expect([...map]).toEqual([...model]);
  });

  it("continues after clear() with the entries added since, like Map", () => {
    const values = Array.from({ length: 10 }, (_, i) => v(`v${i}`));
    const run = (map: Map<number, object>) => {
      const seen: number[] = [];
      for (const [key] of map) {
        seen.push(key);
        if (key === 3) {
          map.clear();
          map.set(100, values[0]!);
          map.set(101, values[1]!);
        }
      }
      return seen;
    };
    expect(run(new WeakValueMap(values.map((value, i) => [i, value])))).toEqual(
      run(new Map(values.map((value, i) => [i, value]))),
    );
  });

  it("stays done once done, like Map iterators", () => {
    const map = new WeakValueMap<number, object>([[1, v("a")]]);
    const iterator = map.keys();
    expect(iterator.next()).toEqual({ done: false, value: 1 });
    expect(iterator.next().done).toBe(true);
    map.set(2, v("b"));
    expect(iterator.next().done).toBe(true);
  });

  it("has forEach with thisArg, and iterators that are iterable and tagged", () => {
    const a = v("a");
    const b = v("b");
    const map = new WeakValueMap<string, object>([["a", a], ["b", b]]);
    const calls: unknown[] = [];
    const self = {};
    map.forEach(function (this: unknown, value, key, owner) {
      calls.push([this, value, key, owner]);
    }, self);
    expect(calls).toEqual([[self, a, "a", map], [self, b, "b", map]]);
    const entries = map.entries();
    expect(entries[Symbol.iterator]()).toBe(entries);
    expect(Object.prototype.toString.call(entries)).toBe("[object WeakValueMap Iterator]");
    expect(Object.prototype.toString.call(map)).toBe("[object WeakValueMap]");
    expect(() => map.forEach(42 as never)).toThrow(TypeError);
  });
});

describe("WeakValueMap Python extras and upsert", () => {
  it("setDefault and getOrInsert return the live value or insert", () => {
    const map = new WeakValueMap<string, object>();
    const a = v("a");
    const b = v("b");
    expect(map.setDefault("k", a)).toBe(a);
    expect(map.setDefault("k", b)).toBe(a);
    expect(map.getOrInsert("j", b)).toBe(b);
    expect(map.getOrInsert("j", a)).toBe(b);
    expect([...map.keys()]).toEqual(["k", "j"]);
  });

  it("getOrInsertComputed calls the callback only when needed", () => {
    const map = new WeakValueMap<number, object>();
    const made: number[] = [];
    const make = (key: number) => (made.push(key), v(`computed ${key}`));
    const first = map.getOrInsertComputed(7, make);
    expect(map.getOrInsertComputed(7, make)).toBe(first);
    expect(made).toEqual([7]);
  });

  it("pop removes and returns the live value", () => {
    const a = v("a");
    const map = new WeakValueMap<string, object>([["a", a]]);
    expect(map.pop("missing")).toBeUndefined();
    expect(map.pop("a")).toBe(a);
    expect(map.size).toBe(0);
    expect(map.pop("a")).toBeUndefined();
  });

  it("popItem removes the last entry in iteration order", () => {
    const values = [v("a"), v("b"), v("c")];
    const map = new WeakValueMap<string, object>([["a", values[0]!], ["b", values[1]!], ["c", values[2]!]]);
    map.set("a", values[0]!); // re-setting keeps "a" first
    expect(map.popItem()).toEqual(["c", values[2]]);
    expect(map.popItem()).toEqual(["b", values[1]]);
    expect(map.popItem()).toEqual(["a", values[0]]);
    expect(map.popItem()).toBeUndefined();
  });

  it("update takes any iterable of pairs, copy copies live entries in order", () => {
    const a = v("a");
    const b = v("b");
    const map = new WeakValueMap<string, object>();
    map.update(new Map([["a", a]])).update([["b", b]]);
    const copy = map.copy();
    expect([...copy]).toEqual([["a", a], ["b", b]]);
    copy.delete("a");
    expect(map.get("a")).toBe(a);
  });

  it("flush() is 0 with nothing pending and stats() describes the table", () => {
    const map = new WeakValueMap<number, object>();
    expect(map.stats()).toEqual({ size: 0, capacity: 0, pending: 0, bytes: 0, backend: wasmAvailable() ? "wasm" : "js" });
    const values = Array.from({ length: 100 }, (_, i) => v(`v${i}`));
    values.forEach((value, i) => map.set(i, value));
    expect(map.flush()).toBe(0);
    const stats = map.stats();
    expect(stats.size).toBe(100);
    expect(stats.capacity).toBeGreaterThanOrEqual(100);
    expect(stats.pending).toBe(0);
    expect(stats.bytes).toBeGreaterThan(100 * 16);
  });
});

describe("WeakValueMap bad input", () => {
  const notWeak: Array<[unknown, string]> = [
    [1, "number"],
    ["s", "string"],
    [null, "null"],
    [undefined, "undefined"],
    [true, "boolean"],
    [10n, "bigint"],
    [Symbol.for("registered"), "symbol"],
  ];

  it.each(notWeak)("set(%s) throws a TypeError naming %s and changes nothing", (value, type) => {
    const a = v("a");
    const map = new WeakValueMap<unknown, object>([["a", a]]);
    expect(() => map.set("a", value as object)).toThrow(TypeError);
    expect(() => map.set("b", value as object)).toThrow(new RegExp(`\\b${type}\\b`));
    expect([...map]).toEqual([["a", a]]);
    expect(() => map.setDefault("c", value as object)).toThrow(TypeError);
    expect(() => map.getOrInsert("c", value as object)).toThrow(TypeError);
    expect(() => map.getOrInsertComputed("c", () => value as object)).toThrow(TypeError);
    expect(() => map.update([["c", v("c")], ["d", value as object]])).toThrow(TypeError);
    expect(() => new WeakValueMap([["c", value as object]])).toThrow(TypeError);
    expect([...map]).toEqual([["a", a]]);
    expect(map.stats().size).toBe(1);
  });

  it("accepts functions and non-registered symbols as values", () => {
    const map = new WeakValueMap<string, WeakKey>();
    const fn = () => 1;
    const sym = Symbol("local");
    map.set("f", fn).set("s", sym);
    expect(map.get("f")).toBe(fn);
    expect(map.get("s")).toBe(sym);
  });

  it("rejects a non-function onCollect, non-iterable entries and non-pair entries", () => {
    expect(() => new WeakValueMap(null, { onCollect: 5 as never })).toThrow(/onCollect.*number/);
    expect(() => new WeakValueMap(5 as never)).toThrow(/iterable.*number/);
    expect(() => new WeakValueMap([5] as never)).toThrow(/pair/);
    const map = new WeakValueMap<string, object>();
    expect(() => map.update(undefined as never)).toThrow(TypeError);
    expect(() => map.getOrInsertComputed("k", "nope" as never)).toThrow(/callback.*string/);
    expect(map.size).toBe(0);
  });
});

// Empty stores share one never-written pairs array until their first insert (and again after
// clear): no empty map may see another's entries through it, whatever order they fill in.
describe("WeakValueMap empty containers", () => {
  it("fill, clear and refill independently of each other", () => {
    const maps = Array.from({ length: 4 }, () => new WeakValueMap<number, object>());
    const values = Array.from({ length: 8 }, (_, i) => v(`v${i}`));
    maps[2]!.set(1, values[0]!);
    expect(maps.map((m) => m.size)).toEqual([0, 0, 1, 0]);
    expect([maps[0]!.get(1), maps[1]!.get(1), maps[3]!.get(1)]).toEqual([undefined, undefined, undefined]);
    maps[2]!.clear();
    maps[0]!.set(1, values[1]!);
    expect(maps[2]!.get(1)).toBeUndefined();
    maps[2]!.set(1, values[2]!);
    maps[2]!.set(2, values[3]!);
    expect([maps[0]!.get(1), maps[2]!.get(1), maps[2]!.get(2)]).toEqual([values[1], values[2], values[3]]);
    expect([...maps[2]!.values()]).toEqual([values[2], values[3]]);
    expect([...maps[1]!], "a map never filled").toEqual([]);
    expect([...maps[3]!.keys()]).toEqual([]);
    expect(maps[1]!.stats().bytes).toBe(0);
    maps[0]!.clear();
    maps[0]!.clear();
    expect(maps[0]!.size).toBe(0);
    expect([...maps[0]!]).toEqual([]);
  });
});
