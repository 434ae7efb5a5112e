// weaktable/testing: deterministic garbage collection for tests.

import { drainPending, makeRegistry } from "../core/gc-bridge.js";

export interface CollectOptions {
  /** Give up (reject) after this many milliseconds. Default 10 000. */
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
 * How it knows the notices arrived: the engine queues every FinalizationRegistry with notices
 * first in, first out, and runs one cleanup job per registry in that order. Each round collects
 * once, then registers a sentinel object in a fresh registry and collects again: the sentinel's
 * registry joins the queue behind every registry that the first collection gave notices to, so
 * once the sentinel's notice arrives, all of those have been delivered, and the library's batches
 * (microtasks queued in those jobs) have run.
 *
 * Rejects with an Error when `globalThis.gc` is missing (run Node with `--expose-gc`, or Chromium
 * with `--js-flags=--expose-gc`) and when `until` is still false after `timeoutMs`.
 *
 * @example
 *   const cache = new WeakValueMap<string, object>();
 *   cache.set("a", {});             // nothing else refers to the value
 *   await collect(() => cache.size === 0);
 */
export async function collect(until?: () => boolean, options: CollectOptions = {}): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== "function") {
    throw new Error(
      "weaktable/testing: collect() needs a global gc() function: run Node with --expose-gc " +
        "(for Vitest: pool 'forks' with execArgv ['--expose-gc']), or Chromium with --js-flags=--expose-gc",
    );
  }
  if (until !== undefined && typeof until !== "function") {
    throw new TypeError(`weaktable/testing: collect(until): until must be a function or undefined`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let rounds = 0;
  for (;;) {
    rounds++;
    await nextMacrotask(); // ends the caller's job: objects it dereferenced are released
    await oneRound(gc, timeoutMs);
    if (until === undefined || until()) return;
    if (Date.now() > deadline) {
      throw new Error(`weaktable/testing: collect(): until() was still false after ${timeoutMs} ms (${rounds} rounds)`);
    }
  }
}

/** One full collection, then waits until its notices and the library's batch have run. */
async function oneRound(gc: () => void, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  gc(); // finds everything unreachable now; registries with notices join the engine's queue
  let delivered = false;
  registerSentinel(() => (delivered = true));
  gc(); // the sentinel's registry joins the queue behind them
  while (!delivered || drainPending()) {
    await nextMacrotask();
    if (Date.now() > deadline) {
      throw new Error(`weaktable/testing: collect(): the collector's notices did not arrive within ${timeoutMs} ms`);
    }
    if (!delivered) gc();
  }
  await nextMacrotask();
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
