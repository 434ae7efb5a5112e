// weaktable/testing: deterministic garbage collection for tests, on every engine.
//
// Each engine has its own way to force a collection, and some have none that a page can reach.
// `findCollector()` picks the first that exists (see `collect()` for the list) or explains, naming
// the engine, what to do to get one.

import { drainPending, makeRegistry } from "../core/collector.js";

export interface CollectOptions {
  /**
   * Give up (reject) after this many milliseconds, counted from the call: a non-negative number
   * (`Infinity`: never give up). Default 10 000.
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Collects garbage and waits until every consequence has been applied: runs at least one round of
 * "end the current job, force a full collection, wait until the collector's notices and this
 * library's cleanup have run", and repeats rounds until `until()` returns true.
 *
 * Ending the job first matters: an object read through a weak reference (`deref()`, `map.get`)
 * stays alive until the job that read it ends, and that includes a `deref()` inside `until`.
 *
 * How it forces a collection, engine by engine (the first that exists wins):
 * - a global `gc()`: Node (`--expose-gc`), Deno (`--v8-flags=--expose-gc`), Chromium
 *   (`--js-flags=--expose-gc`);
 * - Bun: `Bun.gc(true)`, always there;
 * - Firefox: `TestUtils.gc()`, there when the preference `dom.testing.testutils.enabled` is true;
 * - WebKit (Safari, WebKitGTK), which gives a page no way: allocation pressure, a few megabytes of
 *   short-lived garbage per step, until the round's sentinel is collected or the deadline passes.
 *   JavaScriptCore's young-generation collections can reclaim the sentinel before old garbage, so
 *   a round may end with old garbage still uncollected: pass `until`, or start the browser with the
 *   environment variable `JSC_useGenerationalGC=0` so that every collection is a full one.
 *
 * How it knows the notices arrived: each round collects once, then registers a sentinel object in a
 * fresh FinalizationRegistry and collects again. Engines call the registries back in no fixed
 * order (V8 newest first, SpiderMonkey and JavaScriptCore otherwise), but each delivers the notices
 * one collection found together, in a row of cleanup tasks: once the sentinel's notice has arrived
 * and a further task has run, the notices of the first collection have been delivered too (checked
 * on V8, SpiderMonkey and JavaScriptCore by `npm run test:engines`, with 60 containers). The round
 * then waits until this library's batches (microtasks queued by those notices) are done.
 *
 * Rejects with an Error that names the engine and what to do when the engine offers no way to
 * collect (Node: run with `--expose-gc`); with a TypeError or RangeError for a bad `until` or
 * `timeoutMs`; and with an Error when `timeoutMs` passes first, saying what it was still waiting
 * for (`until()` still false, or the collector's notices).
 *
 * @example
 *   const cache = new WeakValueMap<string, object>();
 *   cache.set("a", {});             // nothing else refers to the value
 *   await collect(() => cache.size === 0);
 */
export async function collect(until?: () => boolean, options?: CollectOptions): Promise<void> {
  if (until !== undefined && typeof until !== "function") {
    throw new TypeError(`weaktable/testing: collect(until): until must be a function or undefined, not ${typeof until}`);
  }
  const timeoutMs = checkTimeout(options);
  const collector = findCollector();
  const deadline = performance.now() + timeoutMs;
  let rounds = 0;
  /** Thrown when the deadline passes: says what was still awaited. */
  const timedOut = (waitingFor: string | undefined): Error => {
    const base = `weaktable/testing: collect() on ${collector.engine}`;
    if (until !== undefined && !until()) {
      const also = waitingFor === undefined ? "" : `; round ${rounds} was still waiting for ${waitingFor}`;
      return new Error(`${base}: until() was still false after ${timeoutMs} ms (${rounds} rounds${also})`);
    }
    return new Error(`${base}: still waiting for ${waitingFor ?? "the collector"} after ${timeoutMs} ms (round ${rounds}, collecting with ${collector.how})`);
  };
  for (;;) {
    rounds++;
    await nextMacrotask(); // ends the caller's job: objects it dereferenced are released
    await oneRound(collector, deadline, timedOut);
    if (until === undefined || until()) return;
    if (performance.now() > deadline) throw timedOut(undefined);
  }
}

/** The validated timeout: a non-negative number of milliseconds (Infinity allowed). */
function checkTimeout(options: CollectOptions | undefined): number {
  if (options === undefined) return DEFAULT_TIMEOUT_MS;
  if (options === null || typeof options !== "object") {
    throw new TypeError(`weaktable/testing: collect(until, options): options must be an object or undefined, not ${options === null ? "null" : typeof options}`);
  }
  const timeoutMs = options.timeoutMs;
  if (timeoutMs === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number") {
    throw new TypeError(`weaktable/testing: collect(): timeoutMs must be a number of milliseconds, not ${typeof timeoutMs}`);
  }
  if (Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`weaktable/testing: collect(): timeoutMs must be a non-negative number of milliseconds (Infinity: no limit), not ${timeoutMs}`);
  }
  return timeoutMs;
}

/** One engine's way to force a collection. */
interface Collector {
  /** The engine, for messages: "Node.js v20.20.2", "Bun 1.4.5", "Firefox 153.0", ... */
  engine: string;
  /** How it collects, for messages. */
  how: string;
  /** Forces one collection (or, for allocation pressure, one step of it). */
  run(): void | Promise<unknown>;
}

interface EngineGlobals {
  gc?: unknown;
  Bun?: { gc?: (force: boolean) => void; version?: string };
  Deno?: { version?: { deno?: string; v8?: string } };
  process?: { versions?: { node?: string }; version?: string };
  navigator?: { userAgent?: string };
  TestUtils?: { gc?: () => Promise<unknown> };
}

/** The first way this engine offers to force a collection, or an Error saying how to get one. */
function findCollector(): Collector {
  const g = globalThis as EngineGlobals;
  const engine = engineName(g);
  const gc = g.gc;
  if (typeof gc === "function") return { engine, how: "gc()", run: () => void (gc as () => void)() };
  const bun = g.Bun;
  if (bun !== undefined && typeof bun.gc === "function") return { engine, how: "Bun.gc(true)", run: () => bun.gc!(true) };
  const testUtils = g.TestUtils;
  if (testUtils !== undefined && typeof testUtils.gc === "function") {
    return { engine, how: "TestUtils.gc()", run: () => testUtils.gc!() };
  }
  if (engine.startsWith("WebKit")) return { engine, how: "allocation pressure", run: allocationPressure };
  throw new Error(`weaktable/testing: collect() needs a way to force garbage collection, and ${engine} offers none here: ${whatToDo(engine)}`);
}

/** Says which engine this is, with its version where it tells. */
function engineName(g: EngineGlobals): string {
  if (g.Deno?.version?.deno !== undefined) return `Deno ${g.Deno.version.deno} (V8 ${g.Deno.version.v8 ?? "?"})`;
  if (g.Bun !== undefined) return `Bun ${g.Bun.version ?? "?"} (JavaScriptCore)`;
  if (g.process?.versions?.node !== undefined) return `Node.js ${g.process.version ?? g.process.versions.node}`;
  const ua = g.navigator?.userAgent ?? "";
  let match: RegExpExecArray | null;
  if ((match = /Firefox\/([\d.]+)/.exec(ua)) !== null) return `Firefox ${match[1]} (SpiderMonkey)`;
  if ((match = /(?:Chrome|Chromium)\/([\d.]+)/.exec(ua)) !== null) return `Chromium ${match[1]} (V8)`;
  if ((match = /AppleWebKit\/([\d.]+)/.exec(ua)) !== null) return `WebKit ${match[1]} (JavaScriptCore)`;
  return "this engine";
}

function whatToDo(engine: string): string {
  if (engine.startsWith("Node.js")) {
    return "run Node with --expose-gc (for Vitest: pool 'forks' with execArgv ['--expose-gc'])";
  }
  if (engine.startsWith("Deno")) return "run Deno with --v8-flags=--expose-gc (deno run --v8-flags=--expose-gc ...)";
  if (engine.startsWith("Bun")) return "Bun.gc is missing: use a Bun release that has Bun.gc(force)";
  if (engine.startsWith("Chromium")) return "start Chromium with --js-flags=--expose-gc";
  if (engine.startsWith("Firefox")) {
    return "set the preference dom.testing.testutils.enabled to true (about:config, a profile's user.js, or the driver's preferences), which exposes TestUtils.gc()";
  }
  return "expose a global gc() function (V8: --expose-gc), Bun.gc, or TestUtils.gc()";
}

/** Keeps the garbage reachable until the next step, so each step's allocation adds up. */
let pressureSink: unknown;
/** Steps taken in this round: each allocates twice as much as the last, up to 64 times the first. */
let pressureSteps = 0;

/**
 * One step of allocation pressure (the first about 4 MB of short-lived arrays, then doubling, since
 * an engine waits longer between collections as its heap grows): the engine collects when it
 * decides to. Bounded: collect() calls it once per task until its sentinel arrives or the deadline.
 */
function allocationPressure(): void {
  const count = 100_000 * 2 ** Math.min(pressureSteps++, 6);
  let chunk: unknown[] = [];
  for (let i = 0; i < count; i++) chunk = [i, chunk.length];
  pressureSink = chunk;
}

/** One full collection, then waits until its notices and the library's batch have run. */
async function oneRound(collector: Collector, deadline: number, timedOut: (waitingFor: string) => Error): Promise<void> {
  pressureSteps = 0;
  await collector.run(); // finds everything unreachable now; registries with notices are queued
  let delivered = false;
  registerSentinel(() => (delivered = true));
  await collector.run(); // the sentinel's registry is queued with them, or behind them
  for (;;) {
    await nextMacrotask();
    if (delivered && !drainPending()) break;
    // Checked only while still waiting, so the message names what did not happen in time.
    if (performance.now() > deadline) {
      throw timedOut(delivered ? "this library's cleanup of the notices" : `the collector's notices (${collector.how})`);
    }
    if (!delivered) await collector.run();
  }
  await nextMacrotask(); // a further task: notices delivered in the sentinel's task have run too
  while (drainPending()) {
    if (performance.now() > deadline) throw timedOut("this library's cleanup of the notices");
    await nextMacrotask();
  }
  pressureSink = undefined;
}

/** A fresh registry each round, in its own function so that nothing keeps the sentinel reachable. */
function registerSentinel(onCollected: () => void): void {
  const registry = makeRegistry(() => {
    sentinels.delete(registry);
    onCollected();
  });
  sentinels.add(registry);
  registry.register({}, 0);
}

/** Keeps the sentinel registries alive until they report (a collected registry never calls back). */
const sentinels = new Set<FinalizationRegistry<number>>();

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (fn: () => void) => void };
    if (typeof g.setImmediate === "function") g.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
