// GcBridge: the one place that talks to the garbage collector.
//
// Vocabulary used across src/ (defined once, here):
//   live       the referent of a weak reference is still reachable.
//   dead       the collector reclaimed it and its notice was delivered, but the entry is still in
//              its container (not yet reaped).
//   reaped     the entry was removed in response to the notice.
//   slot       the stable name of one entry inside one container's table.
//   generation a number stamped on a slot each time it gets a new referent; a notice carries the
//              generation it was made for, so a late notice for a slot that was since deleted,
//              overwritten or reused is recognised as stale and ignored.
//   token      the unregister token of a registration (the entry's own weak reference).
//   tombstone  a removed entry's place in an order log (a HOLE) until compaction squeezes it out.
//   wr         a variable holding a WeakRef; `held` holds the held value of a registration.
//
// Design. This module is the only one that makes FinalizationRegistry objects:
//   - one per container store (`makeRegistry`), made on its first insert. Its held values are
//     small integers (slot and generation, see slot-store.ts), so a registration costs no
//     allocation beyond the engine's own cell, and a dropped container takes its registry and every
//     registration with it;
//   - one for the realm (`watch`), for everything else: ref groups, finalizers, and releasing the
//     WebAssembly memory of dropped tables. Its held values know what to do (`Holdings.collected`).
// The engine delivers the notices of one registry in one cleanup job, and queues dirty registries
// first in, first out; `collect()` in weaktable/testing relies on that order (see there).
//
// Notices are never applied one at a time. A store's callback only queues; the first notice of a
// batch schedules one microtask, which runs right after the engine's cleanup job has delivered the
// whole batch, and applies each dirty store's notices in one pass (one reap call and at most one
// compaction per store). User callbacks (onCollect, ref callbacks, finalizers) are queued while the
// structures change and run only after every store is consistent again, each in its own try/catch.
// `flush()` on a container applies its notices synchronously through the same path.

/** The held value of a registration: told once, from the cleanup job, that its target died. */
export interface Holdings {
  /** Must not call user code and must not throw: queue work and call `markDirty`/`defer`. */
  collected(): void;
}

/** Something with queued notices to apply (a slot store). */
export interface Dirty {
  /** Applies queued notices; pushes user callbacks onto `callbacks` instead of calling them. */
  applyNotices(callbacks: Array<() => void>): void;
}

const registry = new FinalizationRegistry<Holdings>((held) => held.collected());

/** A registry of a store's own; `onNotice` only queues (it runs in the engine's cleanup job). */
export function makeRegistry(onNotice: (held: number) => void): FinalizationRegistry<number> {
  return new FinalizationRegistry<number>(onNotice);
}

/**
 * Registers `target` in the realm's registry; `held.collected()` runs once after it is collected.
 * Nothing here is ever unregistered: a ref group registers once per referent and simply finds
 * nothing to do when its refs, proxies and finalizers are gone or detached, and a table release
 * is wanted whenever its table dies.
 */
export function watch(target: WeakKey, held: Holdings): void {
  registry.register(target, held);
}

const dirtyQueue: Dirty[] = [];
const callbackQueue: Array<() => void> = [];
let drainScheduled = false;

/** Called by a store on its first queued notice of a batch. */
export function markDirty(store: Dirty): void {
  dirtyQueue.push(store);
  scheduleDrain();
}

/** Queues a user callback to run at the end of the current drain (after every store is consistent). */
export function defer(callback: () => void): void {
  callbackQueue.push(callback);
  scheduleDrain();
}

function scheduleDrain(): void {
  if (drainScheduled) return;
  drainScheduled = true;
  queueMicrotask(drain);
}

function drain(): void {
  drainScheduled = false;
  // A store may be queued again by a callback below; that starts a new drain.
  while (dirtyQueue.length > 0) {
    const batch = dirtyQueue.splice(0);
    for (const store of batch) {
      try {
        store.applyNotices(callbackQueue);
      } catch (error) {
        // A bug, never the user's: report it and keep the other stores going.
        console.error("weaktable: internal error while applying collection notices", error);
      }
    }
  }
  runCallbacks(callbackQueue.splice(0));
}

/** Runs user callbacks in order; one that throws is reported and does not stop the rest. */
export function runCallbacks(callbacks: ReadonlyArray<() => void>): void {
  for (const callback of callbacks) {
    try {
      callback(); // calls user code
    } catch (error) {
      console.error("weaktable: a callback threw", error);
    }
  }
}

/** Work scheduled but not yet done: `collect()` waits until this is false. */
export function drainPending(): boolean {
  return drainScheduled || dirtyQueue.length > 0 || callbackQueue.length > 0;
}
