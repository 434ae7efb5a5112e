// Registry renewal under the real collector. A store replaces its FinalizationRegistry when stale
// registrations (left by delete and overwrite) outnumber its entries; these are the two ways a live
// entry was once lost when the write that crossed that threshold was itself an overwrite.
import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";

/** The renewal threshold of a store with fewer entries than this (`STALE_MIN` in the collector). */
const STALE_MIN = 1024;

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sets `key` to a value nothing else refers to (made here, so no frame of the test keeps it). */
function setGarbage(map: WeakValueMap<string, object>, key: string): WeakRef<object> {
  const value = { garbage: key };
  map.set(key, value);
  return new WeakRef(value);
}

/** Leaves `n` stale registrations behind: each set+delete of a live value leaves one. */
function stale(map: WeakValueMap<string, object>, n: number, keep: object): void {
  for (let i = 0; i < n; i++) {
    map.set("tmp", keep);
    map.delete("tmp");
  }
}

/** Collects until `wr` is cleared, in a job of its own; the notice is then queued, not applied. */
async function killUnapplied(wr: WeakRef<object>): Promise<void> {
  for (let attempt = 0; attempt < 50 && wr.deref() !== undefined; attempt++) {
    await macrotask();
    (globalThis as unknown as { gc(): void }).gc();
  }
  expect(wr.deref()).toBeUndefined();
}

describe("an overwrite that crosses the renewal threshold", () => {
  it("keeps the new value when the old one is dead and its notice not yet applied", async () => {
    const gone: string[] = [];
    const map = new WeakValueMap<string, object>(null, { onCollect: (key) => gone.push(key) });
    const wr = setGarbage(map, "a");
    const keep = {};
    stale(map, STALE_MIN, keep);
    await killUnapplied(wr);
    const live = { live: true };
    map.set("a", live); // the 1025th stale registration: the registry is renewed inside this set
    expect(map.get("a")).toBe(live);
    expect(map.has("a")).toBe(true);
    expect(map.size).toBe(1);
    await collect();
    expect(map.get("a")).toBe(live);
    expect(map.size).toBe(1);
    expect(gone).toEqual([]);
    expect(map.stats().pending).toBe(0);
  });

  it("registers the new value in the registry that survives, so its death is still noticed", async () => {
    const gone: string[] = [];
    const map = new WeakValueMap<string, object>(null, { onCollect: (key) => gone.push(key) });
    const keep = {};
    const old = { old: true };
    map.set("a", old);
    stale(map, STALE_MIN, keep);
    setGarbage(map, "a"); // overwrite while the old value lives: renewal happens here
    await collect(() => map.size === 0);
    expect(map.size).toBe(0);
    expect(map.get("a")).toBeUndefined();
    expect(gone).toEqual(["a"]);
    expect(map.delete("a")).toBe(false);
    expect(old.old).toBe(true);
  });
});
