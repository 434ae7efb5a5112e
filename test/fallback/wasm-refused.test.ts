// A realm that refuses to compile WebAssembly (as a page whose Content-Security-Policy lacks
// 'wasm-unsafe-eval' does): `new WebAssembly.Module` throws a CompileError. The library must
// notice once, fall back to the JavaScript table for every container, and work fully.
// test/browser/ checks the same under a real CSP in Chromium.

import { afterAll, describe, expect, it } from "vitest";

const RealModule = WebAssembly.Module;
let attempts = 0;
function RefusingModule(): never {
  attempts++;
  throw new WebAssembly.CompileError(
    "WebAssembly.Module(): Refused to compile or instantiate WebAssembly module because 'wasm-unsafe-eval' is not an allowed source of script (stubbed by the test)",
  );
}
(WebAssembly as { Module: unknown }).Module = RefusingModule;
afterAll(() => {
  (WebAssembly as { Module: unknown }).Module = RealModule;
});

// Nothing of src/ is loaded before the stub is in place (the default IdRegistry of id() makes its
// table when the index is first loaded).
const { resetTableModuleForTesting, wasmAvailable } = await import("../../src/wasm/instance.js");
resetTableModuleForTesting(); // whatever came before: the next use compiles afresh
const weaktable = await import("../../src/index.js");
const { collect } = await import("../../src/testing/index.js");
const { WeakValueMap, IterableWeakMap, IterableWeakSet, IdRegistry, id, id2obj } = weaktable;

/** Makes `n` objects that nothing but the caller's container will hold. */
function fresh(n: number): object[] {
  return Array.from({ length: n }, (_, i) => ({ i }));
}

// Garbage is made in plain functions: a temporary in an async function (an array behind a for-of
// iterator, say) may stay in its suspended frame across `await` and keep everything alive.
function setGarbage(map: { set(key: number, value: object): unknown }, n: number, firstKey: number): void {
  for (const [i, value] of fresh(n).entries()) map.set(firstKey + i, value);
}
function rememberGarbage(registry: { remember(o: object): number }, n: number): number[] {
  return fresh(n).map((o) => registry.remember(o));
}
function addAll(map: { set(key: object, value: number): unknown }, set: { add(key: object): unknown }, kept: object[], garbage: number): void {
  for (const [i, key] of [...kept, ...fresh(garbage)].entries()) {
    map.set(key, i);
    set.add(key);
  }
}

describe("when WebAssembly.Module throws", () => {
  it("tried to compile once, then every container reports backend 'js'", () => {
    expect(wasmAvailable()).toBe(false);
    expect(attempts).toBe(1);
    expect(new WeakValueMap().stats().backend).toBe("js");
    expect(new IterableWeakMap().stats().backend).toBe("js");
    expect(new IterableWeakSet().stats().backend).toBe("js");
    expect(new IdRegistry().stats().backend).toBe("js");
    expect(attempts).toBe(1); // the failure is remembered: no compile per container
  });

  it("stays on the JS table once WebAssembly works again (one realm, one table kind)", () => {
    (WebAssembly as { Module: unknown }).Module = RealModule;
    try {
      expect(new WeakValueMap().stats().backend).toBe("js");
      expect(wasmAvailable()).toBe(false);
    } finally {
      (WebAssembly as { Module: unknown }).Module = RefusingModule;
    }
  });

  it("WeakValueMap works, number and other keys alike, and drops collected values", async () => {
    const map = new WeakValueMap<unknown, object>();
    const kept = fresh(4);
    const keys = [0, -0, NaN, 1.5, "a", 10n, Symbol.for("s")];
    map.set(keys[0], kept[0]!).set(keys[2], kept[1]!).set(keys[4], kept[2]!).set(keys[6], kept[3]!);
    setGarbage(map, 500, 1000);
    expect(map.get(-0)).toBe(kept[0]);
    expect(map.get(NaN)).toBe(kept[1]);
    expect(map.size).toBe(504);
    await collect(() => map.size === 4);
    expect([...map]).toEqual([
      [0, kept[0]],
      [NaN, kept[1]],
      ["a", kept[2]],
      [Symbol.for("s"), kept[3]],
    ]);
    expect(map.delete(NaN)).toBe(true);
    expect(map.stats()).toMatchObject({ size: 3, pending: 0, backend: "js" });
  });

  it("IterableWeakMap and IterableWeakSet iterate in order and forget collected keys", async () => {
    const kept = fresh(3);
    const map = new IterableWeakMap<object, number>();
    const set = new IterableWeakSet<object>();
    addAll(map, set, kept, 300);
    await collect(() => map.size === 3 && set.size === 3);
    expect([...map]).toEqual(kept.map((key, i) => [key, i]));
    expect([...set]).toEqual(kept);
  });

  it("IdRegistry and id()/id2obj() find live objects and forget collected ones", async () => {
    const registry = new IdRegistry<object>();
    const kept = { kept: true };
    const keptId = registry.remember(kept);
    const goneIds = rememberGarbage(registry, 200);
    await collect(() => registry.size === 1);
    expect(registry.get(keptId)).toBe(kept);
    for (const gone of goneIds) expect(registry.get(gone)).toBeUndefined();
    const other = { other: true };
    expect(id2obj(id(other))).toBe(other);
    expect(registry.stats().backend).toBe("js");
  });

  it("survives churn: thousands of inserts, deletes and collections with exact contents", async () => {
    const map = new WeakValueMap<number, object>();
    const model = new Map<number, object>();
    const churn = (round: number) => {
      const values = fresh(3000);
      for (let i = 0; i < 3000; i++) {
        const key = round * 1000 + i;
        map.set(key, values[i]!);
        if (i % 3 === 0) model.set(key, values[i]!); // only the model holds every third value
        else model.delete(key);
      }
      for (let i = 0; i < 3000; i += 5) {
        const key = round * 1000 + i;
        if (map.delete(key)) model.delete(key);
      }
    };
    for (let round = 0; round < 5; round++) {
      churn(round);
      await collect(() => map.size === model.size);
      expect([...map]).toEqual([...model]); // same entries in the same (Map) order
    }
  });
});
