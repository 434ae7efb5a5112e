// IterableWeakSet against a Set model, with collection simulated by the fake collector: add,
// delete, pop, clear, copy, the ES2025 set algebra against another weak set, a Set, a Set-like or
// an array, forEach callbacks that mutate or let the collector run, open iterators advanced between
// steps, drops, collections, deliveries, flushes and registry renewals. A dead element vanishes
// from has()/iteration at once (you cannot even ask: you do not hold it) and from `size` when its
// notice is applied. The set algebra is checked against the live elements: a collected element that
// is still counted by `size` must not change any answer.
import fc from "fast-check";
import { afterAll, beforeAll } from "vitest";
import type { IterableWeakSet } from "../../src/index.js";
import {
  boundaryArbs, count, ensure, finish, isLive, isNoticed, loadWithFakeGc, Lockstep, applyIteratorOp, modelSuite,
  sameSequence, show, World, type Boundary, type Loaded, type ModelRun, type Obj,
} from "./harness.js";

let loaded: Loaded;
beforeAll(async () => {
  loaded = await loadWithFakeGc();
});
afterAll(() => {
  finish("IterableWeakSet", loaded);
});

interface Entry {
  weak: Obj;
}
interface Box {
  readonly id: number;
  readonly real: IterableWeakSet<WeakKey>;
  readonly model: Map<WeakKey, Entry>;
}

/** What a bulk of adds is followed by: see `bulk`. */
type Bulk = "none" | "thin" | "keepLast" | "drain" | "drop" | "clear";
type Algebra = "union" | "intersection" | "difference" | "symmetricDifference" | "isSubsetOf" | "isSupersetOf" | "isDisjointFrom";
type Other = { kind: "box"; c: number } | { kind: "array" | "set" | "setLike"; os: number[] };

type Action =
  | { a: "none" }
  | { a: "add"; c: number; o: number }
  | { a: "delete"; c: number; o: number }
  | { a: "clear"; c: number }
  | { a: "flush"; c: number }
  | { a: "collect"; mask: number }
  | { a: "drop"; o: number };

type Op =
  | { op: "add"; c: number; o: number }
  | { op: "delete"; c: number; o: number }
  | { op: "pop"; c: number }
  | { op: "clear"; c: number }
  | { op: "copy"; c: number }
  | { op: "algebra"; c: number; fn: Algebra; other: Other }
  | { op: "drop"; o: number }
  | { op: "fresh" }
  | { op: "collect"; mask: number }
  | { op: "flush"; c: number }
  | { op: "churn"; c: number }
  | { op: "bulk"; c: number; n: number; then: Bulk }
  | { op: "iterOpen"; c: number; kind: "values" | "keys" | "entries" | "iterator" }
  | { op: "iterNext"; i: number; count: number }
  | { op: "iterClose"; i: number }
  | { op: "iterDrop"; i: number }
  | { op: "forEach"; c: number; at: number; action: Action };

const c = fc.nat(3);
const o = fc.nat(31);
const mask = fc.nat();

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ a: "none" as const }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("add" as const), c, o }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("delete" as const), c, o }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("clear" as const), c }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant("flush" as const), c }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant("collect" as const), mask }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("drop" as const), o }) },
);

const otherArb: fc.Arbitrary<Other> = fc.oneof(
  fc.record({ kind: fc.constant("box" as const), c }),
  fc.record({ kind: fc.constantFrom("array" as const, "set" as const, "setLike" as const), os: fc.array(o, { maxLength: 5 }) }),
);

const opArb: fc.Arbitrary<Op | Boundary> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant("add" as const), c, o }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("delete" as const), c, o }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("pop" as const), c }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), c }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("copy" as const), c }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("algebra" as const),
      c,
      fn: fc.constantFrom<Algebra>("union", "intersection", "difference", "symmetricDifference", "isSubsetOf", "isSupersetOf", "isDisjointFrom"),
      other: otherArb,
    }),
  },
  { weight: 7, arbitrary: fc.record({ op: fc.constant("drop" as const), o }) },
  { weight: 3, arbitrary: fc.constant({ op: "fresh" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("collect" as const), mask }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("flush" as const), c }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("churn" as const), c }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("bulk" as const), c, n: fc.integer({ min: 9, max: 40 }), then: fc.constantFrom<Bulk>("none", "thin", "keepLast", "drain", "drop", "clear") }),
  },
  ...boundaryArbs({ tick: 4, gc: 5, deliver: 5 }),
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("iterOpen" as const),
      c,
      kind: fc.constantFrom("values" as const, "keys" as const, "entries" as const, "iterator" as const),
    }),
  },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("iterNext" as const), i: fc.nat(3), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("iterClose" as const), i: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("iterDrop" as const), i: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("forEach" as const), c, at: fc.nat(6), action: actionArb }) },
);

const scenarioArb = fc.record({
  sets: fc.integer({ min: 1, max: 2 }),
  initial: fc.array(o, { maxLength: 4 }),
  ops: fc.array(opArb, { minLength: 5, maxLength: 60, size: "max" }),
});

type Scenario = { sets: number; initial: number[]; ops: Array<Op | Boundary> };

/** The element `churn` adds and deletes over and over (never dropped). */
const CHURN_ELEMENT = { churn: true };

class Run implements ModelRun<Op> {
  readonly world = new World(loaded.fake, 8);
  readonly boxes: Box[] = [];
  readonly iterators: Array<Lockstep<WeakKey, Entry, unknown>> = [];
  readonly reals: Array<{ flush(): number }> = [];

  /** The box of each slot store (see `renewed`); sets made past the fourth are not followed. */
  readonly byStore = new Map<object, Box>();

  newBox(real: IterableWeakSet<WeakKey>, elements: Iterable<Obj>): Box | undefined {
    this.reals.push(real);
    if (this.boxes.length >= 4) return undefined;
    const box: Box = { id: this.boxes.length, real, model: new Map() };
    this.byStore.set(loaded.storeOf(real), box);
    for (const obj of elements) box.model.set(obj.value, { weak: obj });
    this.boxes.push(box);
    return box;
  }

  box(i: number): Box {
    return this.boxes[i % this.boxes.length]!;
  }

  /**
   * A store renewed its registry (see weak-value-map.model.test.ts): each element its walk found
   * dead must be a dead element of the model; it is reaped now (a relocation's walk, too).
   */
  renewed(store: object, dead: unknown[]): void {
    const box = this.byStore.get(store);
    // A set not followed is never changed by the run, so it never renews; but collections still
    // reap it, and the compaction that follows may queue a relocation, whose walk reaps what it
    // finds dead: only objects the world has reclaimed.
    if (box === undefined) {
      for (const value of dead) {
        const obj = this.world.objs.find((o) => o.value === value);
        ensure(obj?.state === "dead", () => `a walk of a set this run does not follow reaped ${show(value)}, which is ${obj?.state ?? "not in the world"}`);
      }
      return;
    }
    for (const value of dead) {
      const entry = box.model.get(value as WeakKey);
      ensure(entry !== undefined && !isLive(entry), () => `set ${box.id}: a renewal reaped ${show(value)}, which the model has ${entry === undefined ? "not" : "live"}`);
      box.model.delete(value as WeakKey);
    }
    count(loaded, "registry renewals");
    count(loaded, "entries reaped by renewal", dead.length);
  }

  /**
   * Adds `n` fresh keys (9 to 40: the table grows past its minimum), then deletes three in four
   * (holes outnumber entries: the table compacts), deletes every entry (an emptied table compacts
   * and shrinks), drops them (a later collection reaps them in one batch), or clears.
   */
  bulk(box: Box, n: number, then: Bulk): void {
    const elements: Obj[] = [];
    for (let i = 0; i < n && this.world.objs.length < 200; i++) {
      const obj = this.world.fresh();
      this.add(box, obj);
      elements.push(obj);
    }
    switch (then) {
      case "none":
        return;
      case "thin":
        elements.forEach((obj, i) => {
          if (i % 4 !== 0) this.delete(box, obj);
        });
        return;
      case "keepLast": {
        // Every element but the batch's last three, in the highest slots: the shrink renames them.
        const last = new Set(elements.slice(-3));
        for (const entry of [...box.model.values()]) if (isLive(entry) && !last.has(entry.weak)) this.delete(box, entry.weak);
        return;
      }
      case "drain":
        for (const entry of [...box.model.values()]) if (isLive(entry)) this.delete(box, entry.weak);
        return;
      case "drop":
        for (const obj of elements) this.world.dropObj(obj);
        return;
      case "clear":
        return this.clear(box);
    }
  }

  add(box: Box, obj: Obj): void {
    ensure(box.real.add(obj.value) === box.real, () => "add() must return the set");
    if (!box.model.has(obj.value)) box.model.set(obj.value, { weak: obj });
  }

  delete(box: Box, obj: Obj): void {
    const expected = box.model.has(obj.value);
    const actual = box.real.delete(obj.value);
    ensure(actual === expected, () => `delete(${show(obj.value)}) returned ${actual}, expected ${expected}`);
    box.model.delete(obj.value);
  }

  clear(box: Box): void {
    box.real.clear();
    box.model.clear();
  }

  /** No onCollect: the model drops every delivered dead entry itself. */
  reapNoticed(box: Box): number {
    let removed = 0;
    for (const [key, entry] of box.model) {
      if (isNoticed(entry)) {
        box.model.delete(key);
        removed++;
      }
    }
    return removed;
  }

  flush(box: Box): void {
    const sizeBefore = box.real.size;
    const removed = box.real.flush();
    const expected = this.reapNoticed(box);
    ensure(removed === expected, () => `set ${box.id}: flush() returned ${removed}, expected ${expected}`);
    ensure(box.real.size === sizeBefore - removed, () => "size must drop by exactly what flush() returned");
    ensure(box.real.stats().pending === 0, () => `stats().pending is ${box.real.stats().pending} after flush()`);
    count(loaded, "entries reaped by flush()", removed);
  }

  afterDrain(): void {
    for (const box of this.boxes) {
      count(loaded, "entries reaped by the drain", this.reapNoticed(box));
      ensure(box.real.stats().pending === 0, () => `set ${box.id}: stats().pending is ${box.real.stats().pending} after the drain`);
    }
  }

  /** Enough add/delete pairs that the store must renew its registry; `renewed` accounts for it. */
  churn(box: Box): void {
    const renewals = loaded.bridge.counters.renewals;
    const pairs = Math.max(loaded.tuning.staleMin, box.real.size) + 3;
    for (let i = 0; i < pairs; i++) {
      box.real.add(CHURN_ELEMENT);
      box.real.delete(CHURN_ELEMENT);
    }
    box.model.delete(CHURN_ELEMENT);
    ensure(loaded.bridge.counters.renewals > renewals, () => `set ${box.id}: ${pairs} add/delete pairs and no registry renewal`);
  }

  /** The live elements of a box, in order. */
  live(box: Box): WeakKey[] {
    return [...box.model].filter(([, entry]) => isLive(entry)).map(([key]) => key);
  }

  algebra(box: Box, fn: Algebra, otherSpec: Other): void {
    let other: unknown;
    let otherElements: WeakKey[];
    let otherSize: number;
    let otherHas: (value: WeakKey) => boolean;
    if (otherSpec.kind === "box") {
      const otherBox = this.box(otherSpec.c);
      other = otherBox.real;
      otherElements = this.live(otherBox);
      otherSize = otherBox.real.size;
      const liveSet = new Set(otherElements);
      otherHas = (value) => liveSet.has(value);
    } else {
      const list: WeakKey[] = [];
      for (const i of otherSpec.os) {
        const obj = this.world.held(i);
        if (obj !== undefined) list.push(obj.value);
      }
      const set = new Set(list);
      otherElements = [...set];
      otherSize = set.size;
      otherHas = (value) => set.has(value);
      other =
        otherSpec.kind === "array"
          ? list
          : otherSpec.kind === "set"
            ? set
            : { size: set.size, has: (value: WeakKey) => set.has(value), keys: () => set.keys() };
    }
    const mine = this.live(box);
    const mineSet = new Set(mine);
    const real = box.real as unknown as Record<Algebra, (other: unknown) => unknown>;
    const label = `set ${box.id}.${fn}(${otherSpec.kind})`;
    const result = real[fn].call(box.real, other);
    let expected: WeakKey[] | boolean;
    switch (fn) {
      case "union":
        expected = [...mine, ...otherElements.filter((x) => !mineSet.has(x))];
        break;
      case "intersection":
        // As Set.prototype.intersection: this set's order when its size is not larger, else the other's.
        expected = box.real.size <= otherSize ? mine.filter(otherHas) : otherElements.filter((x) => mineSet.has(x));
        break;
      case "difference":
        expected = mine.filter((x) => !otherHas(x));
        break;
      case "symmetricDifference":
        expected = [...mine.filter((x) => !otherHas(x)), ...otherElements.filter((x) => !mineSet.has(x))];
        break;
      case "isSubsetOf":
        expected = mine.every(otherHas);
        break;
      case "isSupersetOf":
        expected = otherElements.every((x) => mineSet.has(x));
        break;
      case "isDisjointFrom":
        expected = !mine.some(otherHas);
        break;
    }
    if (typeof expected === "boolean") {
      ensure(result === expected, () => `${label} returned ${String(result)}, expected ${expected} (live: [${mine.map(show).join(", ")}], other: [${otherElements.map(show).join(", ")}])`);
      return;
    }
    ensure(result instanceof loaded.lib.IterableWeakSet, () => `${label} must return a new IterableWeakSet`);
    ensure(result !== box.real && result !== other, () => `${label} must return a new set`);
    const resultSet = result as IterableWeakSet<WeakKey>;
    sameSequence([...resultSet], expected, label);
    const byValue = new Map(this.world.objs.map((obj) => [obj.value, obj] as const));
    this.newBox(resultSet, expected.map((value) => byValue.get(value)!));
  }

  doAction(action: Action): void {
    switch (action.a) {
      case "none":
        return;
      case "add": {
        const obj = this.world.held(action.o);
        if (obj !== undefined) this.add(this.box(action.c), obj);
        return;
      }
      case "delete": {
        const obj = this.world.held(action.o);
        if (obj !== undefined) this.delete(this.box(action.c), obj);
        return;
      }
      case "clear":
        return this.clear(this.box(action.c));
      case "flush":
        return this.flush(this.box(action.c));
      case "collect":
        count(loaded, "reclaimed inside a callback", this.world.collect(action.mask).length);
        return;
      case "drop":
        this.world.drop(action.o);
        return;
    }
  }

  step(op: Op): void {
    const world = this.world;
    switch (op.op) {
      case "add": {
        const obj = world.held(op.o);
        if (obj !== undefined) this.add(this.box(op.c), obj);
        return;
      }
      case "delete": {
        const obj = world.held(op.o);
        if (obj !== undefined) this.delete(this.box(op.c), obj);
        return;
      }
      case "pop": {
        const box = this.box(op.c);
        const last = this.live(box).at(-1);
        const actual = box.real.pop();
        ensure(actual === last, () => `pop() returned ${show(actual)}, expected ${show(last)}`);
        if (last !== undefined) box.model.delete(last);
        return;
      }
      case "clear":
        return this.clear(this.box(op.c));
      case "copy": {
        const source = this.box(op.c);
        const copy = source.real.copy();
        sameSequence([...copy], this.live(source), `set ${source.id}.copy()`);
        this.newBox(copy, [...source.model.values()].filter(isLive).map((entry) => entry.weak));
        return;
      }
      case "algebra":
        return this.algebra(this.box(op.c), op.fn, op.other);
      case "drop":
        world.drop(op.o);
        return;
      case "fresh":
        if (world.objs.length < 24) world.fresh();
        return;
      case "collect":
        count(loaded, "reclaimed mid-job", world.collect(op.mask).length);
        return;
      case "flush":
        return this.flush(this.box(op.c));
      case "churn":
        return this.churn(this.box(op.c));
      case "bulk":
        return this.bulk(this.box(op.c), op.n, op.then);
      case "iterOpen": {
        if (this.iterators.length >= 4) return;
        const box = this.box(op.c);
        const real =
          op.kind === "entries" ? box.real.entries() : op.kind === "keys" ? box.real.keys() : op.kind === "values" ? box.real.values() : box.real[Symbol.iterator]();
        const project = op.kind === "entries" ? (key: WeakKey) => [key, key] : (key: WeakKey) => key;
        this.iterators.push(new Lockstep<WeakKey, Entry, unknown>(real, box.model, project, `set ${box.id} ${op.kind}()`));
        return;
      }
      case "iterNext":
      case "iterClose":
      case "iterDrop":
        applyIteratorOp(this.iterators, op);
        return;
      case "forEach": {
        const box = this.box(op.c);
        const lock = new Lockstep<WeakKey, Entry, unknown>([][Symbol.iterator](), box.model, (key) => key, `set ${box.id} forEach`);
        const thisArg = { thisArg: true };
        let calls = 0;
        const self = this;
        box.real.forEach(function (this: unknown, value, value2, set) {
          ensure(this === thisArg && set === box.real && value === value2, () => "forEach must pass (value, value, set) and thisArg");
          const expected = lock.expectedNext();
          ensure(!expected.done, () => `forEach visited ${show(value)} after the model's last live element`);
          sameSequence([value], [expected.value], "forEach");
          if (calls++ === op.at) self.doAction(op.action);
        }, thisArg);
        ensure(lock.expectedNext().done, () => "forEach stopped before the model's last live element");
        return;
      }
    }
  }

  lightCheck(): void {
    for (const box of this.boxes) {
      ensure(box.real.size === box.model.size, () => `set ${box.id}: size ${box.real.size}, expected ${box.model.size}`);
      const stats = box.real.stats();
      ensure(stats.size === box.real.size && stats.capacity >= stats.size, () => `set ${box.id}: stats() ${JSON.stringify(stats)}`);
    }
  }

  /** (`probe` is ignored: has() finds an element's slot through a WeakMap and reads no WeakRef.) */
  fullCheck(): void {
    this.lightCheck();
    const alive = this.world.objs.filter((obj) => obj.state !== "dead");
    for (const box of this.boxes) {
      sameSequence([...box.real], this.live(box), `set ${box.id}: values()`);
      for (const obj of alive) {
        ensure(box.real.has(obj.value) === box.model.has(obj.value), () => `set ${box.id}: has(${show(obj.value)}) is ${box.real.has(obj.value)}`);
      }
    }
  }
}

function start(r: Run, scenario: Scenario): void {
  for (let i = 0; i < scenario.sets; i++) {
    const initial: Obj[] = [];
    for (const obj of scenario.initial) {
      const held = r.world.held(obj);
      if (held !== undefined && !initial.includes(held)) initial.push(held);
    }
    r.newBox(new loaded.lib.IterableWeakSet<WeakKey>(initial.map((obj) => obj.value)), initial);
  }
  r.fullCheck();
}

modelSuite(
  "IterableWeakSet against a Set model (fake collector)",
  "IterableWeakSet",
  () => loaded,
  scenarioArb,
  (scenario: Scenario) => {
    const r = new Run();
    start(r, scenario);
    return r;
  },
  { sync: 2000, async: 300 },
  // A weak-key container never fills the job cache: its lookups go through the key's WeakMap and
  // never deref, and iteration and pop read each entry once (SlotStore.walk). The cache and its
  // pauses are crossed by the WeakValueMap and IdRegistry models.
  ["cachePauses"],
);
