// IterableWeakMap against a Map model, with collection simulated by the fake collector. Keys are
// the weak part: a key the test drops may be reclaimed, and its entry then vanishes from iteration
// at once and from `size` when its notice is applied. Maps are made with and without onCollect
// (the two ways values are held), and onCollect may re-enter the map. Same operations and checks as
// weak-value-map.model.test.ts, with keyRefs() instead of valueRefs().
import fc from "fast-check";
import { afterAll, beforeAll } from "vitest";
import type { IterableWeakMap } from "../../src/index.js";
import {
  boundaryArbs, count, ensure, finish, isLive, isNoticed, loadWithFakeGc, Lockstep, applyIteratorOp, modelSuite,
  sameSequence, show, World, type Boundary, type Loaded, type ModelRun, type Obj,
} from "./harness.js";

let loaded: Loaded;
beforeAll(async () => {
  loaded = await loadWithFakeGc();
});
afterAll(() => {
  finish("IterableWeakMap", loaded);
});

const STRONG_A = { strong: "a" };
const STRONG_B = { strong: "b" };
/** Values: primitives (undefined, -0 and NaN included) and objects held elsewhere. */
const VALUES: readonly unknown[] = [1, "x", null, undefined, 0, -0, NaN, STRONG_A, STRONG_B, 2n];

/** none: no onCollect (values held as a WeakMap holds them); log: onCollect records; reinsert: onCollect sets keeper -> value. */
type Mode = "none" | "log" | "reinsert";
/** What a bulk insert is followed by: see `bulk`. */
type Bulk = "none" | "thin" | "keepLast" | "drain" | "drop" | "clear";
interface Entry {
  weak: Obj;
  value: unknown;
}
interface Family {
  mode: Mode;
  boxes: Box[];
  root?: Box;
}
interface Box {
  readonly id: number;
  readonly real: IterableWeakMap<WeakKey, unknown>;
  readonly model: Map<WeakKey, Entry>;
  readonly family: Family;
  reaped: number;
  /** Values of dead entries already reaped (by a registry renewal) whose onCollect is still to come. */
  awaiting: unknown[];
  /** Values of delivered dead entries that the batch under way (flush or drain) reaps. */
  reaping: unknown[];
}

type Action =
  | { a: "none" }
  | { a: "set"; c: number; o: number; v: number }
  | { a: "delete"; c: number; o: number }
  | { a: "clear"; c: number }
  | { a: "flush"; c: number }
  | { a: "collect"; mask: number }
  | { a: "drop"; o: number };

type Op =
  | { op: "set"; c: number; o: number; v: number }
  | { op: "delete"; c: number; o: number }
  | { op: "pop"; c: number; o: number }
  | { op: "popItem"; c: number }
  | { op: "setDefault"; c: number; o: number; v: number; upsert: boolean }
  | { op: "computed"; c: number; o: number; v: number; action: Action }
  | { op: "update"; c: number; entries: Array<{ o: number; v: number }>; bad: boolean }
  | { op: "clear"; c: number }
  | { op: "copy"; c: number }
  | { op: "drop"; o: number }
  | { op: "fresh" }
  | { op: "collect"; mask: number }
  | { op: "flush"; c: number }
  | { op: "churn"; c: number }
  | { op: "bulk"; c: number; n: number; v: number; then: Bulk }
  | { op: "iterOpen"; c: number; kind: "entries" | "keys" | "values" | "iterator" }
  | { op: "iterNext"; i: number; count: number }
  | { op: "iterClose"; i: number }
  | { op: "iterDrop"; i: number }
  | { op: "forEach"; c: number; at: number; action: Action }
  | { op: "keyRefs"; c: number };

const c = fc.nat(3);
const o = fc.nat(31);
const v = fc.nat(VALUES.length - 1);
const mask = fc.nat();

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ a: "none" as const }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("set" as const), c, o, v }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("delete" as const), c, o }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("clear" as const), c }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant("flush" as const), c }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant("collect" as const), mask }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("drop" as const), o }) },
);

function opArb(): fc.Arbitrary<Op | Boundary> {
  const ops: Array<fc.WeightedArbitrary<Op | Boundary>> = [
    { weight: 12, arbitrary: fc.record({ op: fc.constant("set" as const), c, o, v }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("delete" as const), c, o }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("pop" as const), c, o }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("popItem" as const), c }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("setDefault" as const), c, o, v, upsert: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("computed" as const), c, o, v, action: actionArb }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("update" as const),
        c,
        entries: fc.array(fc.record({ o, v }), { minLength: 1, maxLength: 3 }),
        bad: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), c }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("copy" as const), c }) },
    { weight: 7, arbitrary: fc.record({ op: fc.constant("drop" as const), o }) },
    { weight: 3, arbitrary: fc.constant({ op: "fresh" as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("collect" as const), mask }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant("flush" as const), c }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("churn" as const), c }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("bulk" as const),
        c,
        n: fc.integer({ min: 9, max: 40 }),
        v,
        then: fc.constantFrom<Bulk>("none", "thin", "keepLast", "drain", "drop", "clear"),
      }),
    },
    ...boundaryArbs({ tick: 4, gc: 5, deliver: 5 }),
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("iterOpen" as const),
        c,
        kind: fc.constantFrom("entries" as const, "keys" as const, "values" as const, "iterator" as const),
      }),
    },
    { weight: 5, arbitrary: fc.record({ op: fc.constant("iterNext" as const), i: fc.nat(3), count: fc.integer({ min: 1, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("iterClose" as const), i: fc.nat(3) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("iterDrop" as const), i: fc.nat(3) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("forEach" as const), c, at: fc.nat(6), action: actionArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("keyRefs" as const), c }) },
  ];
  return fc.oneof(...ops);
}

const scenarioArb = fc.record({
  modes: fc.array(fc.constantFrom<Mode>("none", "log", "reinsert"), { minLength: 1, maxLength: 2 }),
  initial: fc.array(fc.record({ o, v }), { maxLength: 4 }),
  ops: fc.array(opArb(), { minLength: 5, maxLength: 60, size: "max" }),
});

type Scenario = { modes: Mode[]; initial: Array<{ o: number; v: number }>; ops: Array<Op | Boundary> };

/** The key `churn` sets and deletes over and over (never dropped). */
const CHURN_KEY = { churn: true };

class Run implements ModelRun<Op> {
  readonly world = new World(loaded.fake, 8);
  readonly boxes: Box[] = [];
  readonly iterators: Array<Lockstep<WeakKey, Entry, unknown>> = [];
  readonly flushing: Box[] = [];
  readonly reals: Array<{ flush(): number }> = [];

  newBox(mode: Mode, family: Family | undefined, make: (onCollect: ((value: unknown) => void) | undefined) => IterableWeakMap<WeakKey, unknown>): Box {
    const fam: Family = family ?? { mode, boxes: [] };
    const real = make(mode === "none" ? undefined : (value) => this.onCollect(fam, value));
    const box: Box = { id: this.boxes.length, real, model: new Map(), family: fam, reaped: 0, awaiting: [], reaping: [] };
    fam.boxes.push(box);
    fam.root ??= box;
    this.boxes.push(box);
    this.reals.push(real);
    this.byStore.set(loaded.storeOf(real), box);
    return box;
  }

  /** The box of each slot store (see `renewed`). */
  readonly byStore = new Map<object, Box>();

  /**
   * A store renewed its registry (see weak-value-map.model.test.ts): each key its walk found dead
   * must be a dead entry of the model; it is reaped now, its onCollect deferred to the drain.
   */
  renewed(store: object, dead: unknown[]): void {
    const box = this.byStore.get(store);
    ensure(box !== undefined, () => "a renewal in a store that belongs to no map of this run");
    for (const key of dead) {
      const entry = box.model.get(key as WeakKey);
      ensure(entry !== undefined && !isLive(entry), () => `map ${box.id}: a renewal reaped ${show(key)}, which the model has ${entry === undefined ? "not" : "live"}`);
      box.model.delete(key as WeakKey);
      if (box.family.mode !== "none") {
        box.awaiting.push(entry.value);
        box.reaped++;
      }
    }
    count(loaded, "registry renewals");
    count(loaded, "entries reaped by renewal", dead.length);
  }

  /**
   * Adds `n` fresh keys (9 to 40: the table grows past its minimum), then deletes three in four
   * (holes outnumber entries: the table compacts), deletes every entry (an emptied table compacts
   * and shrinks), drops them (a later collection reaps them in one batch), or clears.
   */
  bulk(box: Box, n: number, v: number, then: Bulk): void {
    const keys: Obj[] = [];
    for (let i = 0; i < n && this.world.objs.length < 200; i++) {
      const key = this.world.fresh();
      this.set(box, key, VALUES[(v + i) % VALUES.length]);
      keys.push(key);
    }
    switch (then) {
      case "none":
        return;
      case "thin":
        keys.forEach((key, i) => {
          if (i % 4 !== 0) this.delete(box, key);
        });
        return;
      case "keepLast": {
        // Every entry but the batch's last three, in the highest slots: the shrink renames them.
        const last = new Set(keys.slice(-3));
        for (const entry of [...box.model.values()]) if (isLive(entry) && !last.has(entry.weak)) this.delete(box, entry.weak);
        return;
      }
      case "drain":
        for (const entry of [...box.model.values()]) if (isLive(entry)) this.delete(box, entry.weak);
        return;
      case "drop":
        for (const key of keys) this.world.dropObj(key);
        return;
      case "clear":
        return this.clear(box);
    }
  }

  /** What onCollect callbacks threw (the library catches it): rethrown by the next check. */
  readonly callbackErrors: unknown[] = [];

  /** onCollect(value): errors are kept and rethrown by the next check, since the library catches them. */
  onCollect(family: Family, value: unknown): void {
    try {
      this.attribute(family, value);
    } catch (error) {
      this.callbackErrors.push(error);
    }
  }

  throwCallbackErrors(): void {
    if (this.callbackErrors.length > 0) throw this.callbackErrors[0];
  }

  /**
   * Some map of the family reaped a dead entry with this value. As in weak-value-map.model.test.ts,
   * a batch (flush of one map, or the drain at the end of a job) reaps before it calls back, so the
   * entries it must reap were moved to `reaping` before it started; a renewal's go to `awaiting`.
   * A weak-key store never has a stale notice, so nothing else may be reported.
   */
  attribute(family: Family, value: unknown): void {
    const take = (list: unknown[]) => {
      const i = list.findIndex((x) => Object.is(x, value));
      if (i < 0) return false;
      list.splice(i, 1);
      return true;
    };
    const flushing = [...this.flushing].reverse().find((b) => b.family === family);
    for (const box of flushing !== undefined ? [flushing] : family.boxes) {
      if (take(box.reaping) || (flushing === undefined && take(box.awaiting))) {
        box.reaped++;
        if (flushing === undefined) count(loaded, "entries reaped by the drain");
        if (family.mode === "reinsert") this.set(family.root!, this.world.keeper, value);
        return;
      }
    }
    throw new Error(`onCollect(${show(value)}) but no map of its family had a delivered dead entry with that value`);
  }

  /** Moves the delivered dead entries of `box` out of the model: a batch is about to reap them. */
  expectReaping(box: Box): number {
    let moved = 0;
    for (const [key, entry] of box.model) {
      if (isNoticed(entry)) {
        box.model.delete(key);
        if (box.family.mode !== "none") box.reaping.push(entry.value);
        moved++;
      }
    }
    return moved;
  }

  beforeJobEnd(): void {
    for (const box of this.boxes) {
      const moved = this.expectReaping(box);
      if (box.family.mode === "none") count(loaded, "entries reaped by the drain", moved);
    }
  }

  box(i: number): Box {
    return this.boxes[i % this.boxes.length]!;
  }

  set(box: Box, key: Obj, value: unknown): void {
    ensure(box.real.set(key.value, value) === box.real, () => "set() must return the map");
    const entry = box.model.get(key.value);
    if (entry !== undefined) entry.value = value;
    else box.model.set(key.value, { weak: key, value });
  }

  delete(box: Box, key: Obj): void {
    const expected = box.model.has(key.value);
    const actual = box.real.delete(key.value);
    ensure(actual === expected, () => `delete(${show(key.value)}) returned ${actual}, expected ${expected}`);
    box.model.delete(key.value);
  }

  clear(box: Box): void {
    box.real.clear();
    box.model.clear();
  }

  flush(box: Box): void {
    const before = box.reaped;
    const sizeBefore = box.real.size;
    const expected = this.expectReaping(box);
    this.flushing.push(box);
    let removed: number;
    try {
      removed = box.real.flush();
    } finally {
      this.flushing.pop();
    }
    this.throwCallbackErrors();
    ensure(removed === expected, () => `map ${box.id}: flush() returned ${removed}, expected ${expected}`);
    if (box.family.mode !== "none") {
      ensure(box.reaped - before === expected && box.reaping.length === 0, () => `map ${box.id}: flush() called onCollect ${box.reaped - before} times, expected ${expected}`);
    }
    count(loaded, "entries reaped by flush()", removed);
    ensure(box.real.stats().pending === 0, () => `stats().pending is ${box.real.stats().pending} after flush()`);
    if (box.family.mode !== "reinsert") ensure(box.real.size === sizeBefore - removed, () => "size must drop by exactly what flush() returned");
  }

  afterDrain(): void {
    this.throwCallbackErrors();
    for (const box of this.boxes) {
      for (const [key, entry] of box.model) ensure(!isNoticed(entry), () => `the drain left the delivered dead entry ${show(key)} in map ${box.id}`);
      ensure(box.reaping.length === 0, () => `map ${box.id}: the drain gave no onCollect for ${box.reaping.map(show).join(", ")}`);
      ensure(box.awaiting.length === 0, () => `map ${box.id}: onCollect never ran for ${box.awaiting.map(show).join(", ")}`);
      ensure(box.real.stats().pending === 0, () => `map ${box.id}: stats().pending is ${box.real.stats().pending} after the drain`);
    }
  }

  /** Enough set/delete pairs that the store must renew its registry; `renewed` accounts for it. */
  churn(box: Box): void {
    const renewals = loaded.bridge.counters.renewals;
    const pairs = Math.max(loaded.tuning.staleMin, box.real.size) + 3;
    for (let i = 0; i < pairs; i++) {
      box.real.set(CHURN_KEY, i);
      box.real.delete(CHURN_KEY);
    }
    box.model.delete(CHURN_KEY);
    ensure(loaded.bridge.counters.renewals > renewals, () => `map ${box.id}: ${pairs} set/delete pairs and no registry renewal`);
  }

  doAction(action: Action): void {
    switch (action.a) {
      case "none":
        return;
      case "set": {
        const key = this.world.held(action.o);
        if (key !== undefined) this.set(this.box(action.c), key, VALUES[action.v]);
        return;
      }
      case "delete": {
        const key = this.world.held(action.o);
        if (key !== undefined) this.delete(this.box(action.c), key);
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
      case "set": {
        const key = world.held(op.o);
        if (key !== undefined) this.set(this.box(op.c), key, VALUES[op.v]);
        return;
      }
      case "delete": {
        const key = world.held(op.o);
        if (key !== undefined) this.delete(this.box(op.c), key);
        return;
      }
      case "pop": {
        const key = world.held(op.o);
        if (key === undefined) return;
        const box = this.box(op.c);
        const entry = box.model.get(key.value);
        const actual = box.real.pop(key.value);
        ensure(Object.is(actual, entry?.value), () => `pop(${show(key.value)}) returned ${show(actual)}, expected ${show(entry?.value)}`);
        ensure(!box.real.has(key.value), () => "pop() must remove the entry");
        box.model.delete(key.value);
        return;
      }
      case "popItem": {
        const box = this.box(op.c);
        const last = [...box.model].reverse().find(([, entry]) => isLive(entry));
        const actual = box.real.popItem();
        if (last === undefined) ensure(actual === undefined, () => `popItem() returned ${show(actual)} from a map with no live entry`);
        else {
          sameSequence(actual ?? [], [last[0], last[1].value], "popItem()");
          box.model.delete(last[0]);
        }
        return;
      }
      case "setDefault": {
        const key = world.held(op.o);
        if (key === undefined) return;
        const box = this.box(op.c);
        const value = VALUES[op.v];
        const entry = box.model.get(key.value);
        const actual = op.upsert ? box.real.getOrInsert(key.value, value) : box.real.setDefault(key.value, value);
        // Map.prototype.getOrInsert and Python's setdefault: an existing entry wins, whatever its value.
        if (entry !== undefined) {
          ensure(Object.is(actual, entry.value), () => `${op.upsert ? "getOrInsert" : "setDefault"}(${show(key.value)}) returned ${show(actual)}, expected the existing ${show(entry.value)}`);
        } else {
          ensure(Object.is(actual, value), () => `setDefault(${show(key.value)}) must return the value it stored`);
          box.model.set(key.value, { weak: key, value });
        }
        return;
      }
      case "computed": {
        const key = world.held(op.o);
        if (key === undefined) return;
        const box = this.box(op.c);
        const value = VALUES[op.v];
        const entry = box.model.get(key.value);
        const existing = entry?.value;
        let calls = 0;
        const actual = box.real.getOrInsertComputed(key.value, (given) => {
          calls++;
          ensure(given === key.value, () => `callback got key ${show(given)}`);
          this.doAction(op.action);
          return value;
        });
        if (entry !== undefined) {
          ensure(calls === 0 && Object.is(actual, existing), () => `getOrInsertComputed(${show(key.value)}) must return the existing ${show(existing)} without calling back (called ${calls}, got ${show(actual)})`);
        } else {
          ensure(calls === 1 && Object.is(actual, value), () => `getOrInsertComputed(${show(key.value)}) must call back once and return the computed value`);
          const now = box.model.get(key.value);
          if (now !== undefined) now.value = value;
          else box.model.set(key.value, { weak: key, value });
        }
        return;
      }
      case "update": {
        const box = this.box(op.c);
        const pairs: Array<[Obj, unknown]> = [];
        for (const { o: obj, v: value } of op.entries) {
          const held = world.held(obj);
          if (held !== undefined) pairs.push([held, VALUES[value]]);
        }
        if (op.bad) {
          const before = [...box.real.entries()];
          let error: unknown;
          try {
            box.real.update([...pairs.map(([key, value]) => [key.value, value] as [WeakKey, unknown]), [42 as unknown as WeakKey, "bad"]]);
          } catch (caught) {
            error = caught;
          }
          ensure(error instanceof TypeError, () => `update() with a number key must throw a TypeError, got ${String(error)}`);
          sameSequence([...box.real.entries()], before, "update() that threw must change nothing");
          return;
        }
        ensure(box.real.update(pairs.map(([key, value]) => [key.value, value] as [WeakKey, unknown])) === box.real, () => "update() must return the map");
        for (const [key, value] of pairs) {
          const entry = box.model.get(key.value);
          if (entry !== undefined) entry.value = value;
          else box.model.set(key.value, { weak: key, value });
        }
        return;
      }
      case "clear":
        return this.clear(this.box(op.c));
      case "copy": {
        if (this.boxes.length >= 4) return;
        const source = this.box(op.c);
        const copy = this.newBox(source.family.mode, source.family, () => source.real.copy());
        for (const [key, entry] of source.model) if (isLive(entry)) copy.model.set(key, { weak: entry.weak, value: entry.value });
        return;
      }
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
        return this.bulk(this.box(op.c), op.n, op.v, op.then);
      case "iterOpen": {
        if (this.iterators.length >= 4) return;
        const box = this.box(op.c);
        const real =
          op.kind === "entries" ? box.real.entries() : op.kind === "keys" ? box.real.keys() : op.kind === "values" ? box.real.values() : box.real[Symbol.iterator]();
        const project =
          op.kind === "keys"
            ? (key: WeakKey) => key
            : op.kind === "values"
              ? (_key: WeakKey, entry: Entry) => entry.value
              : (key: WeakKey, entry: Entry) => [key, entry.value];
        this.iterators.push(new Lockstep<WeakKey, Entry, unknown>(real, box.model, project, `map ${box.id} ${op.kind}()`));
        return;
      }
      case "iterNext":
      case "iterClose":
      case "iterDrop":
        applyIteratorOp(this.iterators, op);
        return;
      case "forEach": {
        const box = this.box(op.c);
        const lock = new Lockstep<WeakKey, Entry, unknown>([][Symbol.iterator](), box.model, (key, entry) => [key, entry.value], `map ${box.id} forEach`);
        const thisArg = { thisArg: true };
        let calls = 0;
        const self = this;
        box.real.forEach(function (this: unknown, value, key, map) {
          ensure(this === thisArg && map === box.real, () => "forEach must pass thisArg and the map");
          const expected = lock.expectedNext();
          ensure(!expected.done, () => `forEach visited ${show(key)} after the model's last live entry`);
          sameSequence([[key, value]], [expected.value], "forEach");
          if (calls++ === op.at) self.doAction(op.action);
        }, thisArg);
        const rest = lock.expectedNext();
        ensure(rest.done, () => "forEach stopped before the model's last live entry");
        return;
      }
      case "keyRefs": {
        const box = this.box(op.c);
        sameSequence(
          box.real.keyRefs().map((r) => r.deref()),
          [...box.model].filter(([, entry]) => isLive(entry)).map(([key]) => key),
          "keyRefs()",
        );
        return;
      }
    }
  }

  lightCheck(): void {
    this.throwCallbackErrors();
    for (const box of this.boxes) {
      ensure(box.real.size === box.model.size, () => `map ${box.id}: size ${box.real.size}, expected ${box.model.size}`);
      const stats = box.real.stats();
      ensure(stats.size === box.real.size && stats.capacity >= stats.size, () => `map ${box.id}: stats() ${JSON.stringify(stats)}`);
    }
  }

  /** (`probe` is ignored: get/has of a weak key find its slot through a WeakMap and read no WeakRef.) */
  fullCheck(): void {
    const alive = this.world.objs.filter((obj) => obj.state !== "dead");
    for (const box of this.boxes) {
      const { real, model } = box;
      const label = `map ${box.id}`;
      ensure(real.size === model.size, () => `${label}: size ${real.size}, expected ${model.size}`);
      sameSequence(
        [...real.entries()],
        [...model].filter(([, entry]) => isLive(entry)).map(([key, entry]) => [key, entry.value]),
        `${label}: entries()`,
      );
      for (const obj of alive) {
        const entry = model.get(obj.value);
        ensure(real.has(obj.value) === (entry !== undefined), () => `${label}: has(${show(obj.value)}) is ${real.has(obj.value)}`);
        ensure(Object.is(real.get(obj.value), entry?.value), () => `${label}: get(${show(obj.value)}) is ${show(real.get(obj.value))}, expected ${show(entry?.value)}`);
      }
      ensure(Object.is(real.get(this.world.keeper.value), model.get(this.world.keeper.value)?.value), () => `${label}: get(keeper)`);
      const stats = real.stats();
      ensure(stats.size === real.size && stats.capacity >= stats.size, () => `${label}: stats() ${JSON.stringify(stats)}`);
    }
  }
}

function start(r: Run, scenario: Scenario): void {
  for (const mode of scenario.modes) {
    const initial: Array<[Obj, unknown]> = [];
    for (const { o: obj, v: value } of scenario.initial) {
      const held = r.world.held(obj);
      if (held !== undefined) initial.push([held, VALUES[value]]);
    }
    const box = r.newBox(mode, undefined, (onCollect) =>
      new loaded.lib.IterableWeakMap<WeakKey, unknown>(
        initial.map(([key, value]) => [key.value, value] as [WeakKey, unknown]),
        onCollect === undefined ? undefined : { onCollect },
      ),
    );
    for (const [key, value] of initial) {
      const entry = box.model.get(key.value);
      if (entry !== undefined) entry.value = value;
      else box.model.set(key.value, { weak: key, value });
    }
  }
  r.fullCheck();
}

modelSuite(
  "IterableWeakMap against a Map model (fake collector)",
  "IterableWeakMap",
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
