#!/usr/bin/env node
// Soak: random operations over every container and reference type (WeakValueMap, IterableWeakMap,
// IterableWeakSet, IdRegistry, ref, proxy, finalize, WeakMethod) on the real garbage collector,
// with re-entrant callbacks and paused iterators, checked against a model; `collect()` from
// weaktable/testing after every round, then an exact check of everything. At the end, the heap and
// the WebAssembly memory must be back near where they were after the first epoch.
//
//   npm run test:soak                              about 3 minutes, a random seed
//   npm run test:soak -- --minutes 10              longer
//   npm run test:soak -- --seed 1234 --rounds 300  replays seed 1234's operations for 300 rounds
//   npm run test:soak -- --mid-gc                  also gc() in the middle of rounds (see below)
//   npm run test:soak -- --heap-snapshot           on a leak, also write a heap snapshot (see below)
//
// --mid-gc adds synchronous gc() calls in the middle of a round, so that registry renewals find
// dead entries (reaped in renewal) and notices arrive mid-round. It found that a renewal (or
// clear()) that dropped a registry a collection in the same job had given notices to, followed by
// a second collection before the engine's cleanup task ran, stopped every FinalizationRegistry of
// the process on V8 (reproduced without weaktable; fixed by retiring registries, see collector.ts
// and test/collector/registry-retirement.test.ts). Should cleanup ever stall again, the soak
// reports the stalled collect() and stops.
//
// Runs the built package (dist/, `npm run build`) under `node --expose-gc`. Thresholds are made
// small (tuneForTesting: staleMin 4, cacheSample 8) so registry renewals and job-cache pauses
// happen all the time. The seed fixes the operations; the real collector decides when things die,
// so a replay is the same operation sequence, not the same collections.
//
// The model. The soak holds every object it may hand to the library in `pool` (a strong slot while
// "held", then only a WeakRef of its own, the oracle, once "dropped"). All WeakRefs to one target
// clear in the same collection, so at every instant an entry is live exactly when its oracle
// derefs: lookups, delete/pop results, ref.deref(), proxies and iterators are checked exactly at
// every step. What only a notice settles (size, which dead entries were reaped, callbacks) is
// checked leniently during a round and exactly after each `collect()`. Overwriting an entry whose
// value was dropped is skipped: whether its slot was already reaped by a registry renewal (then the
// key moves to the end) is not visible from outside; the fake-collector model tests cover it.
//
// The end of an epoch drops everything; then every object of the pool, every container, Ref, weak
// proxy, Finalizer, WeakMethod and open iterator of the epoch, and the soak's own epoch state must
// be collected within 20 s (`collect(until)`). A failure names what is still alive besides the
// objects; with --heap-snapshot it also writes a heap snapshot in which each surviving object has
// a property `soakSurvivor` (a SoakSurvivor: find that class in the snapshot, then its retainers).
//
// Closures. V8 gives each scope (a function, a block) one context object, shared by every closure
// made in it and in the scopes inside it, holding each variable of that scope that any of those
// closures uses: a closure keeps alive what its siblings name, not only what it names itself. The soak met this after the retain option was merged (before, `retain: 4` below was
// an unknown option and ignored): in about one epoch end in three, 4 objects outlived the epoch
// (e.g. seed 870122459, round 60: pool objects 29227, 29407, 29524, 29540, one a function). A heap
// snapshot gave the retainer path (weak edges and WeakMap table-to-value edges left out):
//   finalize.ts's `alive` Set -> Finalizer -> #held.fn (the soak's finalizer callback, made inline
//   in opRefs; it named only `entry` and `n`) -> its block context -> opRefs' context, whose scope
//   info lists `s` and `n` (`s` named by the ref callback made beside it) -> s, the epoch state ->
//   s.wvms[2], the retain map -> RetainTier #values -> the 4 objects it retained,
// and the Finalizer was for one of those 4 objects, whose collection it waits for: a cycle through
// a root. That is Python's finalize pitfall (fn must not reach obj; README, finalize()) through a
// context that the code does not show, not a leak of the library: the Set holds a live finalizer
// and its callback by contract. A smaller form, without the soak:
//   function setup() { const cache = new WeakValueMap(null, { retain: 1 }); const obj = {};
//     cache.set("k", obj); const n = 1; void (() => cache); finalize(obj, () => void n); }
// leaves obj alive forever (`collect()` times out); with the callback made by a function of its own
// (`const say = (n) => () => void n; finalize(obj, say(n))`) obj is collected. So every callback the
// soak hands to the library is made by a small factory (refCallback, countingCallback,
// finalizerCallback) that closes over its own entry only, and the epoch's containers, references
// and state are checked as well, so that whatever still holds the epoch shows in the message.
//
// Output: figures per epoch, then operations, collections, failures, minutes and the library's
// renewal/compaction/shrink/cache-pause counters, and a last line "N passed, N failed" (rounds).
import { parseArgs } from "node:util";

const { values: argv } = parseArgs({
  options: {
    minutes: { type: "string", default: "3" },
    seed: { type: "string" },
    rounds: { type: "string" },
    "ops-per-round": { type: "string", default: "10000" },
    "rounds-per-epoch": { type: "string", default: "15" },
    quiet: { type: "boolean", default: false },
    "mid-gc": { type: "boolean", default: false },
    "heap-snapshot": { type: "boolean", default: false },
  },
});

if (typeof globalThis.gc !== "function") {
  console.error("soak: run with node --expose-gc (npm run test:soak does)");
  process.exit(2);
}

const lib = await import("../dist/src/index.js");
const { collect } = await import("../dist/src/testing/index.js");
const bridge = await import("../dist/src/core/collector.js");
const { memoryBytes } = await import("../dist/src/wasm/instance.js");
bridge.tuneForTesting({ staleMin: 4, cacheSample: 8 });

const minutes = Number(argv.minutes);
const seed = argv.seed !== undefined ? Number(argv.seed) >>> 0 : (Date.now() ^ (Math.random() * 2 ** 32)) >>> 0;
const maxRounds = argv.rounds !== undefined ? Number(argv.rounds) : Infinity;
const opsPerRound = Number(argv["ops-per-round"]);
const roundsPerEpoch = Number(argv["rounds-per-epoch"]);
console.log(`soak: seed ${seed}, ${argv.rounds !== undefined ? `${maxRounds} rounds` : `${minutes} minutes`}, ${opsPerRound} operations a round, ${roundsPerEpoch} rounds an epoch`);

// ---------------------------------------------------------------------------------------------
// Random numbers (mulberry32): the seed fixes every operation.

let state = seed;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const chance = (p) => random() < p;

// ---------------------------------------------------------------------------------------------
// Failures: counted, the first few printed; a round with any failure is a failed round.

let failures = 0;
let roundFailed = false;
function fail(message) {
  failures++;
  roundFailed = true;
  if (failures <= 20) console.error(`FAIL (round ${round}): ${message}`);
  if (failures === 20) console.error("(further failures are counted, not printed)");
}
function ensure(condition, message) {
  if (!condition) fail(typeof message === "function" ? message() : message);
  return Boolean(condition);
}
const show = (x) => (typeof x === "string" ? JSON.stringify(x) : typeof x === "object" && x !== null ? `obj#${x.n}` : String(x));

// ---------------------------------------------------------------------------------------------
// The pool of objects: index n -> { obj (while held), oracle }.

/** @type {Array<{ obj: object | undefined, oracle: WeakRef<object> }>} */
let pool = [];
/** Indexes of held objects (swap-removed on drop). */
let held = [];

function fresh() {
  const n = pool.length;
  const obj = n % 5 === 4 ? Object.assign(function member() { return this; }, { n }) : { n };
  pool.push({ obj, oracle: new WeakRef(obj) });
  held.push(n);
  return n;
}
function pickHeld() {
  if (held.length < 64 || chance(0.05)) return fresh();
  return held[int(held.length)];
}
function drop() {
  if (held.length === 0) return;
  const i = int(held.length);
  pool[held[i]].obj = undefined;
  held[i] = held[held.length - 1];
  held.pop();
}
/** Whether pool object n is alive (held, or dropped and not collected yet). */
function alive(n) {
  const p = pool[n];
  return p.obj !== undefined || p.oracle.deref() !== undefined;
}
/** The object n if alive (deref keeps it alive to the end of this job, as any lookup does). */
function target(n) {
  const p = pool[n];
  return p.obj ?? p.oracle.deref();
}

// ---------------------------------------------------------------------------------------------
// Containers and their models. Each model is a Map in the container's order; entries whose
// referent died stay in it until the container is known to have reaped them (an onCollect call,
// or the exact check after a collection for containers without one).

const KEY_SPECIALS = [0, -0, NaN, 0.5, -1, 2 ** 40, "", "k", null, undefined, true];
function randomKey() {
  const r = random();
  if (r < 0.5) return int(600);
  if (r < 0.9) return `s${int(300)}`;
  return KEY_SPECIALS[int(KEY_SPECIALS.length)];
}

let keeper = { keeper: true }; // never dropped during an epoch: what re-entrant callbacks store
let epochState;

function newEpoch() {
  const s = {
    wvms: [],
    iwms: [],
    iwss: [],
    ids: [],
    refs: [],
    proxies: [],
    finalizers: [],
    methods: [],
    iterators: [],
    finalized: 0,
  };
  // WeakValueMaps: onCollect that logs; one that re-inserts into another map; one without
  // onCollect and with a retain tier (its model learns of reaping at the exact check).
  for (const mode of ["log", "other", "retain"]) {
    const box = { kind: "WeakValueMap", mode, s, model: new Map(), optional: new Map(), real: undefined };
    const onCollect = mode === "retain" ? undefined : (key) => wvmCollected(box, key);
    box.real = new lib.WeakValueMap(null, mode === "retain" ? { retain: 4 } : { onCollect });
    s.wvms.push(box);
  }
  for (const mode of ["log", "none"]) {
    const box = { kind: "IterableWeakMap", mode, s, model: new Map(), byValue: new Map(), nextValue: 1, real: undefined };
    box.real = new lib.IterableWeakMap(null, mode === "log" ? { onCollect: (value) => iwmCollected(box, value) } : undefined);
    s.iwms.push(box);
  }
  for (let i = 0; i < 2; i++) s.iwss.push({ kind: "IterableWeakSet", model: new Map(), real: new lib.IterableWeakSet() });
  // Ids carry no order (API.md): the model keeps every id handed out, to check that each is new.
  s.ids.push({ kind: "IdRegistry", model: new Map(), idOf: new Map(), issued: [], issuedSet: new Set(), real: new lib.IdRegistry() });
  return s;
}

/** onCollect of a WeakValueMap: must name a dead entry of the model (or one released since, `optional`). */
function wvmCollected(box, key) {
  if (box.s !== epochState) return; // a callback of an epoch already ended
  const n = box.model.get(key);
  if (n !== undefined && !alive(n)) {
    box.model.delete(key);
    counts.onCollect++;
  } else {
    const left = box.optional.get(key) ?? 0;
    if (!ensure(left > 0, () => `${box.kind}(${box.mode}): onCollect(${show(key)}) for an entry that is ${n === undefined ? "not in the model" : "live"}`)) return;
    box.optional.set(key, left - 1);
    counts.onCollect++;
  }
  if (box.mode === "other") {
    // Re-entrant: store the event in the first map, under a key of its own, with a value that lives.
    const other = epochState.wvms[0];
    const k = `re:${String(key)}`;
    other.real.set(k, keeper);
    other.model.set(k, KEEPER);
  }
}
/** onCollect of an IterableWeakMap (values are unique numbers): must name a dead entry of the model. */
function iwmCollected(box, value) {
  if (box.s !== epochState) return; // a callback of an epoch already ended
  const n = box.byValue.get(value);
  if (!ensure(n !== undefined && box.model.has(n) && !alive(n), () => `IterableWeakMap: onCollect(${value}) for an entry that is ${n === undefined ? "unknown" : "live"}`)) return;
  box.model.delete(n);
  box.byValue.delete(value);
  counts.onCollect++;
  // Re-entrant: remember the keeper in the registry (the same id every time).
  const ids = epochState.ids[0];
  const id = ids.real.remember(keeper);
  if (!ids.model.has(id)) {
    ensure(Number.isSafeInteger(id) && id > 0 && !ids.issuedSet.has(id), () => `IdRegistry: remember(keeper) in a callback gave ${id}, not a new id`);
    ids.issued.push(id);
    ids.issuedSet.add(id);
    ids.model.set(id, KEEPER);
    ids.idOf.set(KEEPER, id);
  }
}

/** The keeper's pool index (made per epoch). */
let KEEPER = -1;

const counts = { ops: 0, collections: 0, midRoundGcs: 0, onCollect: 0, refCallbacks: 0, finalized: 0, iteratorSteps: 0, epochs: 0 };

// ---------------------------------------------------------------------------------------------
// Operations.

function opWvm(s) {
  const box = s.wvms[int(s.wvms.length)];
  const real = box.real;
  const r = random();
  if (r < 0.35) {
    const key = randomKey();
    const old = box.model.get(key);
    if (old !== undefined && !alive(old)) return; // see the file header
    const n = pickHeld();
    real.set(key, pool[n].obj);
    box.model.set(key, n);
  } else if (r < 0.55) {
    const key = randomKey();
    const n = box.model.get(key);
    const expected = n !== undefined && alive(n) ? pool[n].obj ?? pool[n].oracle.deref() : undefined;
    if (chance(0.5)) {
      const actual = real.get(key);
      ensure(actual === expected, () => `${box.kind}(${box.mode}).get(${show(key)}) is ${show(actual)}, expected ${show(expected)}`);
    } else {
      const actual = real.has(key);
      ensure(actual === (expected !== undefined), () => `${box.kind}(${box.mode}).has(${show(key)}) is ${actual}, expected ${expected !== undefined}`);
    }
  } else if (r < 0.7) {
    const key = randomKey();
    const n = box.model.get(key);
    const live = n !== undefined && alive(n);
    const actual = real.delete(key);
    ensure(actual === live, () => `${box.kind}(${box.mode}).delete(${show(key)}) returned ${actual}, expected ${live}`);
    if (live) box.model.delete(key);
  } else if (r < 0.75) {
    const key = randomKey();
    const n = box.model.get(key);
    const expected = n !== undefined ? target(n) : undefined;
    const actual = real.pop(key);
    ensure(actual === expected, () => `${box.kind}(${box.mode}).pop(${show(key)}) is ${show(actual)}, expected ${show(expected)}`);
    if (expected !== undefined) box.model.delete(key);
  } else if (r < 0.78) {
    let last;
    let found = false;
    for (const [key, n] of box.model) {
      if (alive(n)) {
        last = key;
        found = true;
      }
    }
    const actual = real.popItem();
    if (!found) ensure(actual === undefined, () => `${box.kind}.popItem() gave ${show(actual?.[0])} from a map without live entries`);
    else {
      ensure(actual !== undefined && Object.is(actual[0], last === -0 ? 0 : last) && actual[1] === target(box.model.get(last)), () => `${box.kind}(${box.mode}).popItem() gave ${show(actual?.[0])}, expected ${show(last)}`);
      box.model.delete(last);
    }
  } else if (r < 0.86) {
    const key = randomKey();
    const old = box.model.get(key);
    if (old !== undefined && !alive(old)) return;
    const n = pickHeld();
    const actual = chance(0.5) ? real.getOrInsert(key, pool[n].obj) : real.getOrInsertComputed(key, () => pool[n].obj);
    if (old !== undefined) ensure(actual === target(old), () => `${box.kind}.getOrInsert(${show(key)}) replaced a live value`);
    else {
      ensure(actual === pool[n].obj, () => `${box.kind}.getOrInsert(${show(key)}) did not insert`);
      box.model.set(key, n);
    }
  } else if (r < 0.87 && chance(0.3)) {
    real.clear();
    for (const [key, n] of box.model) if (!alive(n)) box.optional.set(key, (box.optional.get(key) ?? 0) + 1);
    box.model.clear();
  } else {
    openIterator(s, box, real);
  }
}

function opIwm(s) {
  const box = s.iwms[int(s.iwms.length)];
  const real = box.real;
  const r = random();
  const n = pickHeld();
  const obj = pool[n].obj;
  if (r < 0.4) {
    const value = box.nextValue++;
    real.set(obj, value);
    const old = box.model.get(n);
    if (old !== undefined) box.byValue.delete(old);
    box.model.set(n, value);
    box.byValue.set(value, n);
  } else if (r < 0.65) {
    const expected = box.model.get(n);
    ensure(real.get(obj) === expected && real.has(obj) === (expected !== undefined), () => `IterableWeakMap.get(obj#${n}) is ${real.get(obj)}, expected ${expected}`);
  } else if (r < 0.85) {
    const expected = box.model.has(n);
    ensure(real.delete(obj) === expected, () => `IterableWeakMap.delete(obj#${n}) must return ${expected}`);
    box.byValue.delete(box.model.get(n));
    box.model.delete(n);
  } else if (r < 0.86 && chance(0.3)) {
    real.clear();
    box.model.clear();
    box.byValue.clear();
  } else {
    openIterator(s, box, real);
  }
}

function opIws(s) {
  const box = s.iwss[int(s.iwss.length)];
  const real = box.real;
  const r = random();
  const n = pickHeld();
  const obj = pool[n].obj;
  if (r < 0.45) {
    real.add(obj);
    if (!box.model.has(n)) box.model.set(n, n);
  } else if (r < 0.7) {
    ensure(real.has(obj) === box.model.has(n), () => `IterableWeakSet.has(obj#${n}) must be ${box.model.has(n)}`);
  } else if (r < 0.9) {
    ensure(real.delete(obj) === box.model.has(n), () => `IterableWeakSet.delete(obj#${n}) must return ${box.model.has(n)}`);
    box.model.delete(n);
  } else if (r < 0.91 && chance(0.3)) {
    real.clear();
    box.model.clear();
  } else {
    openIterator(s, box, real);
  }
}

/** An id handed out (live, forgotten or collected), or now and then one that never was. */
function pickId(box) {
  const k = int(box.issued.length + 1);
  return k < box.issued.length ? box.issued[k] : 1 + Math.max(0, ...box.issued.slice(-64)) + k;
}

function opIds(s) {
  const box = s.ids[0];
  const real = box.real;
  const r = random();
  if (r < 0.45) {
    const n = pickHeld();
    const id = real.remember(pool[n].obj);
    const known = box.idOf.get(n);
    if (known !== undefined) ensure(id === known, () => `IdRegistry.remember(obj#${n}) gave ${id}, expected ${known}`);
    else {
      ensure(Number.isSafeInteger(id) && id > 0 && !box.issuedSet.has(id), () => `IdRegistry.remember(obj#${n}) gave ${id}, not a new id`);
      box.issued.push(id);
      box.issuedSet.add(id);
      box.model.set(id, n);
      box.idOf.set(n, id);
    }
  } else if (r < 0.75) {
    const id = pickId(box);
    const n = box.model.get(id);
    const expected = n !== undefined ? target(n) : undefined;
    ensure(real.get(id) === expected, () => `IdRegistry.get(${id}) is ${show(real.get(id))}, expected ${show(expected)}`);
  } else if (r < 0.95) {
    const id = pickId(box);
    const n = box.model.get(id);
    const live = n !== undefined && alive(n);
    ensure(real.forget(id) === live, () => `IdRegistry.forget(${id}) must return ${live}`);
    if (live) {
      box.model.delete(id);
      box.idOf.delete(n);
    }
  } else {
    openIterator(s, box, real);
  }
}

// The callbacks handed to ref, proxy, finalize and WeakMethod are made by the functions below, each
// closing over its own `entry` and nothing else (see "Closures" in the file header): made inline in
// opRefs, they would all share opRefs' context, and with it `s`, the whole epoch.
function refCallback(entry) {
  return (given) => {
    entry.calls++;
    counts.refCallbacks++;
    ensure(given === entry.ref, "a ref callback must get its Ref");
    if (entry.epoch === counts.epochs && epochState !== undefined && entry.n % 2 === 0) {
      // Re-entrant: add the keeper to a set (a no-op after the first time).
      epochState.iwss[0].real.add(keeper);
      if (!epochState.iwss[0].model.has(KEEPER)) epochState.iwss[0].model.set(KEEPER, KEEPER);
    }
  };
}
function countingCallback(entry) {
  return () => {
    entry.calls++;
    counts.refCallbacks++;
  };
}
function finalizerCallback(entry) {
  return (a, b) => {
    entry.calls++;
    counts.finalized++;
    ensure(a === entry.n && b === "arg", "a finalizer must get its arguments");
  };
}
function readN() {
  return this.n;
}

function opRefs(s) {
  const r = random();
  const n = pickHeld();
  const obj = pool[n].obj;
  if (r < 0.3) {
    const entry = { n, epoch: counts.epochs, ref: undefined, calls: 0, withCallback: chance(0.5) };
    entry.ref = entry.withCallback ? lib.ref(obj, refCallback(entry)) : lib.ref(obj);
    if (!entry.withCallback) ensure(lib.ref(obj) === entry.ref, "ref(o) === ref(o) without a callback");
    s.refs.push(entry);
  } else if (r < 0.45) {
    const entry = { n, proxy: undefined, calls: 0 };
    entry.proxy = lib.proxy(obj, countingCallback(entry));
    ensure(lib.isProxy(entry.proxy), "isProxy(proxy(o))");
    s.proxies.push(entry);
  } else if (r < 0.6) {
    const entry = { n, calls: 0, finalizer: undefined, detached: false };
    entry.finalizer = lib.finalize(obj, finalizerCallback(entry), n, "arg");
    entry.finalizer.atexit = false;
    s.finalizers.push(entry);
  } else if (r < 0.7) {
    const entry = { n, method: undefined, calls: 0 };
    entry.method = new lib.WeakMethod(obj, readN, countingCallback(entry));
    s.methods.push(entry);
  } else {
    // Check a random few against the oracle: exact at any instant.
    for (let i = 0; i < 3; i++) {
      const kind = int(4);
      if (kind === 0 && s.refs.length > 0) {
        const e = s.refs[int(s.refs.length)];
        ensure(e.ref.deref() === target(e.n), () => `ref(obj#${e.n}).deref() disagrees with the oracle`);
      } else if (kind === 1 && s.proxies.length > 0) {
        const e = s.proxies[int(s.proxies.length)];
        const t = target(e.n);
        let got;
        try {
          got = e.proxy.n;
        } catch (error) {
          got = error instanceof ReferenceError ? "ReferenceError" : error;
        }
        ensure(t !== undefined ? got === e.n : got === "ReferenceError", () => `proxy(obj#${e.n}).n gave ${String(got)} with the referent ${t === undefined ? "dead" : "alive"}`);
      } else if (kind === 2 && s.methods.length > 0) {
        const e = s.methods[int(s.methods.length)];
        const bound = e.method.deref();
        const t = target(e.n);
        ensure(t === undefined ? bound === undefined : typeof bound === "function" && bound() === e.n, () => `WeakMethod(obj#${e.n}).deref() disagrees with the oracle`);
      } else if (kind === 3 && s.finalizers.length > 0) {
        const e = s.finalizers[int(s.finalizers.length)];
        if (!e.detached && e.calls === 0 && alive(e.n) && chance(0.2)) {
          const held = e.finalizer.detach();
          ensure(held !== undefined && held[0] === target(e.n), "detach() of a live finalizer returns its object");
          e.detached = true;
          ensure(!e.finalizer.alive, "a detached finalizer is not alive");
        }
      }
    }
  }
}

/**
 * Opens an iterator (paused: advanced by later operations and across collections), compared in
 * lockstep with an iterator over the model Map, which skips entries whose oracle is dead.
 */
function openIterator(s, box, real) {
  if (s.iterators.length >= 6) return;
  const it = box.kind === "IdRegistry" ? real[Symbol.iterator]() : box.kind === "IterableWeakSet" ? real.values() : real.entries();
  s.iterators.push({ box, real: it, model: box.model[Symbol.iterator](), done: false });
}

function opIterate(s) {
  if (s.iterators.length === 0) return;
  const i = int(s.iterators.length);
  const lock = s.iterators[i];
  if (chance(0.1)) {
    if (chance(0.5)) lock.real.return?.();
    s.iterators.splice(i, 1);
    return;
  }
  for (let step = 1 + int(4); step > 0; step--) {
    let expected;
    for (;;) {
      const m = lock.model.next();
      if (m.done) break;
      const [k, v] = m.value;
      const n = lock.box.kind === "IterableWeakMap" || lock.box.kind === "IterableWeakSet" ? k : v;
      if (!alive(n)) continue;
      expected = lock.box.kind === "WeakValueMap" ? [Object.is(k, -0) ? 0 : k, target(n)] : lock.box.kind === "IterableWeakMap" ? [target(n), v] : lock.box.kind === "IterableWeakSet" ? target(n) : [k, target(n)];
      break;
    }
    const actual = lock.real.next();
    counts.iteratorSteps++;
    if (expected === undefined) {
      ensure(actual.done, () => `${lock.box.kind} iterator yielded ${show(actual.value?.[0] ?? actual.value)} past the model's last live entry`);
      s.iterators.splice(i, 1);
      return;
    }
    const same = Array.isArray(expected) ? !actual.done && Object.is(actual.value[0], expected[0]) && actual.value[1] === expected[1] : !actual.done && actual.value === expected;
    if (!ensure(same, () => `${lock.box.kind} iterator yielded ${actual.done ? "done" : show(actual.value?.[0] ?? actual.value)}, expected ${show(expected?.[0] ?? expected)}`)) {
      s.iterators.splice(i, 1);
      return;
    }
  }
}

function operate(s) {
  const r = random();
  if (r < 0.3) opWvm(s);
  else if (r < 0.45) opIwm(s);
  else if (r < 0.57) opIws(s);
  else if (r < 0.67) opIds(s);
  else if (r < 0.77) opRefs(s);
  else if (r < 0.88) opIterate(s);
  else if (r < 0.93) drop();
  else if (r < 0.935) {
    // A burst: many sets, then most of them deleted (tables grow, then compact and shrink).
    const box = s.wvms[int(s.wvms.length)];
    if (box.model.size > 3000) return;
    const base = 10_000 + int(1000) * 100;
    for (let i = 0; i < 200; i++) {
      const old = box.model.get(base + i);
      if (old !== undefined && !alive(old)) continue;
      const n = pickHeld();
      box.real.set(base + i, pool[n].obj);
      box.model.set(base + i, n);
    }
    for (let i = 0; i < 200; i++) {
      if (i % 8 === 0) continue;
      const n = box.model.get(base + i);
      if (n === undefined) continue;
      const live = alive(n);
      ensure(box.real.delete(base + i) === live, "delete after a burst");
      if (live) box.model.delete(base + i);
    }
  } else if (r < 0.94) {
    // Drop a batch: a later collection reaps many entries at once.
    for (let i = 0; i < 30; i++) drop();
  } else opWvm(s);
  counts.ops++;
}

// ---------------------------------------------------------------------------------------------
// The exact check after a collection (every notice applied, every callback run).

function exactCheck(s) {
  for (const box of s.wvms) {
    for (const [key, n] of box.model) {
      if (alive(n)) continue;
      if (box.mode === "retain") box.model.delete(key);
      else fail(`${box.kind}(${box.mode}): ${show(key)}'s value was collected, but no onCollect came`);
    }
    box.optional.clear();
    checkEntries(box, [...box.real.entries()], [...box.model].map(([key, n]) => [Object.is(key, -0) ? 0 : key, target(n)]));
  }
  for (const box of s.iwms) {
    for (const [n, value] of box.model) {
      if (alive(n)) continue;
      if (box.mode === "none") {
        box.model.delete(n);
        box.byValue.delete(value);
      } else fail(`IterableWeakMap: obj#${n} was collected, but no onCollect came`);
    }
    checkEntries(box, [...box.real.entries()], [...box.model].map(([n, value]) => [target(n), value]));
  }
  for (const box of s.iwss) {
    for (const n of box.model.keys()) if (!alive(n)) box.model.delete(n);
    checkEntries(box, [...box.real], [...box.model.keys()].map((n) => target(n)));
  }
  for (const box of s.ids) {
    for (const [id, n] of box.model) {
      if (alive(n)) continue;
      box.model.delete(id);
      box.idOf.delete(n);
    }
    checkEntries(box, [...box.real], [...box.model].map(([id, n]) => [id, target(n)]));
  }
  // Single references: a dead referent's callback ran exactly once; a live one's never.
  s.refs = s.refs.filter((e) => {
    const dead = !alive(e.n);
    ensure(e.ref.deref() === target(e.n), () => `ref(obj#${e.n}).deref() disagrees with the oracle after collect()`);
    if (e.withCallback) ensure(e.calls === (dead ? 1 : 0), () => `ref(obj#${e.n}) callback ran ${e.calls} times, referent ${dead ? "dead" : "alive"}`);
    return !dead;
  });
  s.proxies = s.proxies.filter((e) => {
    const dead = !alive(e.n);
    ensure(e.calls === (dead ? 1 : 0), () => `proxy(obj#${e.n}) callback ran ${e.calls} times, referent ${dead ? "dead" : "alive"}`);
    if (dead) {
      let threw = false;
      try {
        void e.proxy.n;
      } catch (error) {
        threw = error instanceof ReferenceError;
      }
      ensure(threw, () => `a dead proxy (obj#${e.n}) must throw ReferenceError`);
    }
    return !dead;
  });
  s.finalizers = s.finalizers.filter((e) => {
    const dead = !alive(e.n);
    const expected = dead && !e.detached ? 1 : 0;
    ensure(e.calls === expected, () => `finalize(obj#${e.n}) ran ${e.calls} times (dead ${dead}, detached ${e.detached})`);
    if (dead) ensure(!e.finalizer.alive, () => `finalize(obj#${e.n}) still alive after its object was collected`);
    return !dead && !e.detached;
  });
  s.methods = s.methods.filter((e) => {
    const dead = !alive(e.n);
    ensure(e.calls === (dead ? 1 : 0), () => `WeakMethod(obj#${e.n}) callback ran ${e.calls} times, referent ${dead ? "dead" : "alive"}`);
    if (dead) ensure(e.method.deref() === undefined, "a dead WeakMethod derefs to undefined");
    return !dead;
  });
}

/**
 * In the middle of a round: size lies between the live entries and every entry the model has not
 * seen reaped (the notices of dead ones may not have come yet).
 */
function lenientCheck(s) {
  for (const box of [...s.wvms, ...s.iwms, ...s.iwss, ...s.ids]) {
    let live = 0;
    for (const [k, v] of box.model) if (alive(box.kind === "IterableWeakMap" || box.kind === "IterableWeakSet" ? k : v)) live++;
    const size = box.real.size;
    ensure(size >= live && size <= box.model.size, () => `${box.kind}${box.mode ? `(${box.mode})` : ""}: size ${size} mid-round, expected ${live} to ${box.model.size}`);
  }
}

function checkEntries(box, actual, expected) {
  const label = `${box.kind}${box.mode ? `(${box.mode})` : ""}`;
  ensure(box.real.size === expected.length, () => `${label}: size ${box.real.size} after collect(), expected ${expected.length}`);
  ensure(box.real.stats().pending === 0, () => `${label}: stats().pending ${box.real.stats().pending} after collect()`);
  const same =
    actual.length === expected.length &&
    actual.every((a, i) => (Array.isArray(a) ? Object.is(a[0], expected[i][0]) && a[1] === expected[i][1] : a === expected[i]));
  if (!same) {
    const at = actual.findIndex((a, i) => !(Array.isArray(a) ? Object.is(a[0], expected[i]?.[0]) && a[1] === expected[i]?.[1] : a === expected[i]));
    fail(`${label}: contents differ from the model at position ${at} (${actual.length} entries, expected ${expected.length})`);
  }
}

// ---------------------------------------------------------------------------------------------
// The run: epochs of rounds; each epoch makes fresh containers and ends by dropping everything.

const MiB = 2 ** 20;
let stalled = false;
const start = Date.now();
const deadline = start + minutes * 60_000;
let round = 0;
let passed = 0;
let failedRounds = 0;
const memory = [];

async function settle() {
  if (!stalled) {
    await collect();
    await collect();
  }
  return process.memoryUsage().heapUsed;
}

const baselineHeap = await settle();
let firstEpochHeap;
let firstEpochWasm;

function beginEpoch() {
  pool = [];
  held = [];
  keeper = { keeper: true };
  pool.push({ obj: keeper, oracle: new WeakRef(keeper) });
  KEEPER = 0;
  epochState = newEpoch();
  counts.epochs++;
}

/**
 * What the library was handed besides the pool's objects, and the soak's own state of the epoch:
 * each must be collected once the epoch is dropped, as the pool's objects must.
 */
function epochOwned(s) {
  const owned = [{ what: "the soak's epoch state", wr: new WeakRef(s) }];
  for (const box of [...s.wvms, ...s.iwms, ...s.iwss, ...s.ids]) owned.push({ what: `a ${box.kind}${box.mode ? `(${box.mode})` : ""}`, wr: new WeakRef(box.real) });
  for (const e of s.refs) owned.push({ what: "a Ref", wr: new WeakRef(e.ref) });
  for (const e of s.proxies) owned.push({ what: "a weak proxy", wr: new WeakRef(e.proxy) });
  for (const e of s.finalizers) owned.push({ what: "a Finalizer", wr: new WeakRef(e.finalizer) });
  for (const e of s.methods) owned.push({ what: "a WeakMethod", wr: new WeakRef(e.method) });
  for (const lock of s.iterators) owned.push({ what: `an iterator of a ${lock.box.kind}`, wr: new WeakRef(lock.real) });
  return owned;
}

/**
 * Drops everything the epoch made; every object of the pool, every container, reference and
 * iterator, and the soak's own epoch state must then be collected (nothing leaked).
 */
async function endEpoch() {
  const oracles = pool.map((p) => p.oracle);
  const owned = epochOwned(epochState);
  epochState = undefined;
  pool = [];
  held = [];
  keeper = undefined;
  if (stalled) return;
  const survivors = () => oracles.filter((o) => o.deref() !== undefined).length;
  const ownedAlive = () => owned.filter((o) => o.wr.deref() !== undefined);
  try {
    await collect(() => survivors() === 0 && ownedAlive().length === 0, { timeoutMs: 20_000 });
  } catch {
    const left = survivors();
    const alive = [...new Set(ownedAlive().map((o) => o.what))];
    fail(
      `${left} of ${oracles.length} objects of the epoch are still alive after everything referring to them was dropped` +
        `${alive.length > 0 ? `; also alive: ${alive.join(", ")}` : ""}` +
        (argv["heap-snapshot"] ? `; heap snapshot: ${await snapshotSurvivors(oracles)}` : " (--heap-snapshot writes a heap snapshot to find their retainers)"),
    );
  }
}

/** The survivors get a property holding a SoakSurvivor (search for it in the snapshot's summary). */
class SoakSurvivor {
  constructor(n) {
    this.n = n;
  }
}
async function snapshotSurvivors(oracles) {
  markSurvivors(oracles);
  await new Promise((resolve) => setImmediate(resolve)); // the deref()s above keep nothing alive now
  const { writeHeapSnapshot } = await import("node:v8");
  return writeHeapSnapshot();
}
function markSurvivors(oracles) {
  oracles.forEach((o, n) => {
    const survivor = o.deref();
    if (survivor !== undefined) survivor.soakSurvivor = new SoakSurvivor(n);
  });
}

const stop = () => stalled || round >= maxRounds || (maxRounds === Infinity && Date.now() >= deadline);
while (!stop()) {
  beginEpoch();
  for (let r = 0; r < roundsPerEpoch && !stop(); r++) {
    round++;
    roundFailed = false;
    for (let i = 0; i < opsPerRound; i++) {
      operate(epochState);
      if (i % 500 === 499) {
        // Now and then a collection in the middle of the job (its notices come in a later task,
        // renewals meanwhile find dead entries), and now and then the end of the job (notices
        // and callbacks arrive in the middle of the round, iterators stay paused across).
        if (chance(0.3) && argv["mid-gc"]) {
          globalThis.gc();
          counts.midRoundGcs++;
        }
        if (chance(0.5)) await new Promise((resolve) => setImmediate(resolve));
        lenientCheck(epochState);
      }
    }
    try {
      await collect(undefined, { timeoutMs: 20_000 });
    } catch (error) {
      fail(`${error.message}: the engine's FinalizationRegistry cleanup has stopped (see --mid-gc in the header); giving up`);
      failedRounds++;
      stalled = true;
      break;
    }
    counts.collections++;
    exactCheck(epochState);
    if (roundFailed) failedRounds++;
    else passed++;
  }
  await endEpoch();
  const heap = await settle();
  const wasm = memoryBytes();
  memory.push({ heap, wasm });
  firstEpochHeap ??= heap;
  firstEpochWasm ??= wasm;
  if (!argv.quiet) {
    console.log(
      `epoch ${counts.epochs}: round ${round}, ${counts.ops} operations, heap ${(heap / MiB).toFixed(1)} MiB, ` +
        `WebAssembly memory ${(wasm / MiB).toFixed(1)} MiB, ${((Date.now() - start) / 60_000).toFixed(2)} min`,
    );
  }
}

// The end: heap near where it was after the first epoch (and the start), WebAssembly memory not
// grown since the first epoch beyond one doubling (a leak of every table would grow it each epoch).
const endHeap = await settle();
const endWasm = memoryBytes();
const heapOk = endHeap <= Math.max(firstEpochHeap, baselineHeap) + 8 * MiB;
const wasmOk = endWasm <= 2 * firstEpochWasm;
if (!heapOk) fail(`heap ${(endHeap / MiB).toFixed(1)} MiB at the end, ${(firstEpochHeap / MiB).toFixed(1)} MiB after the first epoch`);
if (!wasmOk) fail(`WebAssembly memory ${(endWasm / MiB).toFixed(1)} MiB at the end, ${(firstEpochWasm / MiB).toFixed(1)} MiB after the first epoch`);
if (!heapOk || !wasmOk) failedRounds++;

const c = bridge.counters;
const elapsed = (Date.now() - start) / 60_000;
console.log("");
console.log(`seed ${seed} (replay: npm run test:soak -- --seed ${seed} --rounds ${round})`);
console.log(`operations ${counts.ops}, collections ${counts.collections} (and ${counts.midRoundGcs} gc() in the middle of a round), rounds ${round}, epochs ${counts.epochs}, failures ${failures}, minutes ${elapsed.toFixed(2)}`);
console.log(
  `onCollect ${counts.onCollect}, ref/proxy/WeakMethod callbacks ${counts.refCallbacks}, finalizers run ${counts.finalized}, iterator steps ${counts.iteratorSteps}`,
);
console.log(
  `renewals ${c.renewals} (reaped in renewal ${c.reapedInRenewal}), compactions ${c.compactions}, shrinks ${c.shrinks}, relocations ${c.relocations} (${c.relocatedEntries} entries renamed, ${c.reapedInRelocation} reaped), cache pauses ${c.cachePauses}, notice batches ${c.batches} (${c.trustedBatches} applied without reading their WeakRefs)`,
);
console.log(
  `heap: ${(baselineHeap / MiB).toFixed(1)} MiB at the start, ${(firstEpochHeap / MiB).toFixed(1)} after the first epoch, ${(endHeap / MiB).toFixed(1)} at the end; ` +
    `WebAssembly memory: ${(firstEpochWasm / MiB).toFixed(1)} MiB after the first epoch, ${(endWasm / MiB).toFixed(1)} at the end`,
);
const unreached = ["renewals", "compactions", "shrinks", "cachePauses"].filter((name) => c[name] === 0);
if (unreached.length > 0) {
  fail(`never reached: ${unreached.join(", ")}`);
  failedRounds++;
}
console.log(`${passed} passed, ${failedRounds} failed`);
process.exitCode = failedRounds > 0 || failures > 0 ? 1 : 0;
