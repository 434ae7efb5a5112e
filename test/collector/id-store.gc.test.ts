// IdStore under the real collector: collected objects are reaped, their slots are given again
// with new ids, and an old id never resolves. (A file of its own: the model tests' thousands of
// clears retire as many registries, each of which V8 cleans up in a task of its own; see
// collector.ts.)
import { describe, expect, it } from "vitest";
import { counters } from "../../src/core/collector.js";
import { ID_SPAN, IdStore } from "../../src/core/id-store.js";
import { collect } from "../../src/testing/index.js";

function get<T extends object>(store: IdStore<T>, id: number): T | undefined {
  const slot = store.lookup(id);
  return slot === -1 ? undefined : store.objectAt(slot);
}

/** Registers `n` objects nothing else holds; returns their ids. */
function rememberGarbage(store: IdStore<object>, n: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push(store.remember({ i }));
  return ids;
}

describe("IdStore with the real collector", () => {
  it("reaps collected objects, reuses their slots with new ids, and never resolves an old id", async () => {
    const store = new IdStore<object>();
    const keep = Array.from({ length: 10 }, (_, i) => ({ keep: i }));
    const keptIds = keep.map((obj) => store.remember(obj));
    const gone: number[] = [];
    const renewals = counters.renewals;
    for (let round = 0; round < 4; round++) {
      gone.push(...rememberGarbage(store, 50));
      await collect(() => store.size === 10);
    }
    expect(new Set([...gone, ...keptIds]).size).toBe(gone.length + keptIds.length);
    const slots = new Set(gone.map((id) => Math.floor((id - 1) / ID_SPAN)));
    expect(slots.size).toBeLessThan(gone.length / 2); // collected objects' slots were given again
    for (const id of gone) expect(get(store, id)).toBeUndefined();
    keep.forEach((obj, i) => expect(get(store, keptIds[i]!)).toBe(obj));
    expect([...store.entries()].map(([id]) => id)).toEqual(keptIds);
    expect(store.stats().pending).toBe(0);
    expect(counters.renewals).toBeGreaterThanOrEqual(renewals);
  });
});
