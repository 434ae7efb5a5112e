// Messages and util.inspect output (issue 12 §4): errors read as English and name the right call,
// and the objects that showed as `{}` show what they hold. Plus IdRegistry.clear().
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Finalizer, IdRegistry, IterableWeakMap, IterableWeakSet, WeakMethod, WeakValueMap, finalize, id } from "../../src/index.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The message of what `op` throws. */
function message(op: () => unknown): string {
  try {
    op();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}

describe("error messages", () => {
  it("say 'got undefined', 'got null', 'got a number', 'got an object', never 'got a undefined'", () => {
    const map = new WeakValueMap<string, object>();
    expect(message(() => map.set("k", undefined as never))).toContain("(got undefined)");
    expect(message(() => map.set("k", null as never))).toContain("(got null)");
    expect(message(() => map.set("k", 1 as never))).toContain("(got a number)");
    expect(message(() => map.set("k", Symbol.for("r") as never))).toContain("(got a registered symbol)");
    expect(message(() => map.forEach({} as never))).toContain("(got an object)");
    for (const bad of [undefined, null]) expect(message(() => map.set("k", bad as never))).not.toMatch(/got an? (undefined|null)/);
  });

  it("id(5) blames id, not IdRegistry.remember", () => {
    const text = message(() => id(5 as never));
    expect(text).toMatch(/^weaktable: id: /);
    expect(text).not.toContain("remember");
  });

  it("a non-iterable argument is 'the argument must be iterable', not 'the iterable must be iterable'", () => {
    const text = message(() => new IterableWeakSet(5 as never));
    expect(text).toContain("new IterableWeakSet: the argument must be iterable (got a number)");
    expect(text).not.toContain("iterable must be iterable");
  });

  it("assigning size names the class, not an internal base class", () => {
    for (const container of [new WeakValueMap(), new IterableWeakMap(), new IterableWeakSet()]) {
      const text = message(() => ((container as Any).size = 3));
      // V8 names the receiver ("... of #<WeakValueMap> which has only a getter"); JavaScriptCore and
      // SpiderMonkey name no class at all. Either way no internal base class may show.
      if (text.includes("#<")) expect(text).toContain(container[Symbol.toStringTag]);
      expect(text).not.toContain("Base");
    }
  });
});

describe("util.inspect", () => {
  it("shows an IdRegistry's live objects by id", () => {
    const registry = new IdRegistry<object>();
    const a = { name: "a" };
    const oid = registry.remember(a);
    expect(inspect(registry)).toBe(`IdRegistry(1) { ${oid} => { name: 'a' } }`);
    expect(inspect(new IdRegistry())).toBe("IdRegistry(0) {}");
  });

  it("shows a WeakMethod and a Finalizer as their toString() says", () => {
    class Widget {
      layout() {}
    }
    const widget = new Widget();
    expect(inspect(new WeakMethod(widget, widget.layout))).toBe("<WeakMethod layout of Widget>");
    const f = finalize(widget, function close() {});
    expect(inspect(f)).toBe("<Finalizer close; for Widget> (atexit)");
    f.atexit = false;
    expect(inspect(f)).toBe("<Finalizer close; for Widget>");
    f.detach();
    expect(inspect(f)).toBe("<Finalizer; dead>");
    expect(inspect(Object.create(Finalizer.prototype))).toBe("Finalizer {}");
    expect(inspect(Object.create(WeakMethod.prototype))).toBe("WeakMethod {}");
  });
});

describe("IdRegistry.clear()", () => {
  it("forgets every object, and never hands their ids out again", () => {
    const registry = new IdRegistry<object>();
    const a = {};
    const b = {};
    const ids = [registry.remember(a), registry.remember(b)];
    registry.clear();
    expect(registry.size).toBe(0);
    expect([...registry]).toEqual([]);
    for (const oid of ids) expect(registry.get(oid)).toBeUndefined();
    expect(registry.idOf(a)).toBeUndefined();
    const again = registry.remember(a);
    expect(ids).not.toContain(again);
    expect(registry.get(again)).toBe(a);
    expect(registry.remember({})).toBeGreaterThan(0);
  });
});
