// The model harness itself: it must refuse to run, rather than check nothing, when the tables'
// methods it wraps are missing (a rename once made the suites print "0 table invariant checks" and
// pass), and a file in which no check ran must fail.
import { describe, expect, it } from "vitest";
import { finish, loadWithFakeGc, type Loaded } from "./harness.js";

describe("model harness", () => {
  it("refuses to load when a table class has no check(), naming what is missing", async () => {
    const { makeTable } = await import("../../src/core/slot-store.js");
    const proto = Object.getPrototypeOf(makeTable()) as { check?: unknown };
    const check = proto.check;
    delete proto.check;
    try {
      await expect(loadWithFakeGc()).rejects.toThrow(/has no check/);
    } finally {
      proto.check = check;
    }
  });

  it("once the methods are there, wraps every mutator (reserve and trim included) and counts checks", async () => {
    const loaded = await loadWithFakeGc();
    const names = new Set(loaded.wrapped.map((method) => method.split(".")[1]));
    expect([...names].sort()).toEqual(["clear", "compactIfSparse", "insertNumber", "insertOther", "reap", "relocate", "remove", "reserve", "setGen", "trim"]);
    const before = loaded.counters.checks;
    const map = new loaded.lib.WeakValueMap<number, object>();
    const values = [{}, {}];
    map.update([[1, values[0]!], [2, values[1]!]]); // reserve, then two inserts
    expect(loaded.counters.checks - before).toBeGreaterThanOrEqual(3);
  });

  it("finish() fails a file in which no table invariant check ran", () => {
    const idle = { counters: { checks: 0, steps: 0, runs: 0, checking: true, events: {} }, fake: { totals: { kills: 0, deliveries: 0 } }, wrapped: [] };
    expect(() => finish("idle", idle as unknown as Loaded)).toThrow(/0 table invariant checks/);
  });
});
