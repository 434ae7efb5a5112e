// The four containers and id()/id2obj() against a model under the REAL collector: random steps,
// with `await collect()` as the only way objects die. Between collections the model does not know
// whether a dropped object is still alive (V8 may collect it at any allocation), so it checks only
// what holds either way (iteration may skip only dropped objects, size lies between the live count
// and the entry count); after each collect() everything is exact: contents in order, size,
// get/has, onCollect called once for each collected entry and never otherwise.
//
// Objects live in `pool` only (never in a local of the async test body: V8 keeps the locals of a
// suspended async function alive), and every step is a plain synchronous function.
import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { IdRegistry, IterableWeakMap, IterableWeakSet, WeakValueMap, id, id2obj } from "../../src/index.js";
import { collect } from "../../src/testing/index.js";
import { ensure, fcParams, sameSequence, show } from "./harness.js";

type State = "held" | "dropped" | "dead";

/** Keys for the WeakValueMap: number keys (the WebAssembly path) and others. */
const KEYS: readonly unknown[] = [0, 1, 2, 3, 7.5, -0, NaN, "a", "b", null, Symbol.for("not a value, a key")];

type Op =
  | { op: "wvmSet"; k: number; o: number }
  | { op: "wvmDelete"; k: number }
  | { op: "iwmSet"; o: number; v: number }
  | { op: "iwmDelete"; o: number }
  | { op: "iwsAdd"; o: number }
  | { op: "iwsDelete"; o: number }
  | { op: "remember"; o: number }
  | { op: "forget"; id: number }
  | { op: "id"; o: number }
  | { op: "drop"; o: number }
  | { op: "fresh" }
  | { op: "iterOpen"; which: number }
  | { op: "iterNext"; count: number }
  | { op: "collect" };

const o = fc.nat(15);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("wvmSet" as const), k: fc.nat(KEYS.length - 1), o }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("wvmDelete" as const), k: fc.nat(KEYS.length - 1) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("iwmSet" as const), o, v: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("iwmDelete" as const), o }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("iwsAdd" as const), o }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("iwsDelete" as const), o }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("remember" as const), o }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("forget" as const), id: fc.nat(30) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("id" as const), o }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant("drop" as const), o }) },
  { weight: 3, arbitrary: fc.constant({ op: "fresh" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("iterOpen" as const), which: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("iterNext" as const), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 4, arbitrary: fc.constant({ op: "collect" as const }) },
);

/** An open iterator of one container, compared leniently (it may skip entries of dropped objects). */
interface OpenIterator {
  real: Iterator<unknown>;
  /** A Map iterator over the model (so it sees the same mutations), as [key or value, object number]. */
  model: Iterator<[unknown, number]>;
  project: (key: unknown, n: number) => unknown;
  label: string;
}

/** One run. Holds the only strong references to the objects it hands out (`pool`). */

/** Every id the default registry handed out in this process (ids carry no order: only never reused). */
const defaultIdsIssued = new Set<number>();
class World {
  pool: Array<object | undefined> = [];
  state: State[] = [];
  /** Real WeakRefs, to know when every dropped object is gone. */
  refs: Array<WeakRef<object>> = [];
  numberOf = new WeakMap<object, number>();

  wvmCollected: unknown[] = [];
  iwmCollected: unknown[] = [];
  wvm = new WeakValueMap<unknown, object>(null, { onCollect: (key) => this.wvmCollected.push(key) });
  iwm = new IterableWeakMap<object, number>(null, { onCollect: (value) => this.iwmCollected.push(value) });
  iws = new IterableWeakSet<object>();
  reg = new IdRegistry<object>();

  /** Models: the object number each entry refers to, in order. */
  mWvm = new Map<unknown, number>();
  mIwm = new Map<number, number>();
  mIws = new Map<number, true>();
  mReg = new Map<number, number>();
  mRegIds = new Map<number, number>();
  /** Every id `reg` handed out, in order (ids are opaque: only never reused). */
  readonly regIssued: number[] = [];
  /** id() of the default registry: id -> object number, and object number -> id. */
  mDefault = new Map<number, number>();
  mDefaultIds = new Map<number, number>();
  iterator: OpenIterator | undefined;

  constructor() {
    for (let i = 0; i < 6; i++) this.fresh();
  }

  fresh(): void {
    if (this.pool.length >= 24) return;
    const n = this.pool.length;
    const obj = n % 4 === 3 ? Object.assign(() => n, { n }) : { n };
    this.pool.push(obj);
    this.state.push("held");
    this.refs.push(new WeakRef(obj));
    this.numberOf.set(obj, n);
  }

  /** The i-th held object's number (cyclically), or -1. */
  held(i: number): number {
    const held = this.state.flatMap((s, n) => (s === "held" ? [n] : []));
    return held.length === 0 ? -1 : held[i % held.length]!;
  }

  obj(n: number): object {
    return this.pool[n]!;
  }

  num(value: unknown): number | undefined {
    return typeof value === "object" || typeof value === "function" ? this.numberOf.get(value as object) : undefined;
  }

  /** True when some entry of this container refers to a dropped object (so its liveness is unknown). */
  uncertain(n: number): boolean {
    return this.state[n] === "dropped";
  }

  step(op: Op): void {
    switch (op.op) {
      case "wvmSet": {
        const n = this.held(op.o);
        if (n < 0) return;
        const key = KEYS[op.k];
        ensure(this.wvm.set(key, this.obj(n)) === this.wvm, () => "set() returns the map");
        this.mWvm.set(key, n); // an overwrite keeps the place (a collected old value included: it was not reaped yet or the key would be absent)
        return;
      }
      case "wvmDelete": {
        const key = KEYS[op.k];
        const n = this.mWvm.get(key);
        if (n !== undefined && this.uncertain(n)) return; // the answer depends on GC timing
        const expected = n !== undefined && this.state[n] === "held";
        ensure(this.wvm.delete(key) === expected, () => `wvm.delete(${show(key)}) should be ${expected}`);
        if (expected) this.mWvm.delete(key);
        return;
      }
      case "iwmSet": {
        const n = this.held(op.o);
        if (n < 0) return;
        this.iwm.set(this.obj(n), op.v);
        this.mIwm.set(n, op.v);
        return;
      }
      case "iwmDelete": {
        const n = this.held(op.o);
        if (n < 0) return;
        ensure(this.iwm.delete(this.obj(n)) === this.mIwm.has(n), () => "iwm.delete()");
        this.mIwm.delete(n);
        return;
      }
      case "iwsAdd": {
        const n = this.held(op.o);
        if (n < 0) return;
        this.iws.add(this.obj(n));
        this.mIws.set(n, true);
        return;
      }
      case "iwsDelete": {
        const n = this.held(op.o);
        if (n < 0) return;
        ensure(this.iws.delete(this.obj(n)) === this.mIws.has(n), () => "iws.delete()");
        this.mIws.delete(n);
        return;
      }
      case "remember": {
        const n = this.held(op.o);
        if (n < 0) return;
        const known = this.mRegIds.get(n);
        const got = this.reg.remember(this.obj(n));
        if (known !== undefined) ensure(got === known, () => `remember() gave ${got}, expected ${known}`);
        else {
          ensure(Number.isSafeInteger(got) && got > 0 && !this.regIssued.includes(got), () => `remember() gave ${got}, expected a new id`);
          this.regIssued.push(got);
          this.mReg.set(got, n);
          this.mRegIds.set(n, got);
        }
        return;
      }
      case "forget": {
        const pick = op.id % (this.regIssued.length + 1);
        const idToForget = pick < this.regIssued.length ? this.regIssued[pick]! : 1 + Math.max(0, ...this.regIssued);
        const n = this.mReg.get(idToForget);
        if (n !== undefined && this.uncertain(n)) return;
        const expected = n !== undefined && this.state[n] === "held";
        ensure(this.reg.forget(idToForget) === expected, () => `forget(${idToForget}) should be ${expected}`);
        if (expected) {
          this.mReg.delete(idToForget);
          this.mRegIds.delete(n);
        }
        return;
      }
      case "id": {
        const n = this.held(op.o);
        if (n < 0) return;
        const known = this.mDefaultIds.get(n);
        const got = id(this.obj(n));
        if (known !== undefined) ensure(got === known, () => `id() gave ${got}, expected ${known}`);
        else {
          ensure(Number.isSafeInteger(got) && got > 0 && !defaultIdsIssued.has(got), () => `id() gave ${got}, not a new positive safe integer`);
          defaultIdsIssued.add(got);
          this.mDefault.set(got, n);
          this.mDefaultIds.set(n, got);
        }
        ensure(id2obj(got) === this.obj(n), () => "id2obj(id(obj)) === obj");
        return;
      }
      case "drop": {
        const n = this.held(op.o);
        if (n < 0) return;
        this.state[n] = "dropped";
        this.pool[n] = undefined;
        return;
      }
      case "fresh":
        return this.fresh();
      case "iterOpen": {
        const which = op.which % 4;
        if (which === 0) {
          this.iterator = { real: this.wvm.entries(), model: this.mWvm.entries(), project: (key, n) => [key, n], label: "wvm.entries()" };
        } else if (which === 1) {
          this.iterator = { real: this.iwm.entries(), model: liveIwm(this.mIwm), project: (v, n) => [n, v], label: "iwm.entries()" };
        } else if (which === 2) {
          this.iterator = { real: this.iws.values(), model: liveIws(this.mIws), project: (_k, n) => n, label: "iws.values()" };
        } else {
          this.iterator = { real: this.reg.entries(), model: this.mReg.entries(), project: (key, n) => [key, n], label: "registry.entries()" };
        }
        return;
      }
      case "iterNext": {
        const it = this.iterator;
        if (it === undefined) return;
        for (let i = 0; i < op.count; i++) {
          if (!this.iterStep(it)) {
            this.iterator = undefined;
            return;
          }
        }
        return;
      }
      case "collect":
        throw new Error("collect is awaited by the runner");
    }
  }

  /** Translates a real yielded item to object numbers; compares with the model, skipping entries of dropped or dead objects only. */
  iterStep(it: OpenIterator): boolean {
    const actual = it.real.next();
    const toNumbers = (value: unknown): unknown =>
      Array.isArray(value) ? value.map((x) => this.num(x) ?? x) : (this.num(value) ?? value);
    const got = actual.done ? undefined : toNumbers(actual.value);
    for (;;) {
      const step = it.model.next();
      if (step.done) {
        ensure(actual.done, () => `${it.label}: yielded ${JSON.stringify(got)} after the model's end`);
        return false;
      }
      const [key, n] = step.value;
      const expected = it.project(key, n);
      if (!actual.done && sameItem(got, expected)) return true;
      ensure(this.state[n] !== "held", () => `${it.label}: ${actual.done ? "ended" : `yielded ${JSON.stringify(got)}`} but skipped the live ${JSON.stringify(expected)}`);
    }
  }

  /** Everything dropped is dead and every container has applied its notices. */
  settled(): boolean {
    for (let n = 0; n < this.state.length; n++) if (this.state[n] === "dropped" && this.refs[n]!.deref() !== undefined) return false;
    const live = (entries: Iterable<number>) => [...entries].filter((n) => this.state[n] === "held").length;
    return (
      this.wvm.size === live(this.mWvm.values()) &&
      this.iwm.size === live(this.mIwm.keys()) &&
      this.iws.size === live(this.mIws.keys()) &&
      this.reg.size === live(this.mReg.values())
    );
  }

  /** After collect(): the dropped objects are dead; the model drops their entries and expects their callbacks. */
  afterCollect(): void {
    const expectedWvm: unknown[] = [];
    const expectedIwm: unknown[] = [];
    for (let n = 0; n < this.state.length; n++) if (this.state[n] === "dropped") this.state[n] = "dead";
    for (const [key, n] of this.mWvm) if (this.state[n] === "dead") (this.mWvm.delete(key), expectedWvm.push(key));
    for (const [n, v] of this.mIwm) if (this.state[n] === "dead") (this.mIwm.delete(n), expectedIwm.push(v));
    for (const n of this.mIws.keys()) if (this.state[n] === "dead") this.mIws.delete(n);
    for (const [idNumber, n] of this.mReg) if (this.state[n] === "dead") (this.mReg.delete(idNumber), this.mRegIds.delete(n));
    sameSequence(sortKeys(this.wvmCollected), sortKeys(expectedWvm), "WeakValueMap onCollect keys");
    sameSequence(sortKeys(this.iwmCollected), sortKeys(expectedIwm), "IterableWeakMap onCollect values");
    this.wvmCollected = [];
    this.iwmCollected = [];
    this.exactCheck();
  }

  /** Valid at any time: nothing is reported that should not be, and sizes are within bounds. */
  lenientCheck(): void {
    const live = (entries: Iterable<number>) => [...entries].filter((n) => this.state[n] === "held").length;
    const within = (size: number, model: Map<unknown, unknown>, liveCount: number, label: string) =>
      ensure(size >= liveCount && size <= model.size, () => `${label}: size ${size} not within [${liveCount}, ${model.size}]`);
    within(this.wvm.size, this.mWvm, live(this.mWvm.values()), "wvm");
    within(this.iwm.size, this.mIwm, live(this.mIwm.keys()), "iwm");
    within(this.iws.size, this.mIws, live(this.mIws.keys()), "iws");
    within(this.reg.size, this.mReg, live(this.mReg.values()), "registry");
    ensure(this.wvmCollected.length === 0 && this.iwmCollected.length === 0, () => "onCollect ran outside collect()");
  }

  exactCheck(): void {
    const numbers = (items: Iterable<unknown>) => [...items].map((item) => (Array.isArray(item) ? item.map((x) => this.num(x) ?? x) : (this.num(item) ?? item)));
    sameSequence(numbers(this.wvm.entries()), [...this.mWvm].map(([k, n]) => [k, n]), "wvm entries");
    sameSequence(numbers(this.iwm.entries()), [...this.mIwm].map(([n, v]) => [n, v]), "iwm entries");
    sameSequence(numbers(this.iws), [...this.mIws.keys()], "iws values");
    sameSequence(numbers(this.reg), [...this.mReg].map(([i, n]) => [i, n]), "registry entries");
    ensure(this.wvm.size === this.mWvm.size, () => `wvm size ${this.wvm.size}, expected ${this.mWvm.size}`);
    ensure(this.iwm.size === this.mIwm.size && this.iws.size === this.mIws.size && this.reg.size === this.mReg.size, () => "sizes");
    for (const key of KEYS) {
      const n = this.mWvm.get(key);
      ensure(this.wvm.get(key) === (n === undefined ? undefined : this.obj(n)), () => `wvm.get(${show(key)})`);
    }
    for (const i of [...this.regIssued, 1 + Math.max(0, ...this.regIssued)]) {
      const n = this.mReg.get(i);
      ensure(this.reg.get(i) === (n === undefined ? undefined : this.obj(n)), () => `registry.get(${i})`);
    }
    for (const [idNumber, n] of this.mDefault) {
      ensure(id2obj(idNumber) === (this.state[n] === "held" ? this.obj(n) : undefined), () => `id2obj(${idNumber})`);
    }
    for (const stats of [this.wvm.stats(), this.iwm.stats(), this.iws.stats(), this.reg.stats()]) {
      ensure(stats.pending === 0, () => `stats().pending ${stats.pending} after collect()`);
    }
  }
}

function liveIwm(model: Map<number, number>): Iterator<[unknown, number]> {
  const inner = model[Symbol.iterator]();
  return { next: () => { const s = inner.next(); return s.done ? s : { done: false, value: [s.value[1], s.value[0]] }; } };
}

function liveIws(model: Map<number, true>): Iterator<[unknown, number]> {
  const inner = model.keys();
  return { next: () => { const s = inner.next(); return s.done ? s : { done: false, value: [s.value, s.value] }; } };
}

function sameItem(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
  return Object.is(a, b);
}

function sortKeys(keys: unknown[]): string[] {
  return keys.map(show).sort();
}

let world: World | undefined;
let collections = 0;
let steps = 0;

/** Runs one step synchronously (so that no object lands in a local of the async caller). */
function runStep(op: Op): boolean {
  if (op.op === "collect") return true;
  world!.step(op);
  world!.lenientCheck();
  return false;
}

async function collectAndCheck(): Promise<void> {
  await collect(() => world!.settled(), { timeoutMs: 5000 });
  collections++;
  world!.afterCollect();
}

beforeAll(() => {
  ensure(typeof (globalThis as { gc?: unknown }).gc === "function", () => "run with --expose-gc (vitest.config.ts does)");
});

describe("the containers under the real collector, against a model", () => {
  it("agree with the model: lenient between collections, exact after each collect()", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 30, size: "max" }), async (ops: Op[]) => {
        world = new World();
        try {
          for (const op of ops) {
            steps++;
            if (runStep(op)) await collectAndCheck();
          }
          await collectAndCheck();
        } finally {
          world = undefined;
        }
      }),
      fcParams("real collector", 20),
    );
    console.log(`[model] real collector: ${steps} steps, ${collections} collect() calls`);
  });
});
