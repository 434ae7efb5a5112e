// IterableWeakMap's Map interface and Python extras, checked against Map where Map defines it.
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { IterableWeakMap, WeakValueMap, IterableWeakSet } from "../../src/index.js";

const objs = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

describe.each([
  ["without onCollect", undefined],
  ["with onCollect", { onCollect: () => {} }],
])("IterableWeakMap %s", (_name, options) => {
  it("behaves like a Map for set, get, has, delete, size and order", () => {
    const keys = objs(400);
    const map = new IterableWeakMap<object, number>(null, options);
    const model = new Map<object, number>();
    keys.forEach((k, i) => {
      map.set(k, i);
      model.set(k, i);
    });
    for (let i = 0; i < 400; i += 3) expect(map.delete(keys[i]!)).toBe(model.delete(keys[i]!));
    for (let i = 1; i < 400; i += 5) {
      map.set(keys[i]!, -i);
      model.set(keys[i]!, -i);
    }
    expect([...map]).toEqual([...model]);
    expect([...map.keys()]).toEqual([...model.keys()]);
    expect([...map.values()]).toEqual([...model.values()]);
    for (const k of keys) {
      expect(map.get(k)).toBe(model.get(k));
      expect(map.has(k)).toBe(model.has(k));
    }
    expect(map.size).toBe(model.size);
  });

  it("stores undefined values and tells them apart from absent keys", () => {
    const [a, b] = objs(2) as [object, object];
    const map = new IterableWeakMap<object, undefined | number>(null, options);
    map.set(a, undefined);
    expect(map.has(a)).toBe(true);
    expect(map.has(b)).toBe(false);
    expect([...map]).toEqual([[a, undefined]]);
  });

  it("has pop, popItem, setDefault, upsert, update, copy and keyRefs", () => {
    const [a, b, c] = objs(3) as [object, object, object];
    const map = new IterableWeakMap<object, string>([[a, "a"], [b, "b"]], options);
    expect(map.setDefault(a, "other")).toBe("a");
    expect(map.getOrInsert(c, "c")).toBe("c");
    expect(map.getOrInsertComputed(c, () => "never")).toBe("c");
    expect(map.copy().size).toBe(3);
    expect(map.keyRefs().map((r) => r.deref())).toEqual([a, b, c]);
    expect(map.popItem()).toEqual([c, "c"]);
    expect(map.pop(a)).toBe("a");
    expect(map.pop(a)).toBeUndefined();
    map.update(new Map([[a, "A"]]));
    expect([...map]).toEqual([[b, "b"], [a, "A"]]);
    map.clear();
    expect(map.size).toBe(0);
    expect(map.get(b)).toBeUndefined();
    expect(Object.prototype.toString.call(map)).toBe("[object IterableWeakMap]");
  });

  it("rejects keys that cannot be weakly referenced and changes nothing", () => {
    const [a] = objs(1) as [object];
    const map = new IterableWeakMap<object, number>([[a, 1]], options);
    for (const [bad, type] of [[1, "number"], [null, "null"], [Symbol.for("x"), "symbol"], [undefined, "undefined"]] as const) {
      expect(() => map.set(bad as never, 2)).toThrow(new RegExp(type));
      expect(() => map.update([[{}, 3], [bad as never, 4]])).toThrow(TypeError);
      expect(() => map.getOrInsertComputed(bad as never, () => 5)).toThrow(TypeError);
      expect(map.get(bad as never)).toBeUndefined();
      expect(map.has(bad as never)).toBe(false);
      expect(map.delete(bad as never)).toBe(false);
    }
    expect([...map]).toEqual([[a, 1]]);
  });
});

describe("util.inspect", () => {
  it("shows live entries like a Map or Set does, under the container's name", () => {
    const value = { v: 1 };
    const key = { k: 1 };
    expect(inspect(new WeakValueMap([["a", value]]))).toBe("WeakValueMap(1) { 'a' => { v: 1 } }");
    expect(inspect(new IterableWeakMap([[key, 2]]))).toBe("IterableWeakMap(1) { { k: 1 } => 2 }");
    expect(inspect(new IterableWeakSet([key]))).toBe("IterableWeakSet(1) { { k: 1 } }");
  });
});
