// WeakValueMap under the real collector: values collected by gc() disappear, size is exact after
// collect(), onCollect fires exactly for collected entries, and iteration survives it all.
import { afterEach, describe, expect, it, vi } from "vitest";
import { WeakValueMap } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";
import { memoryBytes } from "../../src/wasm/instance.js";
import { NO_SYNC_GC, engineKind, nextTask, syncGc, withoutCollector } from "./engine.js";

/** Fills `map` with `n` fresh values under keys 0..n-1; returns the only strong references. */
function fill(map: WeakValueMap<number, object>, n: number, key = (i: number) => i): Array<object | undefined> {
  const values: Array<object | undefined> = [];
  for (let i = 0; i < n; i++) {
    const value = { i };
    values.push(value);
    map.set(key(i), value);
  }
  return values;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("WeakValueMap with real garbage collection", () => {
  it("drops entries whose values were collected, and size is exact after collect()", async () => {
    const map = new WeakValueMap<number, object>();
    const values = fill(map, 1000);
    for (let i = 0; i < 1000; i += 2) values[i] = undefined;
    await collect(() => map.size === 500);
    expect(map.size).toBe(500);
    expect(map.stats().pending).toBe(0);
    for (let i = 0; i < 1000; i++) expect(map.get(i)).toBe(values[i]);
    expect([...map.keys()]).toEqual(Array.from({ length: 500 }, (_, j) => 2 * j + 1));
  });

  it("calls onCollect once per collected entry, with its key, and never for delete, overwrite, clear, pop or popItem", async () => {
    const collected: string[] = [];
    const map = new WeakValueMap<string, object>(null, { onCollect: (key) => collected.push(key) });
    let held: Record<string, object | undefined> = {};
    const put = (key: string) => map.set(key, (held[key] = { key }));
    for (const key of ["dies", "deleted", "overwritten", "popped", "last", "cleared"]) put(key);
    map.delete("deleted");
    map.set("overwritten", (held["overwritten2"] = { key: "overwritten2" }));
    map.pop("popped");
    expect(map.popItem()?.[0]).toBe("cleared");
    held["dies"] = undefined;
    held["deleted"] = undefined;
    held["overwritten"] = undefined;
    held["popped"] = undefined;
    held["cleared"] = undefined;
    await collect(() => collected.length >= 1);
    await collect();
    expect(collected).toEqual(["dies"]);
    expect(map.get("last")).toBe(held["last"]); // the holders, read after collect()
    expect(map.get("overwritten")).toBe(held["overwritten2"]);
    map.clear();
    held = {};
    await collect();
    expect(collected).toEqual(["dies"]);
  });

  it("ignores a stale notice: a value overwritten before its notice arrives stays overwritten", async () => {
    const collected: number[] = [];
    const map = new WeakValueMap<number, object>(null, { onCollect: (key) => collected.push(key) });
    const first = fill(map, 100);
    const second = fill(map, 100); // same keys, new values: every first value is now stale
    first.fill(undefined);
    await collect();
    expect(collected).toEqual([]);
    expect(map.size).toBe(100);
    for (let i = 0; i < 100; i++) expect(map.get(i)).toBe(second[i]);
  });

  it("ignores a notice for a slot that was deleted and reused by another key", async () => {
    const map = new WeakValueMap<number, object>();
    const old = fill(map, 50);
    for (let i = 0; i < 50; i++) map.delete(i);
    const fresh = fill(map, 50, (i) => 1000 + i); // reuses the freed slots
    old.fill(undefined);
    await collect();
    expect(map.size).toBe(50);
    for (let i = 0; i < 50; i++) expect(map.get(1000 + i)).toBe(fresh[i]);
  });

  it("never skips or repeats a live entry when values die and the table compacts mid-iteration", async () => {
    const map = new WeakValueMap<number, object>();
    const values = fill(map, 2000);
    const seen: number[] = [];
    const iterator = map.keys();
    for (let i = 0; i < 700; i++) seen.push(iterator.next().value as number);
    // Kill 90% of the entries on both sides of the cursor (699, its last key, survives):
    // tombstones outnumber entries, so applying the notices compacts the order log under it.
    for (let i = 0; i < 2000; i++) if (i % 10 !== 0 && i !== 699) values[i] = undefined;
    await collect(() => map.size === 201);
    for (let key = iterator.next(); !key.done; key = iterator.next()) seen.push(key.value);
    const expected = [...Array.from({ length: 700 }, (_, i) => i), ...Array.from({ length: 130 }, (_, j) => 700 + 10 * j)];
    expect(seen).toEqual(expected);
    expect(values.filter((v) => v !== undefined)).toHaveLength(201); // the holders, read after collect()
  });

  it("keeps exact contents with 100 000 entries and half of them dropped", async () => {
    const map = new WeakValueMap<number, object>();
    const values = fill(map, 100_000);
    for (let i = 0; i < 100_000; i += 2) values[i] = undefined;
    await collect(() => map.size === 50_000);
    let count = 0;
    for (const [key, value] of map) {
      expect(key % 2).toBe(1);
      expect(value).toBe(values[key]);
      count++;
    }
    expect(count).toBe(50_000);
  });

  it("reports a throwing onCollect and still runs the others, leaving the map consistent", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const seen: number[] = [];
    const map = new WeakValueMap<number, object>(null, {
      onCollect: (key) => {
        seen.push(key);
        if (key === 1) throw new Error("boom");
        map.set(key + 100, keep); // re-entrant use of the map from its own callback
      },
    });
    const keep = { keep: true };
    const values = fill(map, 3);
    values.fill(undefined);
    await collect(() => seen.length === 3);
    expect(seen.sort()).toEqual([0, 1, 2]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[1])).toMatch(/boom/);
    expect(new Set(map.keys())).toEqual(new Set([100, 102]));
  });

  it("gives a dropped map's WebAssembly memory back for reuse", async () => {
    const cycle = () => {
      for (let m = 0; m < 100; m++) {
        const map = new WeakValueMap<number, object>();
        fill(map, 2000); // values die with the map
      }
    };
    cycle();
    await collect();
    cycle();
    await collect();
    const settled = memoryBytes();
    for (let i = 0; i < 5; i++) {
      cycle();
      await collect();
    }
    expect(memoryBytes()).toBe(settled);
  });
});

describe("WeakValueMap per-job cache", () => {
  it("keeps a value read through get() alive no longer than the job that read it", async (context) => {
    const gc = syncGc();
    if (gc === undefined) return context.skip(NO_SYNC_GC);
    const map = new WeakValueMap<number, object>();
    const values = fill(map, 10);
    for (let round = 0; round < 8; round++) map.get(3); // cached in this job
    values[3] = undefined;
    gc();
    expect(map.get(3)).toEqual({ i: 3 }); // still this job: the engine keeps it, as for any deref()
    await collect(() => map.get(3) === undefined); // the next jobs: gone
    expect(map.has(3)).toBe(false);
    expect(map.size).toBe(9);
    expect(values.filter((v) => v !== undefined)).toHaveLength(9); // read after collect(): see "holders" in README
  });

  it("never returns a deleted or overwritten value from the cache", () => {
    const map = new WeakValueMap<string, object>();
    const [a, b] = [{ a: 1 }, { b: 2 }];
    map.set("k", a);
    expect(map.get("k")).toBe(a);
    map.set("k", b);
    expect(map.get("k")).toBe(b);
    map.delete("k");
    expect(map.get("k")).toBeUndefined();
    map.set("k", a);
    map.clear();
    expect(map.get("k")).toBeUndefined();
  });
});

describe("WeakValueMap stale registrations", () => {
  it("stays correct when one live object is set and deleted thousands of times (the registry is renewed)", async () => {
    const collected: number[] = [];
    const map = new WeakValueMap<number, object>(null, { onCollect: (key) => collected.push(key) });
    const keep = fill(map, 100);
    const hero = { hero: true };
    for (let i = 0; i < 10_000; i++) {
      map.set(-1, hero);
      map.delete(-1);
    }
    map.set(-1, hero);
    for (let i = 0; i < 100; i += 2) keep[i] = undefined;
    await collect(() => map.size === 51);
    await collect();
    expect(collected.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, j) => 2 * j));
    expect(map.get(-1)).toBe(hero);
    for (let i = 1; i < 100; i += 2) expect(map.get(i)).toBe(keep[i]);
  });

  it("reaps entries found dead while renewing, with onCollect once each, and ignores the old registry's notices", async (context) => {
    const gc = syncGc();
    if (gc === undefined) return context.skip(NO_SYNC_GC);
    const collected: number[] = [];
    const map = new WeakValueMap<number, object>(null, { onCollect: (key) => collected.push(key) });
    const values = fill(map, 200);
    for (let i = 0; i < 200; i += 2) values[i] = undefined;
    await nextTask(); // end the job that made them (kept objects)
    gc(); // dead now, but their notices are not delivered yet
    const spare = { spare: true };
    for (let i = 0; i < 2000; i++) {
      map.set(10_000 + i, spare); // then stale: enough to renew the registry in this same job
      map.delete(10_000 + i);
    }
    // Reaped by the renewal itself, in this job: no notice could have been delivered yet.
    expect(map.size).toBe(100);
    expect(collected).toEqual([]); // callbacks never run inside a mutation: they are deferred
    await collect();
    expect(collected.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, j) => 2 * j));
    expect(map.size).toBe(100);
    for (let i = 1; i < 200; i += 2) expect(map.get(i)).toBe(values[i]);
  });
});

describe("collect()", () => {
  it("rejects with a clear error naming the engine and what to do when it offers no way to collect", async (context) => {
    const engine = engineKind();
    if (engine === "webkit") {
      return context.skip("WebKit gives a page no way to collect, so collect() always has one: allocation pressure");
    }
    // What each engine's message must say to do (Node's is the one most users meet).
    const advice: Record<string, RegExp> = {
      node: /Node\.js .*--expose-gc/,
      deno: /Deno .*--v8-flags=--expose-gc/,
      bun: /Bun .*Bun\.gc/,
      chromium: /Chromium .*--js-flags=--expose-gc/,
      firefox: /Firefox .*dom\.testing\.testutils\.enabled/,
    };
    const hidden = await withoutCollector(async () => {
      await expect(collect()).rejects.toThrow(/offers none here/);
      await expect(collect()).rejects.toThrow(advice[engine] ?? /expose a global gc\(\)/);
    });
    if (!hidden) context.skip(`${engine}: its collector cannot be hidden from collect() to test the message`);
  });

  it("rejects with a clear error when until() stays false", async () => {
    await expect(collect(() => false, { timeoutMs: 200 })).rejects.toThrow(/until\(\) was still false after 200 ms \(\d+ rounds/);
  });

  it("rejects a timeout that is not a non-negative number instead of waiting forever", async () => {
    await expect(collect(() => true, { timeoutMs: NaN })).rejects.toThrow(RangeError);
    await expect(collect(() => true, { timeoutMs: NaN })).rejects.toThrow(/timeoutMs/);
    await expect(collect(() => true, { timeoutMs: -1 })).rejects.toThrow(RangeError);
    await expect(collect(() => true, { timeoutMs: "100" as never })).rejects.toThrow(TypeError);
    await expect(collect(() => true, { timeoutMs: "100" as never })).rejects.toThrow(/timeoutMs must be a number.*string/);
    await expect(collect(() => true, null as never)).rejects.toThrow(TypeError);
    await expect(collect(() => true, { timeoutMs: Infinity })).resolves.toBeUndefined();
    await expect(collect(() => true, {})).resolves.toBeUndefined();
  });

  it("applies the notices of many containers in one call, whatever order the engine delivers them in", async () => {
    // Each map has a registry of its own: one collect() without until() must see every one of
    // them delivered and applied (V8 queues registries in a row, other engines in one task).
    const maps = Array.from({ length: 60 }, () => new WeakValueMap<number, object>());
    const keptPerMap = 3;
    const kept = maps.map((map) => fill(map, 40).slice(0, keptPerMap)); // the other 37 die
    await collect();
    for (const map of maps) {
      expect(map.stats().pending).toBe(0);
      expect(map.size).toBe([...map.values()].length); // size is exact: no notice left unapplied
    }
    const left = maps.reduce((n, map) => n + map.size, 0);
    // Every kept value is there; of the 2220 that died, a conservative collector may keep a few.
    expect(left).toBeGreaterThanOrEqual(60 * keptPerMap);
    expect(left).toBeLessThanOrEqual(60 * keptPerMap + 60);
    maps.forEach((map, m) => kept[m]!.forEach((value, i) => expect(map.get(i)).toBe(value)));
  });
});
