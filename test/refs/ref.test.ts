// ref() and Ref: sharing, deref, callbacks under the real collector (once, newest first, only for
// reachable refs, errors reported), re-entrancy, printing and bad input.
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getWeakRefCount, ref, Ref } from "../../src/refs/index.js";
import { collect } from "../../src/testing/index.js";
import { collected, expectStaysAlive, makeWatched, NOT_CALLBACKS, NOT_WEAKABLE } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("ref() without the collector", () => {
  it("derefs to its referent", () => {
    const obj = { a: 1 };
    const r = ref(obj);
    expect(r).toBeInstanceOf(Ref);
    expect(r.deref()).toBe(obj);
  });

  it("shares one Ref per object without a callback, undefined counting as none", () => {
    const obj = {};
    const r = ref(obj);
    expect(ref(obj)).toBe(r);
    expect(ref(obj, undefined)).toBe(r);
    expect(new Ref(obj)).toBe(r);
    expect(ref({})).not.toBe(r);
  });

  it("makes a new Ref for each call with a callback, and never hands one out as the shared Ref", () => {
    const obj = {};
    const callback = () => {};
    const a = ref(obj, callback);
    const b = ref(obj, callback);
    expect(a).not.toBe(b);
    const plain = ref(obj);
    expect(plain).not.toBe(a);
    expect(plain).not.toBe(b);
    expect(getWeakRefCount(obj)).toBe(3);
  });

  it("never shares a subclass's Refs (as CPython)", () => {
    class Named<T extends object> extends Ref<T> {
      constructor(
        obj: T,
        readonly label: string,
      ) {
        super(obj);
      }
    }
    const obj = {};
    const plain = ref(obj);
    const a = new Named(obj, "a");
    const b = new Named(obj, "b");
    expect(a).toBeInstanceOf(Named);
    expect(a).not.toBe(b);
    expect(a).not.toBe(plain);
    expect(a.label).toBe("a");
    expect(a.deref()).toBe(obj);
    expect(ref(obj)).toBe(plain);
  });

  it("accepts functions and, where the engine allows, non-registered symbols", () => {
    const fn = () => {};
    expect(ref(fn).deref()).toBe(fn);
    let symbolsHoldable = true;
    try {
      new WeakRef(Symbol("probe") as unknown as object);
    } catch {
      symbolsHoldable = false;
    }
    const sym = Symbol("local");
    if (symbolsHoldable) expect(ref(sym as unknown as object).deref()).toBe(sym);
    else expect(() => ref(sym as unknown as object)).toThrow(TypeError);
  });

  it("prints alive and dead states", async () => {
    const obj = new Map();
    const r = ref(obj);
    expect(String(r)).toBe("<Ref; to Map>");
    expect(Object.prototype.toString.call(r)).toBe("[object Ref]");
    expect(inspect(r)).toBe("Ref Map(0) {}");
    const [wr, dead] = makeWatched((o) => ref(o));
    await collected(wr);
    expect(String(dead)).toBe("<Ref; dead>");
    expect(inspect(dead)).toBe("Ref <dead>");
  });

  it("throws TypeError naming the type for a referent that cannot be weakly referenced", () => {
    for (const [value, type] of NOT_WEAKABLE) {
      expect(() => ref(value as object)).toThrow(TypeError);
      expect(() => ref(value as object)).toThrow(type);
      expect(() => new Ref(value as object)).toThrow(type);
    }
  });

  it("throws TypeError for a callback that is neither a function nor undefined, and changes nothing", () => {
    const obj = {};
    for (const callback of NOT_CALLBACKS) {
      expect(() => ref(obj, callback as () => void)).toThrow(TypeError);
    }
    expect(getWeakRefCount(obj)).toBe(0);
  });
});

describe("ref() with the real collector", () => {
  it("derefs to undefined once the referent is collected, and does not keep it alive", async () => {
    const [wr, r] = makeWatched((o) => ref(o));
    await collected(wr);
    expect(r.deref()).toBeUndefined();
  });

  it("runs the callback once, after collection, with the Ref as its argument", async () => {
    const seen: Array<[Ref<object>, object | undefined]> = [];
    const [wr, r] = makeWatched((o) => ref(o, (dead) => seen.push([dead, dead.deref()])));
    await collected(wr);
    await collect(() => seen.length > 0);
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toBe(r);
    expect(seen[0][1]).toBeUndefined();
    await collect();
    expect(seen).toHaveLength(1);
  });

  it("does not run the callback while the referent is reachable", async () => {
    const callback = vi.fn();
    const obj = {};
    const r = ref(obj, callback);
    await collect();
    await collect();
    expect(callback).not.toHaveBeenCalled();
    expect(r.deref()).toBe(obj);
  });

  it("runs the callbacks of refs to one object newest first", async () => {
    const order: string[] = [];
    // The callbacks are made outside the function that sees the object: a closure made where the
    // object is in scope may capture it (V8 shares one context per scope) and keep it alive.
    const callbacks = ["first", "second", "third"].map((name) => () => order.push(name));
    const [wr, refs] = makeWatched((o) => callbacks.map((callback) => ref(o, callback)));
    await collected(wr);
    await collect(() => order.length === 3);
    expect(order).toEqual(["third", "second", "first"]);
    expect(refs).toHaveLength(3);
  });

  it("does not run the callback of a Ref that was dropped before its referent died", async () => {
    const dropped = vi.fn();
    const kept = vi.fn();
    // The dropped Ref is made and forgotten; `kept` shows that the referent really was collected.
    const [wr, keptRef] = makeWatched((o) => {
      ref(o, dropped);
      return ref(o, kept);
    });
    await collected(wr);
    await collect(() => kept.mock.calls.length === 1);
    expect(kept).toHaveBeenCalledWith(keptRef);
    expect(dropped).not.toHaveBeenCalled();
  });

  it("reports a throwing callback with console.error and still runs the others", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const order: string[] = [];
    const boom = new Error("boom");
    const [wr, refs] = makeWatched((o) => [
      ref(o, () => order.push("oldest")),
      ref(o, () => {
        order.push("thrower");
        throw boom;
      }),
      ref(o, () => order.push("newest")),
    ]);
    await collected(wr);
    await collect(() => order.length === 3);
    expect(order).toEqual(["newest", "thrower", "oldest"]);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]).toContain(boom);
    expect(refs).toHaveLength(3);
  });

  it("lets a callback create new refs, whose callbacks run when their own referents die", async () => {
    const events: string[] = [];
    const later: Array<Ref<object>> = [];
    const [first, firstRef] = makeWatched((o) =>
      ref(o, () => {
        events.push("first died");
        // Re-entrant: a new object, a shared ref and a ref with a callback, made inside a callback.
        const next = { name: "next" };
        later.push(ref(next), ref(next, () => events.push("next died")));
        expect(getWeakRefCount(next)).toBe(2);
      }),
    );
    await collected(first);
    await collect(() => events.length >= 1);
    expect(events[0]).toBe("first died");
    expect(later).toHaveLength(2);
    await collect(() => events.length === 2);
    expect(events).toEqual(["first died", "next died"]);
    expect(later[0].deref()).toBeUndefined();
    expect(firstRef.deref()).toBeUndefined();
  });

  it("keeps the referent alive through a callback that refers to it, only while the Ref lives (as in Python)", async () => {
    let holder: { r?: Ref<object> } = {};
    const [wr] = makeWatched((o) => {
      holder.r = ref(o, () => o);
    });
    await expectStaysAlive(wr);
    holder = {};
    await collected(wr);
  });

  it("runs callbacks of refs to different objects independently", async () => {
    const died: string[] = [];
    const [a, refA] = makeWatched((o) => ref(o, () => died.push("a")), "a");
    const [b, refB] = makeWatched((o) => ref(o, () => died.push("b")), "b");
    await collected(a);
    await collected(b);
    await collect(() => died.length === 2);
    expect(died.sort()).toEqual(["a", "b"]);
    expect([refA.deref(), refB.deref()]).toEqual([undefined, undefined]);
  });
});
