// Regressions found by the soak (scripts/soak.mjs --mid-gc), fixed by retiring registries
// (collector.ts). Each scenario runs in a child process of its own, on the built package, because
// what broke was process-wide: the engine's FinalizationRegistry cleanup.
//
// The engine side (V8 in Node 20, 22 and 24, reproduced without weaktable): a FinalizationRegistry
// that a collection gave notices to ("dirty", a cleanup task posted) and that is itself collected
// before that task ran leaves the dirty list, the task finds nothing to do, and V8 never posts a
// cleanup task again: no FinalizationRegistry of the process ever calls back after that.
//
//   let dropped = new FinalizationRegistry(() => {});
//   (() => dropped.register({}, 1))();
//   gc();            // dropped is dirty: its target died, a cleanup task is posted
//   dropped = null;
//   gc();            // dropped is collected before the task ran
//   // from now on no registry's callback runs, whatever is collected
//
// weaktable lets go of registries itself: a registry renewal replaces a store's registry, and
// clear() drops it. A renewal in the same job as a collection that killed some of the store's values (the
// renewal even reaps them on the spot: its registry has their notices queued), followed by a second
// collection before the engine's cleanup task runs (any major GC in a long job), stops every
// WeakValueMap, IterableWeakMap, IterableWeakSet, IdRegistry, ref callback and finalizer of the
// process, and the freeing of tables' WebAssembly memory, for good. That is what these tests saw
// before registries were retired instead of dropped.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { assertBuilt, ROOT } from "../package/built.js";

/** Runs `body` (an ES module's text, with `lib` and `bridge` imported) under node --expose-gc. */
function runChild(body: string): { out: string; err: string } {
  assertBuilt();
  const script = `
    const lib = await import(${JSON.stringify(`${ROOT}dist/src/index.js`)});
    const bridge = await import(${JSON.stringify(`${ROOT}dist/src/core/collector.js`)});
    const macrotask = () => new Promise((resolve) => setImmediate(resolve));
    ${body}
  `;
  const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  return { out: child.stdout.trim(), err: child.stderr.trim() };
}

/** After the scenario: does a fresh map still get its collected entry reaped, and a bare registry its notice? */
const AFTERWARDS = `
  const later = new lib.WeakValueMap();
  let noticed = false;
  const bare = new FinalizationRegistry(() => (noticed = true));
  (() => {
    later.set(1, {});
    bare.register({}, 0);
  })();
  for (let i = 0; i < 200 && !(noticed && later.size === 0); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    gc();
  }
  console.log(JSON.stringify({ renewals: bridge.counters.renewals, reapedInRenewal: bridge.counters.reapedInRenewal, laterSize: later.size, noticed }));
`;

describe("registries let go of right after a collection (found by the soak, --mid-gc)", () => {
  it("a registry renewal right after a collection, then a second collection in the same job, leaves FinalizationRegistry cleanup working", () => {
    const { out, err } = runChild(`
      bridge.tuneForTesting({ staleMin: 0 });
      const keep = { keep: true };
      const map = new lib.WeakValueMap();
      (() => {
        for (let i = 0; i < 8; i++) map.set(i, {}); // values nothing else refers to
      })();
      await macrotask(); // the job that made them ends: nothing keeps them now
      gc(); // they die: the map's registry has 8 notices queued, a cleanup task is posted
      // Same job: set/delete one key until the store renews its registry (which reaps the 8 dead
      // entries on the spot and drops the registry holding their notices).
      const before = bridge.counters.renewals;
      for (let i = 0; i < 20 && bridge.counters.renewals === before; i++) {
        map.set("x", keep);
        map.delete("x");
      }
      gc(); // same job again: the dropped registry is collected before its cleanup task ran
      ${AFTERWARDS}
    `);
    expect(err).toBe("");
    const result = JSON.parse(out) as { renewals: number; reapedInRenewal: number; laterSize: number; noticed: boolean };
    expect(result.renewals, "the scenario must renew the registry").toBeGreaterThan(0);
    expect(result.reapedInRenewal, "the renewal must find the collected values").toBe(8);
    expect({ laterSize: result.laterSize, noticed: result.noticed }).toEqual({ laterSize: 0, noticed: true });
  });

  it("control: the same renewal without the second collection in that job leaves cleanup working (the check above can pass)", () => {
    const { out, err } = runChild(`
      bridge.tuneForTesting({ staleMin: 0 });
      const keep = { keep: true };
      const map = new lib.WeakValueMap();
      (() => {
        for (let i = 0; i < 8; i++) map.set(i, {});
      })();
      await macrotask();
      gc();
      const before = bridge.counters.renewals;
      for (let i = 0; i < 20 && bridge.counters.renewals === before; i++) {
        map.set("x", keep);
        map.delete("x");
      }
      await macrotask(); // the cleanup task runs before any further collection
      gc();
      ${AFTERWARDS}
    `);
    expect(err).toBe("");
    const result = JSON.parse(out) as { renewals: number; reapedInRenewal: number; laterSize: number; noticed: boolean };
    expect(result.reapedInRenewal).toBe(8);
    expect({ laterSize: result.laterSize, noticed: result.noticed }).toEqual({ laterSize: 0, noticed: true });
  });

  it("clear() right after a collection, then a second collection in the same job, leaves FinalizationRegistry cleanup working", () => {
    const { out, err } = runChild(`
      const map = new lib.WeakValueMap();
      (() => {
        for (let i = 0; i < 8; i++) map.set(i, {});
      })();
      await macrotask();
      gc(); // the map's registry has 8 notices queued
      map.clear(); // drops that registry (reset)
      gc(); // collected before its cleanup task ran
      ${AFTERWARDS}
    `);
    expect(err).toBe("");
    const result = JSON.parse(out) as { laterSize: number; noticed: boolean };
    expect({ laterSize: result.laterSize, noticed: result.noticed }).toEqual({ laterSize: 0, noticed: true });
  });

  it("a retired registry waiting for its marker does not keep its store (or the store's keys) alive", () => {
    // The registry's callback reaches its collector through a line that retirement cuts; were it
    // left whole, the retired registry (held until its marker comes) would hold the collector,
    // the store and every key it holds through the next collection.
    const { out, err } = runChild(`
      bridge.tuneForTesting({ staleMin: 0 });
      const value = { value: true };
      let map = new lib.WeakValueMap();
      const keyRef = (() => {
        const key = { key: true };
        map.set(key, value); // an object key: the store holds it strongly
        return new WeakRef(key);
      })();
      const before = bridge.counters.renewals;
      for (let i = 0; i < 20 && bridge.counters.renewals === before; i++) {
        map.set("x", value);
        map.delete("x");
      }
      const renewed = bridge.counters.renewals > before;
      const waiting = bridge.retiringRegistries();
      map = null;
      await macrotask(); // the job that made the key ends
      gc(); // the map is unreachable: its key must go in this collection, retired registry or not
      console.log(JSON.stringify({ renewed, waiting, keyCollected: keyRef.deref() === undefined }));
    `);
    expect(err).toBe("");
    const result = JSON.parse(out) as { renewed: boolean; waiting: number; keyCollected: boolean };
    expect(result.renewed, "the scenario must renew the registry").toBe(true);
    expect(result.waiting, "the replaced registry must be waiting for its marker").toBeGreaterThan(0);
    expect(result.keyCollected).toBe(true);
  });
});
