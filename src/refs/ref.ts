// Ref and ref(): Python's weakref.ref. A Ref is a WeakRef plus the two things CPython adds: a
// callback that runs after the referent is collected, and sharing of the plain (callback-less) ref.
// The callback's bookkeeping lives in the referent's group (group.ts), so that the callbacks of all
// refs to one object run newest first from a single notice.

import { assertCallback, assertWeakable } from "../core/errors.js";
import {
  describe,
  groupFor,
  inspectNested,
  INSPECT_CUSTOM,
  type InspectFunction,
  type InspectOptions,
  type Reaction,
} from "./group.js";

/**
 * A weak reference to an object, with an optional callback: Python's `weakref.ref`.
 *
 * `deref()` returns the referent until it is collected, then `undefined` forever. A Ref never keeps
 * its referent alive (the value `deref()` returns stays alive until the current job ends, as with
 * any `WeakRef`).
 *
 * `new Ref(obj, callback?)` behaves exactly like {@link ref}: without a callback, `new Ref(o)` returns
 * the Ref that `ref(o)` shares. A subclass is never shared (as in CPython): `new MyRef(o)` is
 * always a new object.
 *
 * GC timing: when `deref()` turns `undefined`, and when the callback runs, depend on the engine's
 * collector; neither happens while the referent is reachable, and the callback never runs before
 * `deref()` returns `undefined`.
 *
 * @example
 *   const r = ref(node);
 *   r.deref()?.render();  // render if the node is still around
 */
export class Ref<T extends object> {
  readonly #wr: WeakRef<T>;

  /**
   * The same as {@link ref}: the same checks, callback and sharing (Python: `weakref.ref(obj)`,
   * which is the class itself).
   *
   * @example
   *   new Ref(obj) === ref(obj); // true while someone holds it
   */
  constructor(obj: T, callback?: (r: Ref<T>) => void) {
    assertWeakable(obj, "ref", "referent");
    assertCallback(callback, "ref", "callback");
    const group = groupFor(obj);
    // CPython shares only plain refs of the exact type: a callback or a subclass asks for its own.
    const shareable = callback === undefined && new.target === Ref;
    const shared = shareable ? (group.sharedRef?.deref() as Ref<T> | undefined) : undefined;
    // Assigned before the early return only because TypeScript requires it on every path.
    this.#wr = new WeakRef(obj);
    if (shared !== undefined) return shared;
    if (shareable) group.sharedRef = new WeakRef(this);
    else group.add(obj, this, true, callback as Reaction | undefined);
  }

  /**
   * The referent while it lives, else `undefined` (Python: calling the ref, `r()`).
   *
   * Once it has returned `undefined` it always will. Reading the referent keeps it alive until the
   * current job (the synchronous run of code) ends.
   *
   * @example
   *   const target = r.deref();
   *   if (target !== undefined) use(target);
   */
  deref(): T | undefined {
    return this.#wr.deref();
  }

  /**
   * `"<Ref; to Node>"` while the referent lives, `"<Ref; dead>"` after (Python's
   * `<weakref at 0x…; to 'Node' at 0x…>` and `<weakref at 0x…; dead>`).
   *
   * @example
   *   String(ref(new Map())); // "<Ref; to Map>"
   */
  toString(): string {
    const target = this.#wr.deref();
    return target === undefined ? "<Ref; dead>" : `<Ref; to ${describe(target)}>`;
  }

  /**
   * `"Ref"`, so `Object.prototype.toString.call(r)` gives `"[object Ref]"`.
   *
   * @example
   *   Object.prototype.toString.call(ref(obj)); // "[object Ref]"
   */
  get [Symbol.toStringTag](): string {
    return "Ref";
  }

  /**
   * What Node's `util.inspect` and `console.log` show: `Ref <dead>`, or `Ref` and the inspected
   * referent (Python's repr). Inspecting keeps the referent alive until the current job ends.
   *
   * @example
   *   console.log(ref(new Map())); // Ref Map(0) {}
   */
  [INSPECT_CUSTOM](depth: number, options?: InspectOptions, inspect?: InspectFunction): string {
    const target = this.#wr.deref();
    return target === undefined ? "Ref <dead>" : `Ref ${inspectNested(target, options, inspect)}`;
  }
}

/**
 * Makes a weak reference to `obj`: Python's `weakref.ref(obj, callback)`.
 *
 * Without a callback (`undefined` counts as none) every call for one object returns the same Ref,
 * for as long as someone holds it: `ref(o) === ref(o)` (CPython reuses its plain refs the same way).
 * With a callback, every call makes a new Ref.
 *
 * The callback runs once, after `obj` is collected, with the Ref as its argument, and only if that
 * Ref is itself still reachable then: drop the Ref and the callback is dropped with it. Callbacks of
 * several refs to one object (including proxy callbacks) run newest first. They run after the
 * library's own state is consistent; one that throws is reported with `console.error` and does not
 * stop the others. The Ref holds its callback strongly, so a callback that refers to `obj` keeps
 * `obj` alive for as long as the Ref lives (as in Python).
 *
 * Throws `TypeError` (and changes nothing) if `obj` cannot be weakly referenced (a primitive,
 * `null`, a registered symbol) or `callback` is neither a function nor `undefined`.
 *
 * GC timing: the callback runs in a later job than the collection itself, at a time the engine
 * chooses, possibly never (for example if the program ends first).
 *
 * @example
 *   class Node {
 *     #parent: Ref<Node> | undefined;
 *     get parent() { return this.#parent?.deref(); }
 *     set parent(node: Node) { this.#parent = ref(node, (r) => console.log("parent gone", String(r))); }
 *   }
 */
export function ref<T extends object>(obj: T, callback?: (r: Ref<T>) => void): Ref<T> {
  return new Ref(obj, callback);
}
