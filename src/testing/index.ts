// weaktable/testing: deterministic garbage collection for tests.

import { drainPending, watch } from "../core/gc-bridge.js";

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
 * How it knows the notices arrived: every weak reference in weaktable shares one
 * FinalizationRegistry, and the engine delivers all notices of one collection to a registry in one
 * cleanup job. Each round registers a fresh sentinel object there; once the sentinel's notice has
 * arrived, so have all the others from that collection, and the library's batch (a microtask queued
 * in that job) has run before the next macrotask.
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
  let delivered = false;
  registerSentinel(() => (delivered = true));
  gc();
  while (!delivered || drainPending()) {
    await nextMacrotask();
    if (Date.now() > deadline) {
      throw new Error(`weaktable/testing: collect(): the collector's notices did not arrive within ${timeoutMs} ms`);
    }
    if (!delivered) gc();
  }
  await nextMacrotask();
}

/** In its own function so that no frame of `collect` keeps the sentinel reachable. */
function registerSentinel(onCollected: () => void): void {
  watch({}, { collected: onCollected });
}

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => {
    const g = globalThis as { setImmediate?: (fn: () => void) => void };
    if (typeof g.setImmediate === "function") g.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
