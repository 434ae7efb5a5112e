// finalize() and Finalizer: invoke/detach/peek/alive, running at collection (once, newest first,
// errors reported), keeping itself alive, the args-refer-to-obj pitfall, and atexit in a child
// process running the TypeScript source bundled by esbuild.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { afterEach, describe, expect, it, vi } from "vitest";
import { finalize, Finalizer, getWeakRefCount, getWeakRefs, ref } from "../../src/refs/index.js";
import { collect } from "../../src/testing/index.js";
import { collected, expectStaysAlive, makeWatched, NOT_WEAKABLE } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Finalizer without the collector", () => {
  it("invoke() runs fn(...args) once and returns its result; later undefined", () => {
    const obj = {};
    const fn = vi.fn((a: number, b: string) => `${a}${b}`);
    const f = finalize(obj, fn, 1, "x");
    expect(f).toBeInstanceOf(Finalizer);
    expect(f.alive).toBe(true);
    expect(f.atexit).toBe(true);
    expect(f.invoke()).toBe("1x");
    expect(f.alive).toBe(false);
    expect(f.invoke()).toBeUndefined();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(f.peek()).toBeUndefined();
    expect(f.detach()).toBeUndefined();
  });

  it("invoke() lets an exception propagate and the finalizer is dead afterwards", () => {
    const f = finalize({}, () => {
      throw new RangeError("nope");
    });
    expect(() => f.invoke()).toThrow(RangeError);
    expect(f.alive).toBe(false);
    expect(f.invoke()).toBeUndefined();
  });

  it("marks itself dead before calling fn, so fn calling invoke() again gets undefined", () => {
    const inner: unknown[] = [];
    const f: Finalizer = finalize({}, () => {
      inner.push(f.alive, f.invoke());
      return "outer";
    });
    expect(f.invoke()).toBe("outer");
    expect(inner).toEqual([false, undefined]);
  });

  it("peek() shows [obj, fn, args] and changes nothing; detach() returns them and stops it", () => {
    const obj = {};
    const fn = vi.fn();
    const f = finalize(obj, fn, "a", 2);
    const peeked = f.peek();
    expect(peeked).toEqual([obj, fn, ["a", 2]]);
    expect(peeked![0]).toBe(obj);
    expect(f.alive).toBe(true);
    const detached = f.detach();
    expect(detached).toEqual([obj, fn, ["a", 2]]);
    expect(f.alive).toBe(false);
    expect(f.detach()).toBeUndefined();
    expect(f.peek()).toBeUndefined();
    expect(f.invoke()).toBeUndefined();
    expect(fn).not.toHaveBeenCalled();
  });

  it("new Finalizer() is finalize(); printing and toStringTag", () => {
    const obj = new Map();
    const f = new Finalizer(obj, function cleanup() {});
    expect(String(f)).toBe("<Finalizer cleanup; for Map>");
    expect(Object.prototype.toString.call(f)).toBe("[object Finalizer]");
    f.detach();
    expect(String(f)).toBe("<Finalizer; dead>");
  });

  it("is not counted or listed by getWeakRefCount and getWeakRefs", () => {
    const obj = {};
    const f = finalize(obj, () => {});
    expect(getWeakRefCount(obj)).toBe(0);
    expect(getWeakRefs(obj)).toEqual([]);
    f.detach();
  });

  it("throws TypeError for an object that cannot be weakly referenced or an fn that is not a function", () => {
    for (const [value, type] of NOT_WEAKABLE) {
      expect(() => finalize(value as object, () => {})).toThrow(TypeError);
      expect(() => finalize(value as object, () => {})).toThrow(type);
    }
    for (const fn of [undefined, null, 1, "f", {}]) {
      expect(() => finalize({}, fn as () => void)).toThrow(TypeError);
    }
  });
});

describe("finalize() with the real collector", () => {
  it("runs fn(...args) once when the object is collected, without anyone holding the Finalizer", async () => {
    const calls: unknown[][] = [];
    const record = (...args: unknown[]) => void calls.push(args);
    const [wr] = makeWatched((o) => {
      finalize(o, record, "handle", 42);
    });
    await collected(wr);
    await collect(() => calls.length > 0);
    expect(calls).toEqual([["handle", 42]]);
    await collect();
    expect(calls).toHaveLength(1);
  });

  it("runs several finalizers of one object newest first, interleaved with ref callbacks by age", async () => {
    const order: string[] = [];
    const push = (name: string) => void order.push(name);
    const onRef = () => push("ref");
    const [wr, keep] = makeWatched((o) => {
      finalize(o, push, "first");
      const r = ref(o, onRef);
      finalize(o, push, "second");
      finalize(o, push, "third");
      return r;
    });
    await collected(wr);
    await collect(() => order.length === 4);
    expect(order).toEqual(["third", "second", "ref", "first"]);
    expect(keep.deref()).toBeUndefined();
  });

  it("reports a finalizer that throws at collection with console.error and runs the others", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const order: string[] = [];
    const boom = new Error("boom");
    const push = (name: string) => void order.push(name);
    const thrower = () => {
      order.push("thrower");
      throw boom;
    };
    const [wr] = makeWatched((o) => {
      finalize(o, push, "old");
      finalize(o, thrower);
      finalize(o, push, "new");
    });
    await collected(wr);
    await collect(() => order.length === 3);
    expect(order).toEqual(["new", "thrower", "old"]);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]).toContain(boom);
  });

  it("does not run a detached or already invoked finalizer at collection", async () => {
    const fn = vi.fn();
    const marker = vi.fn();
    const [wr, finalizers] = makeWatched((o) => {
      const detached = finalize(o, fn, "detached");
      const invoked = finalize(o, () => "done");
      finalize(o, marker); // shows that the object was collected and notices processed
      return [detached, invoked] as const;
    });
    expect(finalizers[0].detach()).toBeDefined();
    expect(finalizers[1].invoke()).toBe("done");
    await collected(wr);
    await collect(() => marker.mock.calls.length === 1);
    expect(fn).not.toHaveBeenCalled();
    expect(finalizers.map((f) => f.alive)).toEqual([false, false]);
  });

  it("after collection but before its turn, detach() and peek() give undefined and the finalizer still runs", async () => {
    const seen: unknown[] = [];
    const late = vi.fn(() => "ran");
    const holder: { f?: Finalizer } = {};
    const inspectFinalizer = () => {
      const f = holder.f!;
      seen.push(f.alive, f.peek(), f.detach(), f.alive);
    };
    // The Ref is returned and kept: a Ref must stay reachable for its callback to run.
    const [wr, keptRef] = makeWatched((o) => {
      holder.f = finalize(o, late); // older: runs after the ref callback below
      return ref(o, inspectFinalizer); // newer: runs first, while the finalizer is still pending
    });
    await collected(wr);
    await collect(() => late.mock.calls.length === 1);
    expect(seen).toEqual([true, undefined, undefined, true]);
    expect(holder.f!.alive).toBe(false);
    expect(keptRef.deref()).toBeUndefined();
  });

  it("pitfall: args that refer to the object keep it alive (as in Python), until detached", async () => {
    const fn = vi.fn();
    const holder: { f?: Finalizer } = {};
    const [wr] = makeWatched((o) => {
      holder.f = finalize(o, fn, { owner: o });
    });
    await expectStaysAlive(wr);
    expect(holder.f!.alive).toBe(true);
    holder.f!.detach(); // releases fn and args, so the object can go
    await collected(wr);
    expect(fn).not.toHaveBeenCalled();
  });

  it("pitfall: passing the object itself, or an fn that closes over it, keeps it alive", async () => {
    const finalizers: Finalizer[] = [];
    const [itself] = makeWatched((o) => void finalizers.push(finalize(o, (owner: object) => void owner, o)));
    const [closure] = makeWatched((o) => void finalizers.push(finalize(o, () => o)));
    await expectStaysAlive(itself);
    expect(closure.deref()).toBeDefined();
    for (const f of finalizers) f.detach();
    await collected(itself);
    await collected(closure);
  });
});

describe("finalize() at process exit", () => {
  it("runs alive atexit finalizers newest first at exit, each in try/catch, and skips atexit=false ones", () => {
    const dir = mkdtempSync(join(tmpdir(), "weaktable-atexit-"));
    try {
      const outfile = join(dir, "atexit.mjs");
      buildSync({
        entryPoints: [fileURLToPath(new URL("./fixtures/atexit.ts", import.meta.url))],
        bundle: true,
        format: "esm",
        platform: "node",
        target: "node20",
        outfile,
        logLevel: "silent",
      });
      const child = spawnSync(process.execPath, [outfile], { encoding: "utf8", timeout: 30_000 });
      expect(child.status, child.stderr).toBe(0);
      expect(child.stdout.trim().split("\n")).toEqual([
        "exit listeners added by importing: 0",
        "exit listeners added by the first finalizer: 1",
        "ran invoked",
        "exit listeners added in all: 1",
        "main done",
        // At exit, newest first; "disabled" was switched off by "disabler", "quiet" has atexit=false,
        // "detached" and "invoked" are dead; "spawned" was made during exit and runs last.
        "ran spawner",
        "ran disabler",
        "ran third",
        "ran thrower",
        "ran second",
        "ran first",
        "ran spawned",
      ]);
      expect(child.stderr).toContain("finalizer failed on purpose");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
