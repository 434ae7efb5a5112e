// Found by test/model/weak-value-map.model.test.ts (the JS-table rerun, FC_SEED=1346180806):
// flush() applied the notices it had, then ran their onCollect callbacks; a callback that set an
// entry of another map could renew that map's registry, and a notice for the flushed map delivered
// while that renewal registered (the fake collector's mid-renewal hook) was left pending after
// flush() returned, against its contract (`stats().pending` is 0 after a flush). flush() now
// applies until nothing is pending.
//
// The engine itself only delivers in a cleanup task of its own, so only the fake collector can
// place a notice there. It installs the fake collector (it replaces WeakRef before the library
// loads), so it needs a process of its own: not in test/model/, whose files the JS-table re-run
// loads into one process (test/fallback/rerun.ts).
import { expect, it } from "vitest";
import { installFakeGc } from "../fixtures/fake-gc.js";

const fake = installFakeGc();
const { WeakValueMap } = await import("../../src/index.js");
const { tuneForTesting } = await import("../../src/core/collector.js");

it("flush() also applies a notice delivered while its own callbacks renew a registry", () => {
  const previous = tuneForTesting({ staleMin: 0 });
  fake.beginScope("flush-reentry");
  try {
    const a = { name: "a" };
    const c = { name: "c" };
    const keep = { name: "keep" };
    // `other` renews its registry at its next overwrite: staled() renews once the stale
    // registrations outnumber max(staleMin 0, its one entry).
    const other = new WeakValueMap<string, object>();
    other.set("k", keep);
    other.set("k", keep); // one stale registration, not more than its one entry
    const collected: string[] = [];
    const map = new WeakValueMap<string, object>(null, {
      onCollect: (key) => {
        collected.push(key);
        if (key === "a") other.set("k", keep); // the second stale registration: a renewal
      },
    });
    map.set("a", a);
    map.set("c", c);
    fake.endJob(); // nothing is kept alive by this job any more

    expect(fake.kill([a])).toEqual([a]);
    fake.deliver();
    expect(map.stats().pending).toBe(1);

    // At the first registration of the renewal that onCollect("a") starts, "c"'s value (not
    // touched in this job) dies, and its notice is delivered to `map`, inside map.flush().
    let registrations = 0;
    fake.onRegister = () => {
      if (registrations++ > 0) return;
      expect(fake.kill([c])).toEqual([c]);
      expect(fake.deliver()).toBe(1);
    };
    let removed: number;
    try {
      removed = map.flush();
    } finally {
      fake.onRegister = undefined;
    }
    expect(registrations).toBeGreaterThan(0); // so the renewal ran inside flush()
    expect(collected).toEqual(["a", "c"]);
    expect(removed).toBe(2);
    expect(map.stats().pending).toBe(0);
    expect(map.size).toBe(0);
    expect(other.get("k")).toBe(keep);
  } finally {
    fake.endScope();
    tuneForTesting(previous);
  }
});
