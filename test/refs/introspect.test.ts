// getWeakRefCount() and getWeakRefs(): what they count (Refs and proxies), what they leave out
// (container entries, WeakMethods, finalizers), dropped refs under the real collector, bad input.
import { describe, expect, it } from "vitest";
import { WeakValueMap } from "../../src/containers/weak-value-map.js";
import { finalize, getWeakRefCount, getWeakRefs, proxy, ref, WeakMethod } from "../../src/refs/index.js";
import { collect } from "../../src/testing/index.js";
import { NOT_WEAKABLE } from "./helpers.js";

describe("getWeakRefCount and getWeakRefs", () => {
  it("report nothing for an object no single reference was made for", () => {
    const obj = {};
    expect(getWeakRefCount(obj)).toBe(0);
    expect(getWeakRefs(obj)).toEqual([]);
  });

  it("count the shared Ref, Refs with callbacks, the shared proxy and proxies with callbacks", () => {
    const obj = { method() {} };
    const shared = ref(obj);
    const withCallback = ref(obj, () => {});
    const sharedProxy = proxy(obj);
    const callbackProxy = proxy(obj, () => {});
    expect(ref(obj)).toBe(shared); // the shared one is counted once however often it is asked for
    expect(getWeakRefCount(obj)).toBe(4);
    const listed = getWeakRefs(obj);
    expect(listed).toHaveLength(4);
    for (const item of [shared, withCallback, sharedProxy, callbackProxy]) expect(listed).toContain(item);
  });

  it("leave out container entries, WeakMethods and finalizers", () => {
    const obj = { method() {} };
    const map = new WeakValueMap<string, object>([["k", obj]]);
    const wm = new WeakMethod(obj, obj.method, () => {});
    const f = finalize(obj, () => {});
    expect(getWeakRefCount(obj)).toBe(0);
    expect(getWeakRefs(obj)).toEqual([]);
    const r = ref(obj);
    expect(getWeakRefs(obj)).toEqual([r]);
    f.detach();
    expect([map.size, typeof wm.deref()]).toEqual([1, "function"]);
  });

  it("stop counting Refs and proxies that were dropped and collected", async () => {
    const obj = {};
    const make = () => {
      ref(obj, () => {});
      proxy(obj, () => {});
      proxy(obj);
    };
    make();
    const kept = ref(obj, () => {});
    await collect(() => getWeakRefCount(obj) === 1);
    expect(getWeakRefs(obj)).toEqual([kept]);
  });

  it("keep working through many refs made and dropped (the group prunes), counting only the live ones", async () => {
    const obj = {};
    const kept: object[] = [];
    const churn = () => {
      for (let i = 0; i < 200; i++) {
        const r = ref(obj, () => {});
        if (i % 50 === 0) kept.push(r);
      }
    };
    churn();
    await collect(() => getWeakRefCount(obj) === kept.length);
    churn();
    await collect(() => getWeakRefCount(obj) === kept.length);
    expect(kept).toHaveLength(8);
    expect(new Set(getWeakRefs(obj))).toEqual(new Set(kept));
  });

  it("find nothing for values that cannot be weakly referenced", () => {
    for (const [value] of NOT_WEAKABLE) {
      expect(getWeakRefCount(value)).toBe(0);
      expect(getWeakRefs(value)).toEqual([]);
    }
  });
});
