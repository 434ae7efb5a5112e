// finalize() and Finalizer: Python's weakref.finalize. A function to run once, when an object is
// collected, at process exit, or when called, whichever comes first.
//
// Lifetime. Unlike a Ref, a finalizer must not need its creator to hold it, so every alive
// finalizer sits in the module-level set `alive` until it runs or is detached (CPython's
// `finalize._registry`). It holds `fn` and `args` strongly and the object weakly; that is why args
// that refer to the object keep it alive forever (the pitfall Python's docs warn about): the set
// holds the finalizer, the finalizer its args, the args the object.
//
// Collection goes through the object's group (group.ts), which defers `invoke()` to run after the
// library's state is consistent; the finalizers of one object run newest first, interleaved with
// the ref and proxy callbacks of that object in creation order.
//
// Exit. On Node, the first finalizer registers one `process.on("exit")` listener; at exit it runs
// every alive finalizer whose `atexit` is true, newest first (CPython's `finalize._exitfunc`), each
// in its own try/catch, and repeats for finalizers those create. The listener is registered lazily
// so that importing the library has no side effect. Browsers have no exit hook: `pagehide`,
// `beforeunload` and `unload` are not fired reliably (a discarded or killed tab, mobile app
// switching, the back/forward cache), so there `atexit` has no effect.

import { runCallbacks } from "../core/collector.js";
import { assertWeakable } from "../core/errors.js";
import { describe, forgetReaction, groupFor, INSPECT_CUSTOM } from "./group.js";
import { assertFunction } from "../core/errors.js";

interface Held<A extends unknown[], R> {
  readonly wr: WeakRef<object>;
  readonly fn: (...args: A) => R;
  readonly args: A;
}

/**
 * The function a finalizer holds, as `detach()` and `peek()` give it back. Declared as a method type
 * so that its parameters are checked bivariantly: a `Finalizer<[string]>` is then a
 * `Finalizer<unknown[]>`, which is what `ReturnType<typeof finalize>` names.
 */
export type FinalizerFunction<A extends unknown[], R> = { bivariant(...args: A): R }["bivariant"];

/** Every finalizer that has not run and was not detached, oldest first (insertion order). */
const alive = new Set<Finalizer<any, unknown>>();
let exitHooked = false;

/**
 * A function registered to run once when an object is collected: Python's `weakref.finalize`.
 * Made by {@link finalize} (or `new Finalizer(obj, fn, ...args)`, the same thing).
 *
 * A finalizer is *alive* until it has run (at collection, at exit, or through `invoke()`) or been
 * detached; while alive it keeps itself alive (you need not hold it) and holds `fn` and `args`
 * strongly, the object weakly.
 *
 * @example
 *   const f = finalize(socket, closeHandle, socket.handle);
 *   f.alive;    // true
 *   f.invoke(); // closes now; will not run again
 */
export class Finalizer<A extends unknown[] = any[], R = unknown> {
  #held: Held<A, R> | undefined;

  /**
   * Whether this finalizer runs when the Node.js process exits, if it is still alive then. Default
   * true. At exit, alive finalizers with `atexit` set run newest first; each in a try/catch (an
   * exception is reported with `console.error`). Python: `finalize.atexit`. In a browser there is no
   * exit hook and this has no effect (`pagehide`/`unload` are not reliable enough to run it from).
   *
   * @example
   *   finalize(tmpDir, removeDir, path).atexit = false; // leave it if the process just exits
   */
  atexit = true;

  /**
   * The same as {@link finalize}: the same checks, the same behaviour (Python: `weakref.finalize`
   * is the class itself).
   *
   * @example
   *   new Finalizer(obj, console.log, "obj collected");
   */
  constructor(obj: object, fn: (...args: A) => R, ...args: A) {
    assertWeakable(obj, "finalize", "object");
    assertFunction(fn, "finalize", "fn");
    this.#held = { wr: new WeakRef(obj), fn, args };
    alive.add(this);
    groupFor(obj).add(obj, this, false, (owner) => (owner as Finalizer).invoke());
    hookExit();
  }

  /**
   * True until the finalizer has run or been detached (Python: `finalize.alive`). Stays true after
   * the object is collected until the deferred call has run.
   *
   * @example
   *   if (f.alive) f.detach();
   */
  get alive(): boolean {
    return this.#held !== undefined;
  }

  /**
   * Runs `fn(...args)` now if the finalizer is alive and returns its result; later calls (and calls
   * after a detach) return `undefined` and run nothing. Marks the finalizer dead before calling, so
   * `fn` runs at most once even if it calls `invoke()` itself; an exception from `fn` propagates.
   * Python: calling the finalizer, `f()`.
   *
   * @example
   *   const f = finalize(obj, () => 42);
   *   f.invoke(); // 42
   *   f.invoke(); // undefined
   */
  invoke(): R | undefined {
    const held = this.#take();
    if (held === undefined) return undefined;
    return held.fn(...held.args); // calls user code
  }

  /**
   * If the finalizer is alive and its object is still reachable, stops it and returns
   * `[obj, fn, args]`; otherwise returns `undefined`. Python: `finalize.detach()`. If the object has
   * been collected but its finalizer has not run yet, `detach` returns `undefined` and the finalizer
   * still runs, as it would have in Python (where it would already have run).
   *
   * @example
   *   const [obj, fn, args] = f.detach() ?? [];
   */
  detach(): [object, FinalizerFunction<A, R>, A] | undefined {
    const entry = this.peek();
    if (entry !== undefined) this.#take();
    return entry;
  }

  /**
   * `[obj, fn, args]` if the finalizer is alive and its object is still reachable, else `undefined`;
   * changes nothing. Python: `finalize.peek()`. The returned object stays alive until the current
   * job ends, or longer if you keep the array.
   *
   * @example
   *   const [, fn] = f.peek() ?? [];
   */
  peek(): [object, FinalizerFunction<A, R>, A] | undefined {
    const held = this.#held;
    const obj = held?.wr.deref();
    if (held === undefined || obj === undefined) return undefined;
    return [obj, held.fn, held.args];
  }

  /**
   * `"<Finalizer close; for Socket>"` while alive, `"<Finalizer close; object gone>"` once the object
   * was collected but `fn` has not run yet, `"<Finalizer; dead>"` after (Python's repr).
   *
   * @example
   *   String(finalize(new Map(), function close() {})); // "<Finalizer close; for Map>"
   */
  toString(): string {
    const held = this.#held;
    if (held === undefined) return "<Finalizer; dead>";
    const name = held.fn.name || "(anonymous)";
    const obj = held.wr.deref();
    return obj === undefined ? `<Finalizer ${name}; object gone>` : `<Finalizer ${name}; for ${describe(obj)}>`;
  }

  /**
   * `"Finalizer"`, so `Object.prototype.toString.call(f)` gives `"[object Finalizer]"`.
   *
   * @example
   *   Object.prototype.toString.call(f); // "[object Finalizer]"
   */
  get [Symbol.toStringTag](): string {
    return "Finalizer";
  }

  /** `util.inspect` shows what `toString()` says, and `atexit`: `<Finalizer close; for Socket> (atexit)`. */
  [INSPECT_CUSTOM](): string {
    if (!(#held in this)) return "Finalizer {}";
    return this.alive && this.atexit ? `${this.toString()} (atexit)` : this.toString();
  }

  /** Makes the finalizer dead and returns what it held, once. */
  #take(): Held<A, R> | undefined {
    const held = this.#held;
    if (held === undefined) return undefined;
    this.#held = undefined;
    alive.delete(this);
    forgetReaction(this);
    return held;
  }
}

/**
 * Registers `fn(...args)` to run once when `obj` is collected: Python's `weakref.finalize(obj, fn,
 * *args)`. Returns the {@link Finalizer}, which you need not keep.
 *
 * `fn` runs once: when `obj` is collected, when the Node.js process exits (if `atexit` is still
 * true, the default), or when you call `invoke()`, whichever comes first; `detach()` cancels it.
 * Several finalizers of one object run newest first. At collection `fn` runs after the library's
 * state is consistent, and an exception is reported with `console.error` and stops nothing.
 *
 * The finalizer holds `fn` and `args` strongly, so neither may refer to `obj`: `finalize(obj, fn,
 * obj)`, or an `fn` that closes over `obj` (a method bound to it, an arrow function using it), keeps
 * `obj` alive forever and `fn` then runs only at exit. Pass what the cleanup needs (a handle, a
 * path), not the object.
 *
 * Throws `TypeError` (and changes nothing) if `obj` cannot be weakly referenced or `fn` is not a
 * function.
 *
 * GC timing: "when `obj` is collected" means some time after it becomes unreachable, in a later job,
 * as the engine decides; it may never happen before the program ends, which is what `atexit` is for
 * on Node. In browsers there is no exit hook (`pagehide` is not reliable), so a finalizer whose object
 * outlives the page never runs; do essential cleanup explicitly.
 *
 * @example
 *   class TempFile {
 *     constructor(readonly path: string) {
 *       finalize(this, (path) => fs.rmSync(path, { force: true }), path); // path, not this
 *     }
 *   }
 */
export function finalize<A extends unknown[], R = unknown>(obj: object, fn: (...args: A) => R, ...args: A): Finalizer<A, R> {
  return new Finalizer(obj, fn, ...args);
}

/** Registers the exit listener once, where there is a Node-like `process.on`. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const process = (globalThis as { process?: { on?: (event: string, listener: () => void) => unknown } }).process;
  if (typeof process?.on === "function") process.on("exit", runAtExit);
}

/** Runs alive atexit finalizers newest first, each reported on failure; again for any they created. */
function runAtExit(): void {
  for (;;) {
    const due = [...alive].filter((finalizer) => finalizer.atexit).reverse();
    if (due.length === 0) return;
    // An earlier finalizer may clear `atexit` on (or invoke) a later one: check again at its turn.
    runCallbacks(due.map((finalizer) => () => void (finalizer.atexit && finalizer.invoke())));
  }
}
