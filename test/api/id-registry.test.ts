// IdRegistry and the module functions id()/id2obj(), with strong references held by the test.
import { describe, expect, it } from "vitest";
import { IdRegistry, id, id2obj } from "../../src/index.js";

describe("IdRegistry", () => {
  it("remember is idempotent per object and ids are positive safe integers in order", () => {
    const registry = new IdRegistry<object>();
    const objects = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const ids = objects.map((o) => registry.remember(o));
    for (const [i, o] of objects.entries()) {
      expect(registry.remember(o)).toBe(ids[i]);
      expect(Number.isSafeInteger(ids[i])).toBe(true);
      expect(ids[i]).toBeGreaterThan(0);
      expect(registry.get(ids[i]!)).toBe(o);
      expect(registry.idOf(o)).toBe(ids[i]);
      expect(registry.has(ids[i]!)).toBe(true);
    }
    expect(new Set(ids).size).toBe(1000);
    expect(registry.size).toBe(1000);
    expect([...registry]).toEqual(objects.map((o, i) => [ids[i], o]));
  });

  it("never hands out an id twice: a forgotten object's id stays dead, remembering again gives a new id at the end", () => {
    const registry = new IdRegistry<object>();
    const a = { name: "a" };
    const b = { name: "b" };
    const idA = registry.remember(a);
    const idB = registry.remember(b);
    expect(registry.forget(idA)).toBe(true);
    expect(registry.forget(idA)).toBe(false);
    expect(registry.get(idA)).toBeUndefined();
    expect(registry.idOf(a)).toBeUndefined();
    const again = registry.remember(a);
    expect(again).not.toBe(idA); // ids carry no order (API.md): only never handed out twice
    expect(again).not.toBe(idB);
    expect(registry.get(idA)).toBeUndefined();
    expect([...registry].map(([, o]) => o)).toEqual([b, a]);
  });

  it("finds nothing for ids that are not positive safe integers", () => {
    const registry = new IdRegistry<object>();
    const a = {};
    registry.remember(a);
    for (const bad of [0, -1, 1.5, NaN, Infinity, 2 ** 53, "1", 1n, null, undefined, {}]) {
      expect(registry.get(bad as number)).toBeUndefined();
      expect(registry.has(bad as number)).toBe(false);
      expect(registry.forget(bad as number)).toBe(false);
    }
    expect(registry.size).toBe(1);
  });

  it("rejects what cannot be weakly referenced with a TypeError naming its type, and changes nothing", () => {
    const registry = new IdRegistry<object>();
    for (const [bad, type] of [[1, "number"], ["x", "string"], [null, "null"], [undefined, "undefined"], [Symbol.for("r"), "symbol"]] as const) {
      expect(() => registry.remember(bad as never)).toThrow(new RegExp(`TypeError|${type}`));
      expect(() => registry.remember(bad as never)).toThrow(new RegExp(type));
      expect(() => id(bad as never)).toThrow(TypeError);
      expect(registry.idOf(bad as never)).toBeUndefined();
    }
    expect(registry.size).toBe(0);
    expect(registry.stats().size).toBe(0);
  });

  it("separate registries hand out independent ids", () => {
    const one = new IdRegistry<object>();
    const two = new IdRegistry<object>();
    const o = {};
    expect(one.remember(o)).toBe(1);
    expect(two.remember({})).toBe(1);
    expect(two.get(1)).not.toBe(o);
    expect(Object.prototype.toString.call(one)).toBe("[object IdRegistry]");
  });
});

describe("id() and id2obj()", () => {
  it("round-trip through the default registry", () => {
    const someObject = { answer: 42 };
    const oid = id(someObject);
    expect(id(someObject)).toBe(oid);
    expect(id2obj(oid)).toBe(someObject);
    expect(id2obj(oid + 1_000_000)).toBeUndefined();
  });
});
