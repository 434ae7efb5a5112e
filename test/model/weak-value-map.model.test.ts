// WeakValueMap against a Map model, with collection simulated by the fake collector: random
// sequences of set / delete / overwrite / pop / popItem / setDefault / getOrInsert(Computed) /
// update / clear / copy / valueRefs, dropping values, collections, deliveries of notices, flushes,
// open iterators advanced between steps, and forEach / getOrInsertComputed callbacks that mutate
// (this map or another) or let the collector run mid-iteration. After every step: size, contents
// in order, get/has of every key, stats(), and the table's own invariant checker (see harness.ts).
//
// The model. An entry is live while its value is; a dead entry stays in the map (invisible to
// get/has/iteration, counted by size) until its notice is delivered and applied (flush, or the
// library's microtask at the end of the job), or until the map renews its registry, which reaps
// every dead entry at once. Each run draws small thresholds (harness.ts `tuningArb`), so renewals
// happen at ordinary deletes and overwrites; the harness tells the model which entries each
// renewal found dead (`renewed`), and `churn` forces one. `bulk` grows, thins, drains, drops or
// clears a map, so that tables compact and shrink. Every map here has an onCollect,
// so the model learns exactly which entries were reaped, and checks that each was dead, that every
// delivered one was reaped, and that onCollect ran once for each (never for delete, overwrite,
// clear, pop or popItem). Jobs, collections and deliveries: see harness.ts ("Runs").
import fc from "fast-check";
import { afterAll, beforeAll } from "vitest";
import type { WeakValueMap } from "../../src/index.js";
import {
  boundaryArbs, count, ensure, finish, isLive, isNoticed, loadWithFakeGc, Lockstep, applyIteratorOp, modelSuite,
  sameSequence, show, World, type Boundary, type Loaded, type ModelRun, type Obj,
} from "./harness.js";

let loaded: Loaded;
beforeAll(async () => {
  loaded = await loadWithFakeGc();
});
afterAll(() => {
  finish("WeakValueMap", loaded);
});

const SYMBOL_KEY = Symbol("key");
const OBJECT_KEY = { objectKey: true };
/** Every key kind, with -0/0 and NaN, strings, null/undefined, a symbol, an object and a bigint. */
const KEYS: readonly unknown[] = [0, -0, 1, 2, 3, NaN, 0.5, -7, 2 ** 40, "a", "b", "", null, undefined, SYMBOL_KEY, OBJECT_KEY, 10n];

type Mode = "log" | "reinsert" | "other";
/** What a bulk insert is followed by: see `bulk`. */
type Bulk = "none" | "thin" | "keepLast" | "drain" | "drop" | "clear";
const bulkArb = fc.constantFrom<Bulk>("none", "thin", "keepLast", "drain", "drop", "clear");
interface Entry {
  weak: Obj;
}
interface Family {
  mode: Mode;
  boxes: Box[];
  root?: Box;
}
interface Box {
  readonly id: number;
  readonly real: WeakValueMap<unknown, WeakKey>;
  readonly model: Map<unknown, Entry>;
  readonly family: Family;
  /** onCollect calls attributed to this box. */
  reaped: number;
  /** Keys of dead entries already reaped (by a registry renewal) whose onCollect is still to come. */
  awaiting: unknown[];
  /** Keys of delivered dead entries that the batch under way (flush or drain) reaps. */
  reaping: unknown[];
}

type Action =
  | { a: "none" }
  | { a: "set"; c: number; k: number; o: number }
  | { a: "delete"; c: number; k: number }
  | { a: "clear"; c: number }
  | { a: "flush"; c: number }
  | { a: "collect"; mask: number }
  | { a: "drop"; o: number };

type Op =
  | { op: "set"; c: number; k: number; o: number }
  | { op: "delete"; c: number; k: number }
  | { op: "pop"; c: number; k: number }
  | { op: "popItem"; c: number }
  | { op: "setDefault"; c: number; k: number; o: number; upsert: boolean }
  | { op: "computed"; c: number; k: number; o: number; action: Action }
  | { op: "update"; c: number; entries: Array<{ k: number; o: number }>; bad: boolean }
  | { op: "clear"; c: number }
  | { op: "copy"; c: number }
  | { op: "drop"; o: number }
  | { op: "fresh" }
  | { op: "collect"; mask: number }
  | { op: "flush"; c: number }
  | { op: "churn"; c: number }
  | { op: "bulk"; c: number; n: number; o: number; then: Bulk }
  | { op: "spin"; c: number; k: number; o: number; times: number }
  | { op: "iterOpen"; c: number; kind: "entries" | "keys" | "values" | "iterator" }
  | { op: "iterNext"; i: number; count: number }
  | { op: "iterClose"; i: number }
  | { op: "iterDrop"; i: number }
  | { op: "forEach"; c: number; at: number; action: Action }
  | { op: "valueRefs"; c: number };

const c = fc.nat(3);
const k = fc.nat(KEYS.length - 1);
const o = fc.nat(31);
const mask = fc.nat();

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ a: "none" as const }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("set" as const), c, k, o }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant("delete" as const), c, k }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("clear" as const), c }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant("flush" as const), c }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant("collect" as const), mask }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant("drop" as const), o }) },
);

function opArb(): fc.Arbitrary<Op | Boundary> {
  const ops: Array<fc.WeightedArbitrary<Op | Boundary>> = [
    { weight: 12, arbitrary: fc.record({ op: fc.constant("set" as const), c, k, o }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("delete" as const), c, k }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("pop" as const), c, k }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("popItem" as const), c }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("setDefault" as const), c, k, o, upsert: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("computed" as const), c, k, o, action: actionArb }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("update" as const),
        c,
        entries: fc.array(fc.record({ k, o }), { minLength: 1, maxLength: 3 }),
        bad: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), c }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("copy" as const), c }) },
    { weight: 7, arbitrary: fc.record({ op: fc.constant("drop" as const), o }) },
    { weight: 2, arbitrary: fc.constant({ op: "fresh" as const }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("collect" as const), mask }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant("flush" as const), c }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("churn" as const), c }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("bulk" as const), c, n: fc.integer({ min: 9, max: 40 }), o, then: bulkArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("spin" as const), c, k, o, times: fc.integer({ min: 62, max: 66 }) }) },
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
    { weight: 1, arbitrary: fc.record({ op: fc.constant("valueRefs" as const), c }) },
  ];
  return fc.oneof(...ops);
}

const scenarioArb = fc.record({
  modes: fc.array(fc.constantFrom<Mode>("log", "reinsert", "other"), { minLength: 1, maxLength: 2 }),
  initial: fc.array(fc.record({ k, o }), { maxLength: 4 }),
  ops: fc.array(opArb(), { minLength: 5, maxLength: 60, size: "max" }),
});

type Scenario = { modes: Mode[]; initial: Array<{ k: number; o: number }>; ops: Array<Op | Boundary> };

/** The key `churn` sets and deletes over and over. */
const CHURN_KEY = "churn";
/** The keys of `bulk`: numbers and strings alternately (the table's index, and the store's Map). */
const bulkKey = (i: number): unknown => (i % 2 === 0 ? 1000 + i : `bulk${i}`);

/** One run: the world, the boxes (map + model), the open iterators. */
class Run implements ModelRun<Op> {
  readonly world = new World(loaded.fake, 8);
  readonly boxes: Box[] = [];
  readonly iterators: Array<Lockstep<unknown, Entry, unknown>> = [];
  /** Boxes being flushed, innermost last: an onCollect during a flush belongs to one of them. */
  readonly flushing: Box[] = [];
  /** What onCollect callbacks threw (the library catches it): rethrown by the next check. */
  readonly callbackErrors: unknown[] = [];
  /** Every real map made in the run (copies included), flushed before the world ends. */
  readonly reals: Array<{ flush(): number }> = [];
  /** The box of each slot store (see `renewed`). */
  readonly byStore = new Map<object, Box>();

  newBox(mode: Mode, family: Family | undefined, make: (onCollect: (key: unknown) => void) => WeakValueMap<unknown, WeakKey>): Box {
    const fam: Family = family ?? { mode, boxes: [] };
    const real = make((key) => this.onCollect(fam, key));
    const box: Box = { id: this.boxes.length, real, model: new Map(), family: fam, reaped: 0, awaiting: [], reaping: [] };
    fam.boxes.push(box);
    fam.root ??= box;
    this.boxes.push(box);
    this.reals.push(real);
    this.byStore.set(loaded.storeOf(real), box);
    return box;
  }

  /**
   * A store renewed its registry (at any delete or overwrite, with the small thresholds of these
   * runs): every entry its walk found dead is reaped now, and its onCollect deferred to the drain.
   * Each must be a dead entry of the model; the model may still hold a dead entry that the real map
   * has already overwritten or deleted in the operation under way (it catches up when it returns).
   */
  renewed(store: object, dead: unknown[]): void {
    const box = this.byStore.get(store);
    ensure(box !== undefined, () => "a renewal in a store that belongs to no map of this run");
    for (const key of dead) {
      const entry = box.model.get(key);
      ensure(entry !== undefined && !isLive(entry), () => `map ${box.id}: a renewal reaped ${show(key)}, which the model has ${entry === undefined ? "not" : "live"}`);
      box.model.delete(key);
      box.awaiting.push(key);
      box.reaped++;
    }
    count(loaded, "registry renewals");
    count(loaded, "entries reaped by renewal", dead.length);
  }

  /**
   * The model side of onCollect. A batch (flush() of one map, or the library's drain at the end of a
   * job) removes every entry it reaps before it calls any callback, so the model moves the entries
   * it expects a batch to reap to `reaping` before the batch starts (see `flush` and
   * `beforeJobEnd`); each call consumes one of them (or one reaped by a registry renewal, in
   * `awaiting`), then does the family's re-entrant action. Errors are kept and rethrown by the next
   * check, since the library catches what a callback throws.
   */
  onCollect(family: Family, key: unknown): void {
    try {
      this.attribute(family, key);
      const root = family.root!;
      if (family.mode === "reinsert") this.set(root, key, this.world.keeper);
      else if (family.mode === "other") this.set(root, `re:${show(key)}`, this.world.keeper);
    } catch (error) {
      this.callbackErrors.push(error);
    }
  }

  attribute(family: Family, key: unknown): void {
    const take = (list: unknown[]) => {
      const i = list.findIndex((k) => Object.is(k, key));
      if (i < 0) return false;
      list.splice(i, 1);
      return true;
    };
    const flushing = [...this.flushing].reverse().find((b) => b.family === family);
    for (const box of flushing !== undefined ? [flushing] : family.boxes) {
      if (take(box.reaping) || (flushing === undefined && take(box.awaiting))) {
        box.reaped++;
        if (flushing === undefined) count(loaded, "entries reaped by the drain");
        return;
      }
    }
    // Not expected by the model: only a dead entry whose notice has not come yet may be reaped early
    // (a pending notice whose generation happens to match again; the store checks the referent).
    const box = (flushing !== undefined ? [flushing] : family.boxes).find((b) => {
      const entry = b.model.get(key);
      return entry !== undefined && !isLive(entry);
    });
    ensure(box !== undefined, () => `onCollect(${show(key)}) but no map of its family had a dead entry for that key`);
    box.model.delete(key);
    box.reaped++;
    count(loaded, "dead entries reaped before their notice");
  }

  /** Moves the delivered dead entries of `box` out of the model: a batch is about to reap them. */
  expectReaping(box: Box): void {
    for (const [key, entry] of box.model) {
      if (isNoticed(entry)) {
        box.model.delete(key);
        box.reaping.push(key);
      }
    }
  }

  /** The job ends next: the library's drain will apply every delivered notice. */
  beforeJobEnd(): void {
    for (const box of this.boxes) this.expectReaping(box);
  }

  throwCallbackErrors(): void {
    if (this.callbackErrors.length > 0) throw this.callbackErrors[0];
  }

  box(i: number): Box {
    return this.boxes[i % this.boxes.length]!;
  }

  set(box: Box, key: unknown, obj: Obj): void {
    const result = box.real.set(key, obj.value);
    ensure(result === box.real, () => "set() must return the map");
    box.model.set(key, { weak: obj });
  }

  delete(box: Box, key: unknown): void {
    const entry = box.model.get(key);
    const expected = entry !== undefined && isLive(entry);
    const actual = box.real.delete(key);
    ensure(actual === expected, () => `delete(${show(key)}) returned ${actual}, expected ${expected}`);
    if (expected) box.model.delete(key);
  }

  clear(box: Box): void {
    box.real.clear();
    box.model.clear();
  }

  flush(box: Box): void {
    const before = box.reaped;
    const sizeBefore = box.real.size;
    this.expectReaping(box);
    this.flushing.push(box);
    let removed: number;
    try {
      removed = box.real.flush();
    } finally {
      this.flushing.pop();
    }
    this.throwCallbackErrors();
    ensure(box.reaping.length === 0, () => `map ${box.id}: flush() reaped no onCollect for the delivered dead entries ${box.reaping.map(show).join(", ")}`);
    ensure(removed === box.reaped - before, () => `flush() returned ${removed}, but onCollect ran ${box.reaped - before} times`);
    count(loaded, "entries reaped by flush()", removed);
    ensure(box.real.stats().pending === 0, () => `stats().pending is ${box.real.stats().pending} after flush()`);
    if (box.family.mode === "log") ensure(box.real.size === sizeBefore - removed, () => "size must drop by exactly what flush() returned");
  }

  /** After the library's own drain ran (the job ended): nothing delivered is left anywhere. */
  afterDrain(): void {
    this.throwCallbackErrors();
    for (const box of this.boxes) {
      for (const [key, entry] of box.model) ensure(!isNoticed(entry), () => `the drain left the delivered dead entry ${show(key)} in map ${box.id}`);
      ensure(box.reaping.length === 0, () => `map ${box.id}: the drain gave no onCollect for ${box.reaping.map(show).join(", ")}`);
      ensure(box.awaiting.length === 0, () => `map ${box.id}: onCollect never ran for ${box.awaiting.map(show).join(", ")}`);
      ensure(box.real.stats().pending === 0, () => `map ${box.id}: stats().pending is ${box.real.stats().pending} after the drain`);
    }
  }

  /**
   * Enough set/delete pairs of one key that the store must renew its registry (stale
   * registrations outnumber both `staleMin` and the entries); `renewed` accounts for what it reaps.
   */
  churn(box: Box): void {
    const keeper = this.world.keeper;
    const had = box.model.get(CHURN_KEY);
    const renewals = loaded.bridge.counters.renewals;
    const pairs = Math.max(loaded.tuning.staleMin, box.real.size) + 3;
    for (let i = 0; i < pairs; i++) {
      box.real.set(CHURN_KEY, keeper.value);
      box.real.delete(CHURN_KEY);
    }
    if (had !== undefined) box.model.delete(CHURN_KEY); // set overwrote it, delete removed it
    ensure(loaded.bridge.counters.renewals > renewals, () => `map ${box.id}: ${pairs} set/delete pairs and no registry renewal`);
  }

  /**
   * Sets `n` more keys (9 to 40: the table grows past its minimum), then thins them out (deletes
   * three in four: holes outnumber entries, so the table compacts), drains the map (deletes every
   * key: an emptied table compacts and shrinks), drops their values (a later collection reaps
   * them in one batch), or clears the map.
   */
  bulk(box: Box, n: number, o: number, then: Bulk): void {
    const used: Obj[] = [];
    for (let i = 0; i < n; i++) {
      const obj = this.world.held(o + i);
      if (obj === undefined) return;
      this.set(box, bulkKey(i), obj);
      used.push(obj);
    }
    switch (then) {
      case "none":
        return;
      case "thin":
        for (let i = 0; i < n; i++) if (i % 4 !== 0) this.delete(box, bulkKey(i));
        return;
      case "keepLast": {
        // Every entry but the batch's last three, which sit in the highest slots: the shrink that
        // follows must rename them (a relocation, at the end of the job).
        const last = new Set([n - 1, n - 2, n - 3].map(bulkKey));
        for (const key of [...box.model.keys()]) if (!last.has(key)) this.delete(box, key);
        return;
      }
      case "drain":
        for (const key of [...box.model.keys()]) this.delete(box, key);
        return;
      case "drop":
        for (const obj of used) this.world.dropObj(obj);
        return;
      case "clear":
        return this.clear(box);
    }
  }

  doAction(action: Action): void {
    switch (action.a) {
      case "none":
        return;
      case "set": {
        const obj = this.world.held(action.o);
        if (obj !== undefined) this.set(this.box(action.c), KEYS[action.k], obj);
        return;
      }
      case "delete":
        return this.delete(this.box(action.c), KEYS[action.k]);
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

  /** Applies one operation to the maps and the model, checking every result. */
  step(op: Op): void {
    const world = this.world;
    switch (op.op) {
      case "set": {
        const obj = world.held(op.o);
        if (obj !== undefined) this.set(this.box(op.c), KEYS[op.k], obj);
        return;
      }
      case "delete":
        return this.delete(this.box(op.c), KEYS[op.k]);
      case "pop": {
        const box = this.box(op.c);
        const key = KEYS[op.k];
        const entry = box.model.get(key);
        const expected = entry !== undefined && isLive(entry) ? entry.weak.value : undefined;
        const actual = box.real.pop(key);
        ensure(actual === expected, () => `pop(${show(key)}) returned ${show(actual)}, expected ${show(expected)}`);
        if (expected !== undefined) box.model.delete(key);
        return;
      }
      case "popItem": {
        const box = this.box(op.c);
        const last = [...box.model].reverse().find(([, entry]) => isLive(entry));
        const actual = box.real.popItem();
        if (last === undefined) ensure(actual === undefined, () => `popItem() returned ${show(actual)} from a map with no live entry`);
        else {
          sameSequence(actual ?? [], [last[0], last[1].weak.value], "popItem()");
          box.model.delete(last[0]);
        }
        return;
      }
      case "setDefault": {
        const obj = world.held(op.o);
        if (obj === undefined) return;
        const box = this.box(op.c);
        const key = KEYS[op.k];
        const entry = box.model.get(key);
        const actual = op.upsert ? box.real.getOrInsert(key, obj.value) : box.real.setDefault(key, obj.value);
        if (entry !== undefined && isLive(entry)) {
          ensure(actual === entry.weak.value, () => `setDefault(${show(key)}) must return the live value`);
        } else {
          ensure(actual === obj.value, () => `setDefault(${show(key)}) must return the value it stored`);
          box.model.set(key, { weak: obj });
        }
        return;
      }
      case "computed": {
        const obj = world.held(op.o);
        if (obj === undefined) return;
        const box = this.box(op.c);
        const key = KEYS[op.k];
        const entry = box.model.get(key);
        const wasLive = entry !== undefined && isLive(entry);
        const liveValue = wasLive ? entry.weak.value : undefined;
        let calls = 0;
        const actual = box.real.getOrInsertComputed(key, (given) => {
          calls++;
          ensure(given === key || (given === 0 && key === 0) || (Number.isNaN(given) && Number.isNaN(key)), () => `callback got key ${show(given)}, expected ${show(key)}`);
          this.doAction(op.action);
          return obj.value;
        });
        if (wasLive) {
          ensure(calls === 0 && actual === liveValue, () => `getOrInsertComputed(${show(key)}) must return the live value without calling back`);
        } else {
          ensure(calls === 1 && actual === obj.value, () => `getOrInsertComputed(${show(key)}) must call back once and return the computed value`);
          box.model.set(key, { weak: obj });
        }
        return;
      }
      case "update": {
        const box = this.box(op.c);
        const pairs: Array<[unknown, Obj]> = [];
        for (const { k: key, o: obj } of op.entries) {
          const held = world.held(obj);
          if (held !== undefined) pairs.push([KEYS[key], held]);
        }
        if (op.bad) {
          const before = [...box.real.entries()];
          let error: unknown;
          try {
            box.real.update([...pairs.map(([key, held]) => [key, held.value] as [unknown, WeakKey]), ["bad", 42 as unknown as WeakKey]]);
          } catch (caught) {
            error = caught;
          }
          ensure(error instanceof TypeError, () => `update() with a number value must throw a TypeError, got ${String(error)}`);
          sameSequence([...box.real.entries()], before, "update() that threw must change nothing");
          return;
        }
        const result = box.real.update(pairs.map(([key, held]) => [key, held.value] as [unknown, WeakKey]));
        ensure(result === box.real, () => "update() must return the map");
        for (const [key, held] of pairs) box.model.set(key, { weak: held });
        return;
      }
      case "clear":
        return this.clear(this.box(op.c));
      case "copy": {
        if (this.boxes.length >= 4) return;
        const source = this.box(op.c);
        const copy = this.newBox(source.family.mode, source.family, () => source.real.copy());
        for (const [key, entry] of source.model) if (isLive(entry)) copy.model.set(key, { weak: entry.weak });
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
        return this.bulk(this.box(op.c), op.n, op.o, op.then);
      case "spin": {
        // Overwrites one key about 64 times: generations are 6 bits wide, so a stale notice still
        // pending for this key now carries the slot's current generation again. Only the check that
        // the referent is really dead keeps it from removing the live entry.
        const obj = world.held(op.o);
        if (obj === undefined) return;
        const box = this.box(op.c);
        for (let i = 0; i < op.times; i++) this.set(box, KEYS[op.k], obj);
        return;
      }
      case "iterOpen": {
        if (this.iterators.length >= 4) return;
        const box = this.box(op.c);
        const real =
          op.kind === "entries" ? box.real.entries() : op.kind === "keys" ? box.real.keys() : op.kind === "values" ? box.real.values() : box.real[Symbol.iterator]();
        const project =
          op.kind === "keys"
            ? (key: unknown) => key
            : op.kind === "values"
              ? (_key: unknown, entry: Entry) => entry.weak.value
              : (key: unknown, entry: Entry) => [key, entry.weak.value];
        this.iterators.push(new Lockstep<unknown, Entry, unknown>(real, box.model, project, `map ${box.id} ${op.kind}()`));
        return;
      }
      case "iterNext":
      case "iterClose":
      case "iterDrop": // iterDrop abandons an iterator without return(): nothing may depend on closing
        applyIteratorOp(this.iterators, op);
        return;
      case "forEach": {
        const box = this.box(op.c);
        const lock = new Lockstep<unknown, Entry, unknown>(
          [][Symbol.iterator](),
          box.model,
          (key, entry) => [key, entry.weak.value],
          `map ${box.id} forEach`,
        );
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
        ensure(rest.done, () => `forEach stopped before ${JSON.stringify(rest.value)}`);
        return;
      }
      case "valueRefs": {
        const box = this.box(op.c);
        const refs = box.real.valueRefs();
        const expected = [...box.model.values()].filter(isLive).map((entry) => entry.weak.value);
        sameSequence(
          refs.map((r) => r.deref()),
          expected,
          "valueRefs()",
        );
        return;
      }
    }
  }

  lightCheck(): void {
    this.throwCallbackErrors();
    for (const box of this.boxes) {
      ensure(box.real.size === box.model.size, () => `map ${box.id}: size ${box.real.size}, expected ${box.model.size} (${[...box.model.keys()].map(show).join(", ")})`);
      const stats = box.real.stats();
      ensure(stats.size === box.real.size && stats.capacity >= stats.size, () => `map ${box.id}: stats() ${JSON.stringify(stats)}`);
    }
  }

  fullCheck(probe = true): void {
    for (const box of this.boxes) {
      const { real, model } = box;
      const label = `map ${box.id}`;
      ensure(real.size === model.size, () => `${label}: size ${real.size}, expected ${model.size} (${[...model.keys()].map(show).join(", ")})`);
      const live = [...model].filter(([, entry]) => isLive(entry));
      sameSequence(
        [...real.entries()],
        live.map(([key, entry]) => [key, entry.weak.value]),
        `${label}: entries()`,
      );
      for (const key of probe ? KEYS : []) {
        const entry = model.get(key);
        const expected = entry !== undefined && isLive(entry) ? entry.weak.value : undefined;
        ensure(real.get(key) === expected, () => `${label}: get(${show(key)}) is ${show(real.get(key))}, expected ${show(expected)}`);
        ensure(real.has(key) === (expected !== undefined), () => `${label}: has(${show(key)}) is ${real.has(key)}`);
      }
      const stats = real.stats();
      ensure(stats.size === real.size && stats.capacity >= stats.size, () => `${label}: stats() ${JSON.stringify(stats)}`);
    }
  }
}

/** Makes the maps of a scenario (inside the world's scope: their registrations belong to it). */
function start(r: Run, scenario: Scenario): void {
  for (const mode of scenario.modes) {
    const initial: Array<[unknown, Obj]> = [];
    for (const { k: key, o: obj } of scenario.initial) {
      const held = r.world.held(obj);
      if (held !== undefined) initial.push([KEYS[key], held]);
    }
    const box = r.newBox(mode, undefined, (onCollect) =>
      new loaded.lib.WeakValueMap<unknown, WeakKey>(
        initial.map(([key, held]) => [key, held.value] as [unknown, WeakKey]),
        { onCollect },
      ),
    );
    for (const [key, held] of initial) box.model.set(key, { weak: held });
  }
  r.fullCheck();
}

modelSuite(
  "WeakValueMap against a Map model (fake collector)",
  "WeakValueMap",
  () => loaded,
  scenarioArb,
  (scenario: Scenario) => {
    const r = new Run();
    start(r, scenario);
    return r;
  },
  { sync: 3000, async: 300 },
);
