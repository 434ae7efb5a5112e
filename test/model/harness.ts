// Shared by the model-based tests (test/model/*.model.test.ts): random operations on a container
// and on a plain Map/Set model, checked after every step, with collection simulated by the fake
// collector (test/fixtures/fake-gc.ts) so that a failing sequence shrinks and replays exactly.
//
// Nothing here imports the library statically: the fakes must replace WeakRef and
// FinalizationRegistry before the library's modules are evaluated, so `loadWithFakeGc()` installs
// them and then imports the library dynamically (each test file is a fresh process).
//
// Thresholds. Each run draws small thresholds (`tuningArb`: staleMin 0-8, cacheSample 1-8, set
// with tuneForTesting from src/core/collector.ts), so registry renewals happen at ordinary deletes
// and overwrites, and the job cache pauses itself; containers' `bulk` operations make tables
// compact and shrink. The harness wraps SlotStore's renewal walk (forEachEntry): it tells the run
// which entries each renewal found dead (`RunHooks.renewed`, so the model stays exact), and, when
// the run's tuning says so, kills dropped objects and delivers queued notices from inside the
// walk's n-th registration (the fake collector's onRegister hook). Each property then prints how
// many renewals, compactions, shrinks, relocations, cache pauses and table checks it made, and fails if any of
// them is zero (`reaching`); each file fails if no table check ran (`finish`).
//
// Replaying a failure. fast-check prints the seed and the path of the shrunk counterexample:
//   FC_SEED=<seed> FC_PATH=<path> npx vitest run test/model/<file> -t "<test name>"
// FC_SEED alone reruns the same random sequences; FC_RUNS=<n> changes the number of runs (below
// 200, or with FC_PATH, a property no longer has to reach every threshold);
// FC_VERBOSE=1 lists every failing sequence met while shrinking.

import fc from "fast-check";
import { describe, it } from "vitest";
import { installFakeGc, type FakeGc } from "../fixtures/fake-gc.js";

type Library = typeof import("../../src/index.js");
type Bridge = typeof import("../../src/core/collector.js");

/** The library's rare-path counters (src/core/collector.ts `counters`). */
export type RareCounters = Bridge["counters"];

/** What a run tells the harness it wants to hear about (set as `loaded.current` for its duration). */
export interface RunHooks {
  readonly world: World;
  /**
   * A store renewed its registry: `dead` names the entries its walk found dead (a strong-key
   * store's keys, read with `keyAt`; a weak-key store's dead targets), which the renewal reaps now
   * and whose onCollect it defers to the drain. Called after the walk, before the reap.
   */
  renewed?(store: object, dead: unknown[]): void;
}

/** Thresholds a run sets (tuneForTesting) and what the fake collector does in the middle of a renewal. */
export interface Tuning {
  staleMin: number;
  cacheSample: number;
  /** At the `at`-th registration of each renewal: collect the dropped objects selected by `mask`, then maybe deliver. */
  mid: { at: number; mask: number; deliver: boolean } | null;
}

export interface Loaded {
  lib: Library;
  fake: FakeGc;
  bridge: Bridge;
  /** checks: how many times a table's invariant checker ran (and returned 0); checking: whether it runs. */
  counters: { checks: number; steps: number; runs: number; checking: boolean; events: Record<string, number> };
  /** The run under way (its hooks), if any. */
  current: RunHooks | undefined;
  /** The slot store of a container (found through its stats(), which every container forwards to it). */
  storeOf(container: { stats(): unknown }): object;
  /** Renewal walks seen by the harness, and the dead entries they reported. */
  walks: { renewals: number; dead: number };
  /** True while `fake.endJob()` runs the library's microtasks. */
  endingJob: boolean;
  /** The tables' methods wrapped with check(), by class name (for the summary). */
  wrapped: string[];
  /** The tuning of the run under way. */
  tuning: Tuning;
}

/** Table methods that change a table; the invariant checker runs after each of them. */
const MUTATORS = ["insertNumber", "insertOther", "remove", "setGen", "reap", "compactIfSparse", "relocate", "reserve", "trim", "clear"] as const;

/**
 * Installs the fake collector, then imports the library, then wraps the tables' mutators with
 * `check()` and the slot stores' renewal walk with the harness's hooks. Fails loudly, rather than
 * checking nothing, if a table class lacks any wrapped method or `check`, or if a container made
 * here does not run the wrapped checker.
 */
export async function loadWithFakeGc(): Promise<Loaded> {
  const fake = installFakeGc();
  const lib = await import("../../src/index.js");
  const bridge = await import("../../src/core/collector.js");
  const slotStore = await import("../../src/core/slot-store.js");
  const counters = { checks: 0, steps: 0, runs: 0, checking: true, events: {} as Record<string, number> };
  const loaded: Loaded = {
    lib, fake, bridge, counters, current: undefined, storeOf, walks: { renewals: 0, dead: 0 }, endingJob: false, wrapped: [],
    tuning: { staleMin: bridge.tuning.staleMin, cacheSample: bridge.tuning.cacheSample, mid: null },
  };

  // Every table class there is: the one makeTable() picks now (WebAssembly, or the fallback when
  // the re-run wrappers disabled it), and whichever of the known classes still exist.
  const protos = new Set<object>();
  protos.add(Object.getPrototypeOf(slotStore.makeTable()) as object);
  for (const path of ["../../src/core/wasm-table.js"]) {
    const module = (await import(/* @vite-ignore */ path).catch(() => undefined)) as Record<string, unknown> | undefined;
    for (const value of Object.values(module ?? {})) {
      if (typeof value === "function" && /Table$/.test(value.name) && value.prototype !== undefined) protos.add(value.prototype as object);
    }
  }
  for (const proto of protos) {
    const table = proto as Record<string, unknown>;
    const name = (proto.constructor as { name?: string }).name ?? "?";
    const missing = [...MUTATORS, "check"].filter((method) => typeof table[method] !== "function");
    if (missing.length > 0) {
      throw new Error(`model harness: table class ${name} has no ${missing.join(", ")}: update MUTATORS in test/model/harness.ts`);
    }
    for (const method of MUTATORS) {
      const original = table[method] as (...a: unknown[]) => unknown;
      table[method] = function (this: { check(): number }, ...args: unknown[]) {
        const result = original.apply(this, args);
        if (!counters.checking) return result;
        const broken = this.check();
        counters.checks++;
        if (broken !== 0) throw new Error(`table invariant ${broken} broken after ${name}.${method}(${args.map(String).join(", ")})`);
        return result;
      };
      loaded.wrapped.push(`${name}.${method}`);
    }
  }

  // The store a container forwards stats() to.
  const storeProto = slotStore.SlotStore.prototype as unknown as Record<string, unknown>;
  for (const method of ["stats", "forEachEntry"]) {
    if (typeof storeProto[method] !== "function") throw new Error(`model harness: SlotStore has no ${method}(): update test/model/harness.ts`);
  }
  let captured: object | undefined;
  const stats = storeProto.stats as (this: object) => unknown;
  storeProto.stats = function (this: object) {
    captured = this;
    return stats.call(this);
  };
  function storeOf(container: { stats(): unknown }): object {
    captured = undefined;
    container.stats();
    const store = captured;
    if (store === undefined) throw new Error("model harness: a container's stats() did not reach SlotStore.stats()");
    return store;
  }

  // The renewal walk (forEachEntry is called by Collector's renewal, and by a store's relocation
  // before a shrink): tell the run which entries it found dead, and let the fake collector kill or
  // deliver in the middle of it.
  const forEachEntry = storeProto.forEachEntry as (this: object, visit: (slot: number, gen: number, target: WeakKey | undefined) => void) => void;
  storeProto.forEachEntry = function (this: { keyAt?: (slot: number) => unknown }, visit: (slot: number, gen: number, target: WeakKey | undefined) => void) {
    const dead: unknown[] = [];
    let lastDead: WeakKey | undefined;
    let registrations = 0;
    let midDone = false;
    const mid = loaded.tuning.mid;
    const run = loaded.current;
    fake.onDeadDeref = (target) => (lastDead = target);
    fake.onRegister = () => {
      if (mid === null || run === undefined || midDone || registrations++ !== mid.at) return;
      midDone = true;
      count(loaded, "objects reclaimed mid-renewal", run.world.collect(mid.mask).length);
      // No delivery while the job's microtasks run (a relocation's renewal runs there): the engine
      // delivers notices in a task of their own, and the model books deliveries before the job ends.
      if (mid.deliver && !loaded.endingJob) count(loaded, "notices delivered mid-renewal", run.world.deliver());
    };
    try {
      forEachEntry.call(this, (slot, gen, target) => {
        if (target === undefined) {
          const key = typeof this.keyAt === "function" ? this.keyAt(slot) : lastDead;
          if (key === undefined && typeof this.keyAt !== "function") throw new Error("model harness: a dead entry of a weak-key store, but no dead deref reported it");
          dead.push(key);
        }
        lastDead = undefined;
        visit(slot, gen, target);
      });
    } finally {
      fake.onDeadDeref = undefined;
      fake.onRegister = undefined;
    }
    loaded.walks.renewals++;
    loaded.walks.dead += dead.length;
    if (run?.renewed !== undefined) run.renewed(this, dead);
    else if (dead.length > 0) throw new Error(`model harness: a renewal or relocation outside any run reaped ${dead.length} dead entries`);
  };

  // Prove the wrappers run: a container made here must run the checker on its first insert. Made
  // outside any scope, so that the realm registry it creates (to free tables) outlives every run.
  const before = counters.checks;
  const probe = new lib.WeakValueMap<number, object>();
  probe.set(1, {});
  probe.delete(1);
  const store = storeOf(probe);
  if (counters.checks === before) {
    throw new Error(`model harness: a WeakValueMap made ${counters.checks - before} table invariant checks; wrapped ${loaded.wrapped.join(", ")}`);
  }
  if (!(store instanceof slotStore.SlotStore)) throw new Error("model harness: storeOf() did not find a SlotStore");
  return loaded;
}

/** fast-check parameters: a printed seed, replayable through FC_SEED / FC_PATH / FC_RUNS. */
export function fcParams(name: string, numRuns: number): fc.Parameters<unknown> {
  const env = process.env;
  const seed = env.FC_SEED !== undefined ? Number(env.FC_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const runs = env.FC_RUNS !== undefined ? Number(env.FC_RUNS) : numRuns;
  const path = env.FC_PATH;
  console.log(`[model] ${name}: ${runs} runs, seed ${seed}${path ? `, path ${path}` : ""} (replay with FC_SEED=${seed})`);
  // verbose 0 prints the seed, the path and the shrunk counterexample; FC_VERBOSE=1 also lists every failure met.
  const verbose = env.FC_VERBOSE !== undefined ? Number(env.FC_VERBOSE) : 0;
  return { seed, numRuns: runs, verbose, ...(path ? { path, endOnFailure: true } : {}) };
}

/** Counts an event of interest, for the summary each file prints (what the random runs reached). */
export function count(loaded: Loaded, event: string, n = 1): void {
  if (n !== 0) loaded.counters.events[event] = (loaded.counters.events[event] ?? 0) + n;
}

/** The summary line a model test file prints after its runs. */
export function summary(name: string, loaded: Loaded): string {
  const { counters, fake } = loaded;
  const events = Object.entries(counters.events)
    .map(([event, n]) => `${event} ${n}`)
    .join(", ");
  return (
    `[model] ${name}: ${counters.runs} runs, ${counters.steps} operations, ${counters.checks} table invariant checks ` +
    `(on ${[...new Set(loaded.wrapped.map((method) => method.split(".")[0]))].join(", ")}), ` +
    `${fake.totals.kills} objects reclaimed, ${fake.totals.deliveries} notices delivered; ${events}`
  );
}

/** For afterAll: prints the summary, and fails the file if no table invariant check ran in it. */
export function finish(name: string, loaded: Loaded | undefined): void {
  if (loaded === undefined) throw new Error(`[model] ${name}: the library was never loaded`);
  console.log(summary(name, loaded));
  if (loaded.counters.checks === 0) throw new Error(`[model] ${name}: 0 table invariant checks ran (wrapped: ${loaded.wrapped.join(", ") || "nothing"})`);
}

/** Throws (failing the property) unless `condition` holds. */
export function ensure(condition: unknown, message: () => string): asserts condition {
  if (!condition) throw new Error(message());
}

/** Short printable form of a key or value for messages. */
export function show(value: unknown): string {
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return `fn#${(value as { n?: number }).n ?? "?"}`;
  if (typeof value === "object" && value !== null) {
    const n = (value as { n?: unknown }).n;
    return n !== undefined ? `obj#${String(n)}` : JSON.stringify(value) ?? String(value);
  }
  if (Object.is(value, -0)) return "-0";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Compares two sequences element by element with Object.is. */
export function sameSequence(actual: readonly unknown[], expected: readonly unknown[], what: string): void {
  const equal =
    actual.length === expected.length &&
    actual.every((item, i) => {
      const other = expected[i];
      if (Array.isArray(item) && Array.isArray(other)) return item.length === other.length && item.every((x, j) => Object.is(x, other[j]));
      return Object.is(item, other);
    });
  ensure(equal, () => `${what}: got [${actual.map(showItem).join(", ")}], expected [${expected.map(showItem).join(", ")}]`);
}

function showItem(item: unknown): string {
  return Array.isArray(item) ? `[${item.map(show).join(", ")}]` : show(item);
}

// ---------------------------------------------------------------------------------------------
// The world of one run: the objects the test may hold, drop and let the fake collector reclaim.

export type ObjState = "held" | "dropped" | "dead";

/** One weakly referenceable thing (object, function or non-registered symbol) and what the test did with it. */
export interface Obj {
  readonly n: number;
  readonly value: WeakKey;
  /** held: the test holds it; dropped: nobody does (not reclaimed yet); dead: reclaimed. */
  state: ObjState;
  /** Dead and its notices were delivered (the engine's cleanup job ran for it). */
  delivered: boolean;
}

export class World {
  readonly objs: Obj[] = [];
  /** An object the test never drops (re-entrant callbacks store it). */
  readonly keeper: Obj = { n: -1, value: { keeper: true }, state: "held", delivered: false };

  constructor(
    readonly fake: FakeGc,
    initial: number,
  ) {
    for (let i = 0; i < initial; i++) this.fresh();
  }

  /** A new held object; every third one a function and every seventh a symbol, for variety. */
  fresh(): Obj {
    const n = this.objs.length;
    let value: WeakKey;
    if (n % 7 === 6) value = Symbol(`sym#${n}`);
    else if (n % 3 === 2) value = Object.assign(function member() {}, { n });
    else value = { n };
    const obj: Obj = { n, value, state: "held", delivered: false };
    this.objs.push(obj);
    return obj;
  }

  /** The i-th held object (cyclically), or undefined when the test holds none. */
  held(i: number): Obj | undefined {
    const held = this.objs.filter((obj) => obj.state === "held");
    return held.length === 0 ? undefined : held[i % held.length];
  }

  drop(i: number): Obj | undefined {
    const obj = this.held(i);
    if (obj !== undefined) obj.state = "dropped";
    return obj;
  }

  /**
   * A collection: the collector reclaims those dropped objects selected by the bits of `mask` that
   * the current job has not kept alive (a deref or new WeakRef this job keeps an object until the job
   * ends). Returns the objects reclaimed.
   */
  collect(mask: number): Obj[] {
    const dropped = this.objs.filter((obj) => obj.state === "dropped");
    const selected = dropped.filter((_, j) => ((mask >>> j % 31) & 1) === 1);
    const killed = new Set(this.fake.kill(selected.map((obj) => obj.value)));
    const victims = selected.filter((obj) => killed.has(obj.value));
    for (const obj of victims) obj.state = "dead";
    return victims;
  }

  /** The cleanup job: every queued notice is delivered. Returns how many were. */
  deliver(): number {
    const delivered = this.fake.deliver();
    for (const obj of this.objs) if (obj.state === "dead") obj.delivered = true;
    return delivered;
  }

  /** Drops a given object (if the test holds it). */
  dropObj(obj: Obj): void {
    if (obj.state === "held") obj.state = "dropped";
  }
}

/** Whether the entry's weak part is alive (not reclaimed). */
export function isLive(entry: { weak: Obj }): boolean {
  return entry.weak.state !== "dead";
}

/** Dead and its notice delivered: the next flush must reap it. */
export function isNoticed(entry: { weak: Obj }): boolean {
  return entry.weak.state === "dead" && entry.weak.delivered;
}

// ---------------------------------------------------------------------------------------------
// Iterators compared in lockstep: the container's own iterator against a Map iterator over the
// model (which holds dead-but-unreaped entries too, and skips them as the container must).

export class Lockstep<K, E extends { weak: Obj }, Y> {
  readonly #model: Iterator<[K, E]>;
  #done = false;

  constructor(
    readonly real: Iterator<Y>,
    model: Map<K, E>,
    readonly project: (key: K, entry: E) => Y,
    readonly label: string,
  ) {
    this.#model = model[Symbol.iterator]();
  }

  /** What the container's iterator must yield next. */
  expectedNext(): IteratorResult<Y> {
    if (this.#done) return { done: true, value: undefined };
    for (;;) {
      const step = this.#model.next();
      if (step.done) {
        this.#done = true;
        return { done: true, value: undefined };
      }
      const [key, entry] = step.value;
      if (isLive(entry)) return { done: false, value: this.project(key, entry) };
    }
  }

  /** Advances both and compares. Returns false once done. */
  step(): boolean {
    const expected = this.expectedNext();
    const actual = this.real.next();
    ensure(actual.done === expected.done, () => `${this.label}: next() done=${actual.done}, expected done=${expected.done} (${showItem(expected.value)})`);
    if (!actual.done) sameSequence([actual.value], [expected.value], `${this.label}: next()`);
    return !actual.done;
  }

  close(): void {
    this.#done = true;
    const result = this.real.return?.();
    ensure(result === undefined || result.done === true, () => `${this.label}: return() must report done`);
    const after = this.real.next();
    ensure(after.done === true, () => `${this.label}: next() after return() must be done`);
  }
}

// ---------------------------------------------------------------------------------------------
// Runs.
//
// Jobs matter (see fake-gc.ts): whatever a job dereferences stays alive until the job ends, so the
// operations of a run are grouped into jobs by three boundary operations, each of which ends the
// current job (running the library's queued microtasks: its drain of delivered notices and its
// per-job cache clearing) after a full check:
//   tick     just the job boundary;
//   gc       then a collection of dropped objects (none of them kept any more);
//   deliver  then the engine's cleanup job delivers every queued notice; the next operations run in
//            that job, before the library's drain (a microtask) has applied them.
// Between boundaries, operations run in one job: after each one only what reads no weak reference
// is checked (size, stats), so that the check does not keep objects alive that a collection in the
// middle of the job (the `collect` operation, or a callback's) could otherwise reclaim. Every
// boundary and the end of the run check everything: contents in order, get/has, stats.

export type Boundary = { op: "tick"; probe: boolean } | { op: "gc"; mask: number; probe: boolean } | { op: "deliver"; probe: boolean };

/**
 * The boundary operations, to mix into a container's operations. `probe` says whether the full
 * check before the job ends also looks every key up (get/has): a job of lookups that repeat
 * makes the store's job cache pay, one without them lets the cache judge that it does not (with a
 * small `cacheSample`) and pause itself.
 */
export function boundaryArbs(weights: { tick: number; gc: number; deliver: number }): Array<fc.WeightedArbitrary<Boundary>> {
  const probe = fc.boolean();
  return [
    { weight: weights.tick, arbitrary: fc.record({ op: fc.constant("tick" as const), probe }) },
    { weight: weights.gc, arbitrary: fc.record({ op: fc.constant("gc" as const), mask: fc.nat(), probe }) },
    { weight: weights.deliver, arbitrary: fc.record({ op: fc.constant("deliver" as const), probe }) },
  ];
}

function isBoundary(op: { op: string }): op is Boundary {
  return op.op === "tick" || op.op === "gc" || op.op === "deliver";
}

/** What a container model gives the runner. */
export interface ModelRun<Op> extends RunHooks {
  readonly world: World;
  /** Every container made in the run, flushed before the world ends. */
  readonly reals: Flushable[];
  /** Applies one (non-boundary) operation to the containers and the model, checking its results. */
  step(op: Op): void;
  /** Checks that read no weak reference (safe in the middle of a job). */
  lightCheck(): void;
  /** Checks everything (`probe` false: everything but the key-by-key lookups; see boundaryArbs). */
  fullCheck(probe?: boolean): void;
  /** The current job is about to end (the library's drain will run). */
  beforeJobEnd?(): void;
  /** After a job ended: the library's drain has applied every delivered notice. */
  afterDrain(): void;
}

function afterBoundary<Op>(model: ModelRun<Op>, op: Boundary): void {
  model.afterDrain();
  model.lightCheck();
  if (op.op === "gc") model.world.collect(op.mask);
  else if (op.op === "deliver") model.world.deliver();
}

/** Ends the fake job (its microtasks run), marking the time for the renewal walk's hook. */
function endJob(loaded: Loaded): void {
  loaded.endingJob = true;
  try {
    loaded.fake.endJob();
  } finally {
    loaded.endingJob = false;
  }
}

/** Runs `ops` with job boundaries simulated synchronously (the fake runs the library's microtasks). */
export function runSync<Op extends { op: string }>(loaded: Loaded, model: ModelRun<Op>, ops: ReadonlyArray<Op | Boundary>): void {
  for (const op of ops) {
    if (isBoundary(op)) {
      model.fullCheck(op.probe);
      model.beforeJobEnd?.();
      endJob(loaded);
      afterBoundary(model, op);
    } else {
      model.step(op as Op);
      model.lightCheck();
    }
    loaded.counters.steps++;
  }
  model.fullCheck();
  model.beforeJobEnd?.();
  endJob(loaded);
  model.afterDrain();
  model.fullCheck();
}

/** The same with real job boundaries: the engine runs the microtasks (an awaited macrotask). */
export async function runAsync<Op extends { op: string }>(loaded: Loaded, model: ModelRun<Op>, ops: ReadonlyArray<Op | Boundary>): Promise<void> {
  for (const op of ops) {
    if (isBoundary(op)) {
      model.fullCheck(op.probe);
      model.beforeJobEnd?.();
      await macrotask();
      endJob(loaded);
      afterBoundary(model, op);
    } else {
      model.step(op as Op);
      model.lightCheck();
    }
    loaded.counters.steps++;
  }
  model.fullCheck();
  model.beforeJobEnd?.();
  await macrotask();
  endJob(loaded);
  model.afterDrain();
  model.fullCheck();
}

/** What every container box exposes to the harness: flushing before the world ends. */
export interface Flushable {
  flush(): number;
}

/**
 * Runs `body` in a fresh fake-collector scope; afterwards flushes every container made in it (so no
 * notice is left for a table the scope's end gives back) and ends the scope.
 */
export function inWorld<T>(loaded: Loaded, containers: Flushable[], body: () => T): T {
  loaded.fake.beginScope();
  loaded.counters.runs++;
  let failed = true;
  try {
    const result = body();
    failed = false;
    return result;
  } finally {
    endWorld(loaded, containers, failed);
  }
}

function endWorld(loaded: Loaded, containers: Flushable[], failed: boolean): void {
  try {
    endJob(loaded);
    for (const container of containers) container.flush();
  } catch (error) {
    if (!failed) throw error; // else keep the body's own error
  } finally {
    loaded.fake.endScope();
  }
}

/** The async variant: also lets the library's queued microtasks run before the scope ends. */
export async function inWorldAsync<T>(loaded: Loaded, containers: Flushable[], body: () => Promise<T>): Promise<T> {
  loaded.fake.beginScope();
  loaded.counters.runs++;
  let failed = true;
  try {
    const result = await body();
    failed = false;
    return result;
  } finally {
    await macrotask();
    endWorld(loaded, containers, failed);
  }
}

/** Resolves after the current macrotask: every queued microtask (the library's drain) has run. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Thresholds and mid-renewal behaviour, drawn per run: small enough that every run crosses them. */
export const tuningArb: fc.Arbitrary<Tuning> = fc.record({
  staleMin: fc.integer({ min: 0, max: 8 }),
  cacheSample: fc.integer({ min: 1, max: 8 }),
  mid: fc.option(fc.record({ at: fc.nat(4), mask: fc.nat(), deliver: fc.boolean() }), { nil: null }),
});

function applyTuning(loaded: Loaded, tuning: Tuning): void {
  loaded.bridge.tuneForTesting({ staleMin: tuning.staleMin, cacheSample: tuning.cacheSample });
  loaded.tuning = tuning;
}

/** The rare paths every model property must reach (src/core/collector.ts `counters`). */
const MUST_REACH = ["renewals", "reapedInRenewal", "compactions", "shrinks", "relocations", "cachePauses", "batches", "trustedBatches"] as const;
type RarePath = (typeof MUST_REACH)[number];

/**
 * Runs `property`, then prints how often it reached each rare path of the library and fails if
 * any of them, or the table invariant checker, was never reached; also holds the renewal walks
 * the harness saw to the library's own counters (every renewal walked, every dead entry reaped).
 */
async function reaching(loaded: Loaded, label: string, property: () => void | Promise<void>, exempt: readonly RarePath[] = []): Promise<void> {
  const before = { ...loaded.bridge.counters };
  const checks = loaded.counters.checks;
  const walks = { ...loaded.walks };
  await property();
  const after = loaded.bridge.counters;
  const delta = Object.fromEntries(MUST_REACH.map((name) => [name, after[name] - before[name]])) as Record<RarePath, number>;
  const checked = loaded.counters.checks - checks;
  console.log(
    `[model] ${label}: ${MUST_REACH.map((name) => `${name} ${delta[name]}`).join(", ")}, table invariant checks ${checked}, ` +
      `reaped in relocation ${after.reapedInRelocation - before.reapedInRelocation}, ` +
      `renewal and relocation walks ${loaded.walks.renewals - walks.renewals} (dead ${loaded.walks.dead - walks.dead})`,
  );
  const reapedInRelocation = after.reapedInRelocation - before.reapedInRelocation;
  ensure(loaded.walks.renewals - walks.renewals === delta.renewals + delta.relocations, () => `${label}: ${delta.renewals} renewals and ${delta.relocations} relocations but the harness saw ${loaded.walks.renewals - walks.renewals} walks`);
  ensure(loaded.walks.dead - walks.dead === delta.reapedInRenewal + reapedInRelocation, () => `${label}: walks found ${loaded.walks.dead - walks.dead} dead entries, renewals reaped ${delta.reapedInRenewal} and relocations ${reapedInRelocation}`);
  // Replaying one counterexample, or a few runs asked for by hand: nothing in particular to reach.
  if (process.env.FC_PATH !== undefined || Number(process.env.FC_RUNS ?? Infinity) < 200) return;
  ensure(checked > 0, () => `${label}: no table invariant check ran (wrapped: ${loaded.wrapped.join(", ") || "nothing"})`);
  const unreached = MUST_REACH.filter((name) => delta[name] === 0 && !exempt.includes(name));
  ensure(unreached.length === 0, () => `${label}: never reached ${unreached.join(", ")}: the runs no longer cross those thresholds`);
}

/**
 * The two properties every container's model test checks: random scenarios with job boundaries
 * simulated synchronously, and the same with real microtasks between jobs. `begin` makes the run
 * (its containers included) inside the fake world. Each run first draws its thresholds
 * (`tuningArb`); each property then fails unless it crossed every one of them (`reaching`).
 */
export function modelSuite<Op extends { op: string }, S extends { ops: ReadonlyArray<Op | Boundary> }>(
  title: string,
  name: string,
  getLoaded: () => Loaded,
  scenarios: fc.Arbitrary<S>,
  begin: (scenario: S) => ModelRun<Op>,
  runs: { sync: number; async: number },
  /** Rare paths this container cannot take (an IdRegistry never renames a slot: its ids name them). */
  exempt: readonly RarePath[] = [],
): void {
  const tuned = fc.record({ tuning: tuningArb, scenario: scenarios });
  describe(title, () => {
    it("agrees with the model after every step (jobs simulated synchronously)", async () => {
      const loaded = getLoaded();
      await reaching(loaded, `${name} sync`, () =>
        fc.assert(
          fc.property(tuned, ({ tuning, scenario }) => {
            const reals: Flushable[] = [];
            applyTuning(loaded, tuning);
            try {
              inWorld(loaded, reals, () => {
                const run = begin(scenario);
                loaded.current = run;
                reals.push(...run.reals);
                runSync(loaded, run, scenario.ops);
              });
            } finally {
              loaded.current = undefined;
            }
          }),
          fcParams(`${name} sync`, runs.sync),
        ),
        exempt,
      );
    });

    it("agrees with the model after every step (real microtasks between jobs)", async () => {
      const loaded = getLoaded();
      await reaching(loaded, `${name} async`, () =>
        fc.assert(
          fc.asyncProperty(tuned, async ({ tuning, scenario }) => {
            const reals: Flushable[] = [];
            applyTuning(loaded, tuning);
            try {
              await inWorldAsync(loaded, reals, async () => {
                const run = begin(scenario);
                loaded.current = run;
                reals.push(...run.reals);
                await runAsync(loaded, run, scenario.ops);
              });
            } finally {
              loaded.current = undefined;
            }
          }),
          fcParams(`${name} async`, runs.async),
        ),
        exempt,
      );
    });
  });
}

/** The iterator operations every model test shares. */
export type IteratorOp =
  | { op: "iterNext"; i: number; count: number }
  | { op: "iterClose"; i: number }
  | { op: "iterDrop"; i: number };

/**
 * Applies an iterator operation to the open lockstep iterators: advance one `count` steps (it is
 * dropped from the list once done), close one with `return()`, or drop one without closing it.
 */
export function applyIteratorOp(iterators: Array<{ step(): boolean; close(): void }>, op: IteratorOp): void {
  const iterator = pick(iterators, op.i);
  if (iterator === undefined) return;
  const forget = () => iterators.splice(iterators.indexOf(iterator), 1);
  switch (op.op) {
    case "iterNext":
      for (let n = 0; n < op.count; n++) {
        if (!iterator.step()) {
          forget();
          return;
        }
      }
      return;
    case "iterClose":
      iterator.close();
      forget();
      return;
    case "iterDrop":
      forget();
      return;
  }
}

export function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}
