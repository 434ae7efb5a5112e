// IdRegistry against a model (a Map id -> object and a counter), with collection simulated by the
// fake collector: remember, forget, iteration (open iterators advanced between steps), drops,
// collections, deliveries, flushes and registry renewals, on two registries sharing objects. After
// every job: get/has of every id ever handed out (and of ids never handed out, and of values that
// are not ids), idOf of every live object, entries in registration order, size and stats. Ids are
// positive safe integers, never handed out twice: a forgotten or collected object remembered again
// (impossible for a collected one) gets a new id, at the end of the order.
import fc from "fast-check";
import { afterAll, beforeAll } from "vitest";
import type { IdRegistry } from "../../src/index.js";
import {
  boundaryArbs, count, ensure, finish, isLive, isNoticed, loadWithFakeGc, Lockstep, applyIteratorOp, modelSuite,
  sameSequence, show, World, type Boundary, type Loaded, type ModelRun, type Obj,
} from "./harness.js";

let loaded: Loaded;
beforeAll(async () => {
  loaded = await loadWithFakeGc();
});
afterAll(() => {
  finish("IdRegistry", loaded);
});

interface Entry {
  weak: Obj;
}
interface Box {
  readonly id: number;
  readonly real: IdRegistry<WeakKey>;
  /** id -> entry, in registration order. */
  readonly model: Map<number, Entry>;
  /** object -> its current id. */
  readonly ids: Map<WeakKey, number>;
  /** Every id this registry handed out, in order (ids are opaque: only never reused). */
  readonly issued: number[];
  readonly issuedSet: Set<number>;
}

type Op =
  | { op: "remember"; c: number; o: number }
  | { op: "forget"; c: number; id: number }
  | { op: "drop"; o: number }
  | { op: "fresh" }
  | { op: "collect"; mask: number }
  | { op: "flush"; c: number }
  | { op: "churn"; c: number }
  | { op: "bulk"; c: number; n: number; then: Bulk }
  | { op: "iterOpen"; c: number; kind: "entries" | "iterator" }
  | { op: "iterNext"; i: number; count: number }
  | { op: "iterClose"; i: number }
  | { op: "iterDrop"; i: number };

/** What a bulk of remembers is followed by: see `bulk`. */
type Bulk = "none" | "thin" | "drain" | "drop";

const c = fc.nat(1);
const o = fc.nat(31);

const opArb: fc.Arbitrary<Op | Boundary> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ op: fc.constant("remember" as const), c, o }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("forget" as const), c, id: fc.nat(40) }) },
  { weight: 7, arbitrary: fc.record({ op: fc.constant("drop" as const), o }) },
  { weight: 3, arbitrary: fc.constant({ op: "fresh" as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("collect" as const), mask: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("flush" as const), c }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("churn" as const), c }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("bulk" as const), c, n: fc.integer({ min: 9, max: 40 }), then: fc.constantFrom<Bulk>("none", "thin", "drain", "drop") }) },
  ...boundaryArbs({ tick: 4, gc: 5, deliver: 5 }),
  { weight: 2, arbitrary: fc.record({ op: fc.constant("iterOpen" as const), c, kind: fc.constantFrom("entries" as const, "iterator" as const) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("iterNext" as const), i: fc.nat(3), count: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("iterClose" as const), i: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("iterDrop" as const), i: fc.nat(3) }) },
);

const scenarioArb = fc.record({ ops: fc.array(opArb, { minLength: 5, maxLength: 60, size: "max" }) });

/** The object `churn` remembers and forgets over and over (never dropped). */
const CHURN_OBJECT = { churn: true };
/** Arguments that are not ids a registry hands out: they must find nothing. */
const NOT_IDS: readonly unknown[] = [0, -1, 0.5, 1.5, NaN, Infinity, -0, 2 ** 53, "1", null, undefined, {}, 1n];

class Run implements ModelRun<Op> {
  readonly world = new World(loaded.fake, 8);
  readonly boxes: Box[] = [];
  readonly iterators: Array<Lockstep<number, Entry, unknown>> = [];
  readonly reals: Array<{ flush(): number }> = [];

  /** The box of each slot store (see `renewed`). */
  readonly byStore = new Map<object, Box>();

  constructor() {
    for (let i = 0; i < 2; i++) {
      const real = new loaded.lib.IdRegistry<WeakKey>();
      const box: Box = { id: i, real, model: new Map(), ids: new Map(), issued: [], issuedSet: new Set() };
      this.boxes.push(box);
      this.reals.push(real);
      this.byStore.set(loaded.storeOf(real), box);
    }
  }

  /**
   * A store renewed its registry (at any forget, with the small thresholds of these runs): every
   * id its walk found dead is reaped now. Each must be a dead entry of the model.
   */
  renewed(store: object, dead: unknown[]): void {
    const box = this.byStore.get(store);
    ensure(box !== undefined, () => "a renewal in a store that belongs to no registry of this run");
    for (const id of dead) {
      const entry = box.model.get(id as number);
      ensure(entry !== undefined && !isLive(entry), () => `registry ${box.id}: a renewal reaped id ${show(id)}, which the model has ${entry === undefined ? "not" : "live"}`);
      box.model.delete(id as number);
      box.ids.delete(entry.weak.value);
    }
    count(loaded, "registry renewals");
    count(loaded, "entries reaped by renewal", dead.length);
  }

  /**
   * Remembers `n` fresh objects (9 to 40: the table grows past its minimum), then forgets three in
   * four (holes outnumber entries: the table compacts), forgets every id (an emptied table compacts
   * and shrinks), or drops them (a later collection reaps them in one batch).
   */
  bulk(box: Box, n: number, then: Bulk): void {
    const objs: Obj[] = [];
    for (let i = 0; i < n && this.world.objs.length < 200; i++) {
      const obj = this.world.fresh();
      this.remember(box, obj);
      objs.push(obj);
    }
    switch (then) {
      case "none":
        return;
      case "thin":
        objs.forEach((obj, i) => {
          if (i % 4 !== 0) this.forget(box, box.ids.get(obj.value)!);
        });
        return;
      case "drain":
        for (const id of [...box.model.keys()]) this.forget(box, id);
        return;
      case "drop":
        for (const obj of objs) this.world.dropObj(obj);
        return;
    }
  }

  box(i: number): Box {
    return this.boxes[i % this.boxes.length]!;
  }

  remember(box: Box, obj: Obj): void {
    const known = box.ids.get(obj.value);
    const actual = box.real.remember(obj.value);
    if (known !== undefined) {
      ensure(actual === known, () => `registry ${box.id}: remember(${show(obj.value)}) gave ${actual}, expected its id ${known}`);
      return;
    }
    this.issue(box, actual, `remember(${show(obj.value)})`);
    box.model.set(actual, { weak: obj });
    box.ids.set(obj.value, actual);
  }

  /** A new id: a positive safe integer this registry never handed out before. */
  issue(box: Box, id: number, what: string): void {
    ensure(Number.isSafeInteger(id) && id > 0, () => `registry ${box.id}: ${what} gave ${id}, not a positive safe integer`);
    ensure(!box.issuedSet.has(id), () => `registry ${box.id}: ${what} gave ${id}, an id it had handed out before`);
    box.issued.push(id);
    box.issuedSet.add(id);
  }

  forget(box: Box, id: number): boolean {
    const entry = box.model.get(id);
    const expected = entry !== undefined && isLive(entry);
    const actual = box.real.forget(id);
    ensure(actual === expected, () => `registry ${box.id}: forget(${id}) returned ${actual}, expected ${expected}`);
    if (expected) {
      box.model.delete(id);
      box.ids.delete(entry.weak.value);
    }
    return actual;
  }

  reapNoticed(box: Box): number {
    let removed = 0;
    for (const [id, entry] of box.model) {
      if (isNoticed(entry)) {
        box.model.delete(id);
        box.ids.delete(entry.weak.value);
        removed++;
      }
    }
    return removed;
  }

  flush(box: Box): void {
    const sizeBefore = box.real.size;
    const removed = box.real.flush();
    const expected = this.reapNoticed(box);
    ensure(removed === expected, () => `registry ${box.id}: flush() returned ${removed}, expected ${expected}`);
    ensure(box.real.size === sizeBefore - removed, () => "size must drop by exactly what flush() returned");
    ensure(box.real.stats().pending === 0, () => `stats().pending is ${box.real.stats().pending} after flush()`);
    count(loaded, "entries reaped by flush()", removed);
  }

  afterDrain(): void {
    for (const box of this.boxes) {
      count(loaded, "entries reaped by the drain", this.reapNoticed(box));
      ensure(box.real.stats().pending === 0, () => `registry ${box.id}: stats().pending is ${box.real.stats().pending} after the drain`);
    }
  }

  /** Enough remember/forget pairs that the store must renew its registry; `renewed` accounts for it. */
  churn(box: Box): void {
    const renewals = loaded.bridge.counters.renewals;
    const pairs = Math.max(loaded.tuning.staleMin, box.real.size) + 3;
    for (let i = 0; i < pairs; i++) {
      const id = box.real.remember(CHURN_OBJECT);
      this.issue(box, id, "churn");
      ensure(box.real.forget(id), () => `registry ${box.id}: forget(${id}) of a live object returned false`);
    }
    ensure(loaded.bridge.counters.renewals > renewals, () => `registry ${box.id}: ${pairs} remember/forget pairs and no registry renewal`);
  }

  step(op: Op): void {
    const world = this.world;
    switch (op.op) {
      case "remember": {
        const obj = world.held(op.o);
        if (obj !== undefined) this.remember(this.box(op.c), obj);
        return;
      }
      case "forget": {
        // Mostly ids handed out (live, forgotten or collected), sometimes ones never handed out.
        const box = this.box(op.c);
        const pick = op.id % (box.issued.length + 2);
        this.forget(box, pick < box.issued.length ? box.issued[pick]! : Math.max(0, ...box.issued) + pick);
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
        return this.bulk(this.box(op.c), op.n, op.then);
      case "iterOpen": {
        if (this.iterators.length >= 4) return;
        const box = this.box(op.c);
        const real = op.kind === "entries" ? box.real.entries() : box.real[Symbol.iterator]();
        this.iterators.push(new Lockstep<number, Entry, unknown>(real, box.model, (id, entry) => [id, entry.weak.value], `registry ${box.id} ${op.kind}()`));
        return;
      }
      case "iterNext":
      case "iterClose":
      case "iterDrop":
        applyIteratorOp(this.iterators, op);
        return;
    }
  }

  lightCheck(): void {
    for (const box of this.boxes) {
      ensure(box.real.size === box.model.size, () => `registry ${box.id}: size ${box.real.size}, expected ${box.model.size}`);
      const stats = box.real.stats();
      ensure(stats.size === box.real.size && stats.capacity >= stats.size, () => `registry ${box.id}: stats() ${JSON.stringify(stats)}`);
    }
  }

  fullCheck(probe = true): void {
    this.lightCheck();
    const alive = this.world.objs.filter((obj) => obj.state !== "dead");
    for (const box of this.boxes) {
      const label = `registry ${box.id}`;
      sameSequence(
        [...box.real],
        [...box.model].filter(([, entry]) => isLive(entry)).map(([id, entry]) => [id, entry.weak.value]),
        `${label}: entries`,
      );
      if (!probe) continue;
      for (const id of [...box.issued, ...box.issued.map((i) => i + 1), 1, 2]) {
        const entry = box.model.get(id);
        const expected = entry !== undefined && isLive(entry) ? entry.weak.value : undefined;
        ensure(box.real.get(id) === expected, () => `${label}: get(${id}) is ${show(box.real.get(id))}, expected ${show(expected)}`);
        ensure(box.real.has(id) === (expected !== undefined), () => `${label}: has(${id}) is ${box.real.has(id)}`);
      }
      for (const id of NOT_IDS) {
        ensure(box.real.get(id as number) === undefined && !box.real.has(id as number), () => `${label}: get(${show(id)}) must find nothing`);
      }
      for (const obj of alive) {
        ensure(box.real.idOf(obj.value) === box.ids.get(obj.value), () => `${label}: idOf(${show(obj.value)}) is ${box.real.idOf(obj.value)}, expected ${box.ids.get(obj.value)}`);
      }
    }
  }
}

modelSuite(
  "IdRegistry against a model (fake collector)",
  "IdRegistry",
  () => loaded,
  scenarioArb,
  () => {
    const r = new Run();
    r.fullCheck();
    return r;
  },
  { sync: 2000, async: 300 },
  ["relocations"],
);
