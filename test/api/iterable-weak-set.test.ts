// IterableWeakSet's Set interface and ES2025 set algebra, checked against Set where Set defines it.
import { describe, expect, it } from "vitest";
import { IterableWeakSet } from "../../src/index.js";

const objs = (n: number) => Array.from({ length: n }, (_, i) => ({ i }));

describe("IterableWeakSet", () => {
  it("behaves like a Set for add, has, delete, size, order and iteration during mutation", () => {
    const items = objs(500);
    const set = new IterableWeakSet<object>();
    const model = new Set<object>();
    for (const item of items) {
      set.add(item);
      model.add(item);
    }
    set.add(items[0]!); // re-adding keeps the place
    for (let i = 0; i < 500; i += 4) {
      expect(set.delete(items[i]!)).toBe(model.delete(items[i]!));
      expect(set.delete(items[i]!)).toBe(false);
    }
    const run = (s: Set<object>) => {
      const seen: object[] = [];
      for (const item of s) {
        seen.push(item);
        const { i } = item as { i: number };
        if (i % 3 === 0) s.delete(items[i + 1]!);
        if (i === 250) for (let k = 0; k < 250; k++) s.delete(items[k]!);
      }
      return seen;
    };
    expect(run(set)).toEqual(run(model));
    expect([...set]).toEqual([...model]);
    expect(set.size).toBe(model.size);
    for (const item of items) expect(set.has(item)).toBe(model.has(item));
    expect([...set.entries()]).toEqual([...model.entries()]);
    expect([...set.keys()]).toEqual([...model.keys()]);
  });

  it("pop removes the most recently added element; copy copies in order", () => {
    const [a, b, c] = objs(3) as [object, object, object];
    const set = new IterableWeakSet([a, b, c]);
    const copy = set.copy();
    expect(set.pop()).toBe(c);
    expect([...set]).toEqual([a, b]);
    expect([...copy]).toEqual([a, b, c]);
    set.clear();
    expect(set.pop()).toBeUndefined();
    expect(set.size).toBe(0);
  });

  it("has the ES2025 set algebra with Set's results and order, for Sets, Set-likes and iterables", () => {
    const items = objs(8);
    const mine = items.slice(0, 5);
    const theirs = [items[3]!, items[6]!, items[4]!, items[7]!];
    const set = new IterableWeakSet<object>(mine);
    const model = new Set(mine) as Set<object> & Record<string, (o: unknown) => unknown>;
    const others: unknown[] = [
      new Set(theirs),
      { size: theirs.length, has: (o: object) => (theirs as object[]).includes(o), keys: () => theirs[Symbol.iterator]() },
      theirs, // a plain iterable
    ];
    for (const other of others) {
      const setLike = Array.isArray(other) ? new Set(other) : other;
      for (const method of ["union", "intersection", "difference", "symmetricDifference"] as const) {
        const result = (set[method] as (other: unknown) => IterableWeakSet<object>).call(set, other);
        expect(result).toBeInstanceOf(IterableWeakSet);
        if (typeof (Set.prototype as unknown as Record<string, unknown>)[method] === "function") {
          expect([...result]).toEqual([...(model[method]!(setLike) as Set<object>)]);
        }
      }
      expect(set.isSubsetOf(other as never)).toBe(false);
      expect(new IterableWeakSet([items[3]!]).isSubsetOf(other as never)).toBe(true);
      expect(set.isSupersetOf(other as never)).toBe(false);
      expect(set.isSupersetOf([items[3]!, items[4]!])).toBe(true);
      expect(set.isDisjointFrom(other as never)).toBe(false);
      expect(set.isDisjointFrom([items[6]!])).toBe(true);
    }
    // Results independent of Set's own (Node 20 has no Set.prototype.union):
    expect([...set.union(theirs)]).toEqual([...mine, items[6], items[7]]);
    expect([...set.intersection(theirs)]).toEqual([items[3], items[4]]);
    expect([...set.difference(theirs)]).toEqual(items.slice(0, 3));
    expect([...set.symmetricDifference(theirs)]).toEqual([...items.slice(0, 3), items[6], items[7]]);
  });

  it("rejects what cannot be weakly referenced and changes nothing", () => {
    const [a] = objs(1) as [object];
    const set = new IterableWeakSet<object>([a]);
    for (const [bad, type] of [[1, "number"], [null, "null"], [Symbol.for("x"), "symbol"], ["s", "string"]] as const) {
      expect(() => set.add(bad as never)).toThrow(new RegExp(type));
      expect(() => set.union([{}, bad] as never)).toThrow(TypeError);
      expect(() => set.symmetricDifference([{}, bad] as never)).toThrow(TypeError);
      expect(() => new IterableWeakSet([{}, bad] as never)).toThrow(TypeError);
      expect(set.has(bad as never)).toBe(false);
      expect(set.delete(bad as never)).toBe(false);
    }
    expect(() => set.union(5 as never)).toThrow(/iterable/);
    expect(() => set.forEach(null as never)).toThrow(TypeError);
    expect([...set]).toEqual([a]);
    expect(Object.prototype.toString.call(set)).toBe("[object IterableWeakSet]");
  });
});
