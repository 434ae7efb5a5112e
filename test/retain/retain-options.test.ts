// The `retain` option without the collector: bad values are rejected at construction with an error
// naming `retain` and nothing made (the entries are not even read); good values give a map that
// counts what it retains in stats(), and whose retained values the ordinary Map behaviour ignores.
import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../../src/index.js";

/** An iterable of entries that records whether anything started reading it. */
function watchedEntries(): { entries: Iterable<[number, object]>; read: () => boolean } {
  let read = false;
  return {
    entries: {
      *[Symbol.iterator]() {
        read = true;
        yield [1, {}];
      },
    },
    read: () => read,
  };
}

const NOT_NUMBERS: readonly unknown[] = [null, "10", 10n, true, {}, [], Symbol("n"), () => 1, new Number(3)];
const BAD_NUMBERS: readonly unknown[] = [-1, 1.5, -0.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_VALUE, Number.MIN_SAFE_INTEGER];

describe("new WeakValueMap(entries, { retain })", () => {
  it.each(NOT_NUMBERS.map((value) => [String(typeof value === "symbol" ? "Symbol(n)" : value), value]))(
    "rejects %s with a TypeError naming retain, reading no entry",
    (_name, retain) => {
      const { entries, read } = watchedEntries();
      expect(() => new WeakValueMap(entries, { retain: retain as number })).toThrow(TypeError);
      expect(() => new WeakValueMap(entries, { retain: retain as number })).toThrow(/\bretain\b/);
      expect(read()).toBe(false);
    },
  );

  it.each(BAD_NUMBERS.map((value) => [String(value), value]))("rejects %s with a RangeError naming retain, reading no entry", (_name, retain) => {
    const { entries, read } = watchedEntries();
    expect(() => new WeakValueMap(entries, { retain: retain as number })).toThrow(RangeError);
    expect(() => new WeakValueMap(entries, { retain: retain as number })).toThrow(/\bretain\b/);
    expect(read()).toBe(false);
  });

  it("reads the option once", () => {
    let reads = 0;
    const options = {
      get retain() {
        reads++;
        return reads === 1 ? 2 : -1; // a second read would see a bad value
      },
    };
    const map = new WeakValueMap<number, object>(null, options);
    expect(reads).toBe(1);
    map.set(1, {}).set(2, {}).set(3, {});
    expect(map.stats().retained).toBe(2);
  });

  it("accepts 0, -0, undefined and no options as a plain weak map, and any safe integer up to MAX_SAFE_INTEGER", () => {
    for (const options of [undefined, {}, { retain: undefined }, { retain: 0 }, { retain: -0 }]) {
      const map = new WeakValueMap<number, object>([[1, {}]], options);
      expect(map.stats()).not.toHaveProperty("retained"); // a plain weak map: stats() is just TableStats
    }
    const huge = new WeakValueMap<number, object>(null, { retain: Number.MAX_SAFE_INTEGER });
    const values = Array.from({ length: 100 }, (_, i) => ({ i }));
    values.forEach((value, i) => huge.set(i, value));
    expect(huge.stats().retained).toBe(100);
  });

  it("counts the constructor's entries and update() as sets, in order", () => {
    const values = Array.from({ length: 10 }, (_, i) => ({ i }));
    const map = new WeakValueMap<number, object>(
      values.map((value, i) => [i, value] as const),
      { retain: 4 },
    );
    expect(map.stats().retained).toBe(4);
    map.update([[20, {}]]);
    expect(map.stats().retained).toBe(4);
    expect(map.size).toBe(11);
  });

  it("leaves the Map behaviour alone: order, size, overwrite in place, delete", () => {
    const values = Array.from({ length: 50 }, (_, i) => ({ i }));
    const map = new WeakValueMap<string, object>(null, { retain: 8 });
    const model = new Map<string, object>();
    for (let i = 0; i < 50; i++) {
      map.set(`k${i}`, values[i]!);
      model.set(`k${i}`, values[i]!);
    }
    for (let i = 0; i < 50; i += 3) {
      expect(map.get(`k${i}`)).toBe(model.get(`k${i}`));
      map.set(`k${(i * 7) % 50}`, values[i]!);
      model.set(`k${(i * 7) % 50}`, values[i]!);
      expect(map.delete(`k${(i * 5) % 50}`)).toBe(model.delete(`k${(i * 5) % 50}`));
    }
    expect([...map]).toEqual([...model]);
    expect(map.size).toBe(model.size);
    expect(map.stats().retained).toBeLessThanOrEqual(8);
    expect(map.stats().retained).toBeGreaterThan(0);
    map.clear();
    expect(map.stats().retained).toBe(0);
  });

  it("stats().retained follows uses, deletes, pops and clear; a get of a missing key holds nothing", () => {
    const values = Array.from({ length: 6 }, (_, i) => ({ i }));
    const map = new WeakValueMap<number, object>(null, { retain: 3 });
    expect(map.stats().retained).toBe(0);
    expect(map.get(1)).toBe(undefined);
    expect(map.stats().retained).toBe(0);
    map.set(0, values[0]!).set(1, values[1]!);
    expect(map.stats().retained).toBe(2);
    map.set(0, values[2]!); // overwrite: still one value for key 0
    expect(map.stats().retained).toBe(2);
    map.set(2, values[3]!).set(3, values[4]!);
    expect(map.stats().retained).toBe(3);
    expect(map.delete(3)).toBe(true);
    expect(map.stats().retained).toBe(2);
    expect(map.delete(3)).toBe(false);
    expect(map.stats().retained).toBe(2);
    expect(map.pop(99)).toBe(undefined);
    expect(map.pop(2)).toBe(values[3]);
    expect(map.stats().retained).toBe(1);
    expect(map.copy().stats().retained).toBe(1);
    expect(map.popItem()).toEqual([1, values[1]]); // 1 was evicted by the set of 3: nothing to release
    expect(map.stats().retained).toBe(1);
    expect(map.popItem()).toEqual([0, values[2]]);
    expect(map.stats().retained).toBe(0);
    expect(map.size).toBe(0);
  });

  it("delete, pop and popItem release the value even when the removal shrinks the table", () => {
    // 33 entries take slots 0..32 of a 64-slot table. With the other 32 deleted, removing the one in
    // slot 32 empties the table, which shrinks to 8 slots and cuts the tier's slot index to match:
    // a release after the removal would look for slot 32 past the cut and keep the value.
    for (const remove of ["delete", "pop", "popItem"] as const) {
      const values = Array.from({ length: 33 }, (_, i) => ({ i }));
      const map = new WeakValueMap<number, object>(null, { retain: 1 });
      values.forEach((v, i) => map.set(i, v));
      for (let i = 0; i < 32; i++) map.delete(i);
      expect(map.stats()).toMatchObject({ size: 1, capacity: 64, retained: 1 });
      if (remove === "delete") expect(map.delete(32)).toBe(true);
      else if (remove === "pop") expect(map.pop(32)).toBe(values[32]);
      else expect(map.popItem()).toEqual([32, values[32]]);
      expect(map.stats(), remove).toMatchObject({ size: 0, capacity: 8, retained: 0 });
      map.set(1, values[1]!); // the tier still works: one use, one value held
      expect(map.stats().retained, remove).toBe(1);
    }
  });

  it("counts the tier's arrays in stats().bytes", () => {
    const values = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const plain = new WeakValueMap<number, object>();
    const retaining = new WeakValueMap<number, object>(null, { retain: 1000 });
    values.forEach((value, i) => {
      plain.set(i, value);
      retaining.set(i, value);
    });
    const extra = retaining.stats().bytes - plain.stats().bytes;
    expect(extra).toBeGreaterThanOrEqual(1000 * 18); // 16 B a node, 2 B a slot (N < 65 536: 16-bit node numbers)
    expect(extra).toBeLessThanOrEqual(2 * 1000 * 18 + 2 * plain.stats().capacity * 2);
  });
});
