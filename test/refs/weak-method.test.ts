// WeakMethod: binding, the cached bound function, not keeping the object alive, the callback under
// the real collector, printing and bad input.
import { afterEach, describe, expect, it, vi } from "vitest";
import { getWeakRefCount, getWeakRefs, WeakMethod } from "../../src/refs/index.js";
import { collect } from "../../src/testing/index.js";
import { collected, expectStaysAlive, NOT_CALLBACKS, NOT_WEAKABLE } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

class Widget {
  #size = 1;
  constructor(readonly name: string) {}
  grow(by: number): number {
    this.#size += by;
    return this.#size;
  }
}

/** A WeakMethod of a fresh Widget, and a WeakRef that tells when the widget is collected. */
function watchedMethod(callback?: (wm: WeakMethod<Widget["grow"]>) => void): [WeakRef<Widget>, WeakMethod<Widget["grow"]>] {
  const widget = new Widget("temp");
  return [new WeakRef(widget), new WeakMethod(widget, widget.grow, callback)];
}

describe("WeakMethod without the collector", () => {
  it("derefs to the method bound to the object (#private fields work)", () => {
    const widget = new Widget("w");
    const wm = new WeakMethod(widget, widget.grow);
    const bound = wm.deref();
    expect(bound).toBeTypeOf("function");
    expect(bound!(2)).toBe(3);
    expect(wm.deref()!(1)).toBe(4);
  });

  it("returns the same bound function on every call", () => {
    const widget = new Widget("w");
    const wm = new WeakMethod(widget, widget.grow);
    expect(wm.deref()).toBe(wm.deref());
    expect(wm.deref()).not.toBe(widget.grow);
    expect(new WeakMethod(widget, widget.grow).deref()).not.toBe(wm.deref());
  });

  it("is not counted or listed by getWeakRefCount and getWeakRefs", () => {
    const widget = new Widget("w");
    const wm = new WeakMethod(widget, widget.grow, () => {});
    expect(getWeakRefCount(widget)).toBe(0);
    expect(getWeakRefs(widget)).toEqual([]);
    expect(wm.deref()).toBeDefined();
  });

  it("prints the method and whether the object lives", async () => {
    const widget = new Widget("w");
    expect(String(new WeakMethod(widget, widget.grow))).toBe("<WeakMethod grow of Widget>");
    expect(Object.prototype.toString.call(new WeakMethod(widget, widget.grow))).toBe("[object WeakMethod]");
    const [wr, wm] = watchedMethod();
    await collected(wr);
    expect(String(wm)).toBe("<WeakMethod grow; dead>");
  });

  it("throws TypeError for an object that cannot be weakly referenced, a method that is not a function, a bad callback", () => {
    for (const [value, type] of NOT_WEAKABLE) {
      expect(() => new WeakMethod(value as object, () => {})).toThrow(TypeError);
      expect(() => new WeakMethod(value as object, () => {})).toThrow(type);
    }
    const widget = new Widget("w");
    for (const method of [undefined, null, 1, {}]) {
      expect(() => new WeakMethod(widget, method as () => void)).toThrow(TypeError);
    }
    for (const callback of NOT_CALLBACKS) {
      expect(() => new WeakMethod(widget, widget.grow, callback as () => void)).toThrow(TypeError);
    }
  });
});

describe("WeakMethod with the real collector", () => {
  it("does not keep the object alive, even with a bound function cached", async () => {
    const [wr, wm] = watchedMethod();
    expect(wm.deref()!(1)).toBe(2); // caches the bound function, which holds the object
    await collected(wr);
    expect(wm.deref()).toBeUndefined();
  });

  it("keeps the object alive while the bound function it returned is held", async () => {
    const [wr, wm] = watchedMethod();
    let bound = wm.deref();
    await expectStaysAlive(wr);
    expect(bound!(1)).toBe(2);
    bound = undefined;
    await collected(wr);
    expect(wm.deref()).toBeUndefined();
  });

  it("runs the callback once after collection, with the WeakMethod as its argument", async () => {
    const calls: unknown[] = [];
    const [wr, wm] = watchedMethod((dead) => calls.push(dead, dead.deref()));
    await collected(wr);
    await collect(() => calls.length > 0);
    expect(calls).toEqual([wm, undefined]);
    await collect();
    expect(calls).toHaveLength(2);
  });

  it("does not run the callback of a WeakMethod dropped before the object", async () => {
    const dropped = vi.fn();
    const kept = vi.fn();
    const make = () => {
      const widget = new Widget("temp");
      new WeakMethod(widget, widget.grow, dropped);
      return [new WeakRef(widget), new WeakMethod(widget, widget.grow, kept)] as const;
    };
    const [wr, wm] = make();
    await collected(wr);
    await collect(() => kept.mock.calls.length === 1);
    expect(kept).toHaveBeenCalledWith(wm);
    expect(dropped).not.toHaveBeenCalled();
  });
});
