// A batch of collection notices is applied without reading the entries' WeakRefs when its registry
// has no stale registration (collector.ts, "Exactness"): then every registration still belongs to
// the entry it was made for, so a notice proves that entry's referent dead. These tests build the
// one situation where skipping the check would remove a live entry: a registration that outlived
// its entry, whose notice comes after the slot was reused at the same generation (generations
// are six bits: every 64th stamp of a slot repeats one). Each registration that can outlive its
// entry must count as stale, so that its batch is checked:
//   - an entry reaped by a relocation's walk before its notice came (`Collector.orphaned`);
//   - a deleted entry, an overwritten one (`staled`, as before).
// Each test asserts first that it really reached a same-generation reuse (the fake collector
// reports every held value registered), then that the live entry survives the late notice.
// Without the `orphaned` count, the first test loses eight live entries.
//
// The fake collector replaces WeakRef before the library loads, so this file runs in a process of
// its own (not in test/model/, whose files the JS-table rerun loads into one process).
import { describe, expect, it, onTestFinished } from "vitest";
import { installFakeGc } from "../fixtures/fake-gc.js";

const fake = installFakeGc();
const { WeakValueMap } = await import("../../src/index.js");
const { counters, SLOT_BITS } = await import("../../src/core/collector.js");

const SLOT_MASK = (1 << SLOT_BITS) - 1;

/** Records the (slot, generation) of every registration the library makes until `stop()`. */
function registrations(): { slotGen: Map<WeakKey, [number, number]>; stop(): void } {
  const slotGen = new Map<WeakKey, [number, number]>();
  fake.onRegister = (target, held) => {
    if (typeof held === "number" && held >= 0) slotGen.set(target, [held & SLOT_MASK, held >>> SLOT_BITS]);
  };
  return { slotGen, stop: () => (fake.onRegister = undefined) };
}

function scope(name: string): void {
  fake.beginScope(name);
  onTestFinished(() => {
    fake.onRegister = undefined;
    fake.endScope();
  });
}

const objects = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ tag, i }));

describe("notices applied without their WeakRefs never remove a live entry", () => {
  it("an entry a relocation reaped before its notice: the notice, late, meets a new entry at the same slot and generation", () => {
    scope("orphaned");
    const map = new WeakValueMap<number, object>();
    const rec = registrations();
    // 512 entries in slots 0..511 (generations 1..512 mod 64). The first 64 stay; 64..503 die and
    // are reaped, which leaves the 8 in 504..511 blocking the shrink to 256 slots.
    const first = objects(512, "first");
    for (let i = 0; i < first.length; i++) map.set(i, first[i]!);
    fake.endJob();
    const slotOf = (o: object) => rec.slotGen.get(o)![0];
    expect(first.map(slotOf)).toEqual(first.map((_, i) => i));
    const high = first.slice(504);
    expect(fake.kill(first.slice(64, 504))).toHaveLength(440);
    const trustedBefore = counters.trustedBatches;
    const relocationsBefore = counters.relocations;
    const orphanedBefore = counters.reapedInRelocation;
    fake.deliver();
    // The high eight die now, after the notices of the middle were delivered and before the job
    // ends: their notices are queued in the engine, not yet delivered, when the relocation that
    // the reaping queued for the end of this job walks the table and finds them dead.
    expect(fake.kill(high)).toHaveLength(8);
    fake.endJob();
    expect(counters.trustedBatches - trustedBefore, "the middle's batch had no stale registration").toBe(1);
    expect(counters.relocations - relocationsBefore).toBe(1);
    expect(counters.reapedInRelocation - orphanedBefore, "the relocation reaped the eight high entries").toBe(8);
    expect(map.size).toBe(64);
    expect(map.stats().capacity).toBeLessThan(512);

    // New entries fill slots 64.. upwards, taking generations 513.. (the store stamps one per
    // set), so slot t gets generation t + 449, the same six bits as the high entry's t + 1.
    const second = objects(448, "second");
    for (let i = 0; i < second.length; i++) map.set(1000 + i, second[i]!);
    fake.endJob();
    const reused = high.filter((dead) => {
      const [slot, gen] = rec.slotGen.get(dead)!;
      return second.some((o) => rec.slotGen.get(o)![0] === slot && rec.slotGen.get(o)![1] === gen);
    });
    rec.stop();
    expect(reused, "the test reached eight same-slot, same-generation reuses").toHaveLength(8);

    // Now the eight late notices: each names a slot and generation that a live entry carries.
    const batchesBefore = counters.batches;
    const trustedLate = counters.trustedBatches;
    expect(fake.deliver()).toBe(8);
    fake.endJob();
    const lost = second.filter((o, i) => map.get(1000 + i) !== o);
    expect(lost, "live entries a late notice removed").toEqual([]);
    for (let i = 0; i < 64; i++) expect(map.get(i)).toBe(first[i]);
    expect(map.size).toBe(64 + 448);
    expect(counters.batches - batchesBefore).toBe(1);
    expect(counters.trustedBatches - trustedLate, "a batch after orphaned registrations reads its WeakRefs").toBe(0);
  });

  for (const how of ["delete", "overwrite"] as const) {
    it(`a ${how === "delete" ? "deleted" : "overwritten"} entry's notice, late, meets a new entry at the same slot and generation`, () => {
      scope(how);
      const map = new WeakValueMap<number, object>();
      const rec = registrations();
      const old = { tag: "old" };
      map.set(0, old);
      const [slot, gen] = rec.slotGen.get(old)!;
      let replacement: object | undefined;
      if (how === "delete") {
        // Key 1 and 62 overwrites of it take generations 2..64; then key 0 goes, and the next new
        // key takes its slot (the lowest free) with generation 65, the same six bits as 1.
        const other = { tag: "other" };
        for (let i = 0; i < 63; i++) map.set(1, other);
        map.delete(0);
        replacement = { tag: "new" };
        map.set(2, replacement);
      } else {
        // 64 overwrites of key 0 itself: the last value gets generation 65, the same six bits as 1.
        for (let i = 0; i < 64; i++) map.set(0, (replacement = { tag: `new${i}` }));
      }
      fake.endJob();
      rec.stop();
      expect(rec.slotGen.get(replacement!), "the test reached a same-slot, same-generation reuse").toEqual([slot, gen]);
      expect(fake.kill([old])).toEqual([old]);
      const trusted = counters.trustedBatches;
      fake.deliver();
      fake.endJob();
      expect(map.get(how === "delete" ? 2 : 0), "the live entry a late notice named").toBe(replacement);
      expect(map.size).toBe(how === "delete" ? 2 : 1);
      expect(counters.trustedBatches - trusted, "a batch after stale registrations reads its WeakRefs").toBe(0);
    });
  }
});
