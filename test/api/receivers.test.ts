// Brand checks (issue 9 §5): every method of a container, called on something that is not an
// instance of that very class (another container, a native Map or Set, a plain object, undefined,
// an object that only inherits the prototype), throws a TypeError and changes nothing, as Map's
// and Set's methods do. And util.inspect of such a hollow object does not throw.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap } from "../../src/index.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const a = { name: "a" };
const b = { name: "b" };

/** Arguments that would make each method act if the receiver were accepted. */
const ARGS: Record<string, unknown[]> = {
  get: [a], has: [a], set: [a, b], delete: [a], add: [a], getOrInsert: [a, b], setDefault: [a, b],
  getOrInsertComputed: [a, () => b], update: [[[a, b]]], pop: [a], forEach: [() => {}], union: [new Set([a])],
  intersection: [new Set([a])], difference: [new Set([a])], symmetricDifference: [new Set([a])],
  isSubsetOf: [new Set([a])], isSupersetOf: [new Set([a])], isDisjointFrom: [new Set([a])],
  remember: [a], forget: [1], idOf: [a],
};

/** Receivers that are not the class, each with a snapshot of what must stay unchanged. */
function strangers() {
  const map = new Map<unknown, unknown>([[b, a]]);
  const set = new Set<unknown>([b]);
  const plain = { size: 1, get: () => b, has: () => false, set: () => plain, add: () => plain };
  return [
    { name: "a native Map", value: map, snapshot: () => [...map] },
    { name: "a native Set", value: set, snapshot: () => [...set] },
    { name: "a plain object with Map-like methods", value: plain, snapshot: () => Object.keys(plain) },
    { name: "an IterableWeakMap", value: new IterableWeakMap([[b, 1]]), snapshot: (x: Any) => [...x] },
    { name: "a WeakValueMap", value: new WeakValueMap([[b, a]]), snapshot: (x: Any) => [...x] },
    { name: "an IterableWeakSet", value: new IterableWeakSet([b]), snapshot: (x: Any) => [...x] },
    { name: "undefined", value: undefined, snapshot: () => undefined },
    { name: "null", value: null, snapshot: () => null },
    { name: "a number", value: 1, snapshot: () => 1 },
  ];
}

const CLASSES = [WeakValueMap, IterableWeakMap, IterableWeakSet, IdRegistry] as const;

function methodsOf(cls: Any): Array<[string, PropertyDescriptor]> {
  return Object.entries(Object.getOwnPropertyDescriptors(cls.prototype)).filter(
    ([name]) => name !== "constructor",
  ) as Array<[string, PropertyDescriptor]>;
}

describe.each(CLASSES.map((cls) => ({ cls, name: cls.name })))("$name methods on a wrong receiver", ({ cls, name }) => {
  it("throw a TypeError and change nothing", () => {
    let checked = 0;
    for (const [method, descriptor] of methodsOf(cls)) {
      const fn = descriptor.value ?? descriptor.get;
      if (typeof fn !== "function") continue;
      if (method === "toString") continue; // inherited meaning; not a container operation
      for (const stranger of strangers()) {
        if (stranger.value instanceof (cls as Any)) continue;
        const before = stranger.snapshot(stranger.value);
        let error: unknown;
        try {
          const result = fn.apply(stranger.value, ARGS[method] ?? []);
          // Iterator factories fail at once, not when first stepped.
          if (result !== null && typeof result === "object" && typeof result.next === "function") result.next();
        } catch (caught) {
          error = caught;
        }
        expect(error, `${name}.prototype.${method} on ${stranger.name}`).toBeInstanceOf(TypeError);
        expect(stranger.snapshot(stranger.value), `${name}.prototype.${method} on ${stranger.name}`).toEqual(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("the shared-looking methods name the call and the class expected", () => {
    const names = methodsOf(cls).map(([method]) => method);
    for (const method of ["getOrInsert", "setDefault", "update", "forEach", "union", "clear", "entries", "flush"]) {
      if (!names.includes(method)) continue;
      expect(() => (cls.prototype as Any)[method].apply(new Map(), ARGS[method] ?? [])).toThrow(
        new RegExp(`${name}\\.${method}: \`this\` must be an? ${name} \\(got a Map\\)`),
      );
    }
  });

  it("util.inspect of an object that only inherits the prototype does not throw", () => {
    const hollow = Object.create(cls.prototype);
    expect(inspect(hollow)).toBe(`${name} {}`);
  });
});

describe("the two maps do not share methods", () => {
  it("WeakValueMap's getOrInsert does not write into a native Map or an IterableWeakMap", () => {
    const map = new Map();
    expect(() => WeakValueMap.prototype.getOrInsert.call(map as Any, "k", a)).toThrow(TypeError);
    expect(map.size).toBe(0);
    const iwm = new IterableWeakMap();
    expect(() => WeakValueMap.prototype.getOrInsert.call(iwm as Any, b, a)).toThrow(/WeakValueMap\.getOrInsert/);
    expect(iwm.size).toBe(0);
    expect(WeakValueMap.prototype.getOrInsert).not.toBe(IterableWeakMap.prototype.getOrInsert);
  });

  it("IterableWeakSet.prototype.union.call(undefined, new Set([a])) is a TypeError", () => {
    expect(() => IterableWeakSet.prototype.union.call(undefined as Any, new Set([a]))).toThrow(
      /IterableWeakSet\.union: `this` must be an IterableWeakSet \(got undefined\)/,
    );
  });
});
