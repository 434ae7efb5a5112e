// The collector: the one module that talks to the garbage collector and to the engine's job queue.
//
// Vocabulary used across src/ (defined once, here):
//   live       the referent of a weak reference is still reachable.
//   dead       the collector reclaimed it, but the entry is still in its container (not yet reaped).
//   reaped     the entry was removed in response to the collection.
//   notice     what a FinalizationRegistry delivers for a dead referent: its held value.
//   held       the held value of a registration; for a store, `gen << SLOT_BITS | slot`.
//   stale      a registration whose entry was since deleted or overwritten: its notice, if it ever
//              comes, names a generation the slot no longer carries.
//   slot       the stable name of one entry inside one container's table.
//   generation a number stamped on a slot each time it gets a new referent, so that a notice made
//              for an older referent of the slot is recognised and ignored.
//   tombstone  a removed entry's place in an order log (a HOLE) until compaction squeezes it out.
//   wr         a variable holding a WeakRef.
//
// What lives here:
//   - `Collector`, one per slot store (made on its first insert): the store's FinalizationRegistry,
//     the encoding of held values, the count of stale registrations and the registry's renewal,
//     and the queue of notices received and not yet applied.
//   - the realm's registry (`watch`), for everything that is not a store's entry: ref groups,
//     finalizers, and giving back the WebAssembly memory of dropped tables.
//   - the drain: one microtask that applies every dirty collector's notices in one batch, then
//     runs the user callbacks that produced, each in its own try/catch.
//   - `atEndOfJob`, the microtask that the stores' per-job deref caches are cleared by.
//
// The path of a notice, one way through the modules:
//   engine cleanup job -> Collector's registry callback (queues `held`, marks the collector dirty)
//   -> drain microtask -> Collector.apply (decodes slots and generations)
//   -> Reaper.reap, the store (keeps only slots whose WeakRef is dead)
//   -> table.reap (keeps only slots that still carry that generation, removes them)
//   -> the store forgets their keys and queues onCollect -> the table compacts if sparse
//   -> the drain runs the queued user callbacks.
//
// Why batches: the engine delivers all of one registry's notices from one collection in a single
// cleanup job, so the first notice queues the drain, which runs right after that job with the whole
// batch in hand: one reap call and at most one compaction per store, instead of one per entry.
//
// Why no unregister tokens: measured on Node 20, a token costs ~34 bytes per entry and makes
// `register` 2.5x slower (the engine keeps a hash table of tokens). So delete and overwrite leave
// their registration behind, stale. To keep stale registrations from piling up (a value set and
// deleted every frame would add one per frame), the collector counts them, and when they outnumber
// the live entries (and `tuning.staleMin`) it renews: a fresh registry gets every live entry
// registered again, entries found dead on the way are reaped on the spot, and the old registry is
// dropped with every stale registration in it. O(n) once per n stale registrations: amortized O(1).
//
// Never drop a registry that may have notices queued. V8 (Node 20, 22 and 24 alike) keeps a list
// of *dirty* registries, those a collection gave notices to, and posts one cleanup task for them.
// If a dirty registry becomes unreachable and a second collection frees it before that task ran,
// the task finds nothing, and V8 never posts another: no FinalizationRegistry of the process calls
// back again (reproduced without weaktable: register, gc(), drop the registry, gc() in one job).
// A renewal and `clear()` let go of a registry, possibly right after a collection made it dirty.
// So they let go through `retire`: the registry stays reachable from a module-level set until a
// marker registered in it at retirement is delivered, which proves the engine ran a cleanup for it
// after the last collection that could have made it dirty. The price: V8 runs one registry's
// cleanup per task, one task per turn of the event loop, so a burst of N renewals or clears delays
// every other registry's notices by up to N turns (5 000 clears in one job: 5 000 turns, 13.6 s
// with a gc() every tenth turn, see the closing note of issue 9).
// A dropped container's registry is not retired: it is collected with the container, and so is its
// table, whose release is a notice of the realm's registry (wasm-table.ts), which makes the realm's
// registry dirty in that same collection, so the engine's cleanup task finds work and the chain
// goes on (test/collector/dropped-container.test.ts). Retiring it too would need a watch on every
// container and would queue one more cleanup task per dropped container.
//
// Exactness: a notice is applied only if its slot's WeakRef is dead *and* the slot still carries
// the notice's generation. The generation is only 6 bits wide (a held value must stay a Smi), so it
// is the WeakRef check that makes this exact: a notice can only ever remove an entry whose referent
// really was collected; the generation keeps a late notice from removing a newer dead referent
// twice (its own notice will do that) or from reporting the wrong entry to onCollect.
// The WeakRef check is needed only where a notice can be late, and a late notice needs a
// registration whose entry went away without it: deleted, overwritten, renamed by a relocation
// (all counted as stale) or reaped by a relocation's walk before its notice came (counted with
// them, `orphaned`). Renewal and clear() leave the registry behind, and its notices with it. So
// while the current registry has no stale registration, each of its registrations still belongs
// to the entry it was made for, at the same slot and generation, and a notice means that entry's
// referent is dead: `apply` tells the store so, and the store skips the check (a cache miss on the
// WeakRef per notice). Stale counts only grow until the registry is replaced, so a batch is
// trusted only if no registration of its registry was ever made stale.

/** Bits of a held value that name the slot: every slot of a table fits (MAX_CAPACITY = 2^25). */
export const SLOT_BITS = 25;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** Generations wrap at 2^6, so a held value stays below 2^31, a Smi on every V8 build. */
export const GEN_MASK = 63;

/**
 * Thresholds, read where they are used, so that tests can make them small and cross them often
 * (`tuneForTesting`). The defaults are what the library ships with.
 */
export const tuning = {
  /** Stale registrations tolerated however small the store, so small stores do not renew often. */
  staleMin: 1024,
  /** Cached lookups in one job before a store's job cache judges whether it pays. */
  cacheSample: 256,
  /** Inserts one WeakMap shard of a weak-key index takes before the next one (sharded-weak-map.ts). */
  shardEntries: 1 << 20,
  /** Ids an IdRegistry slot hands out before it is retired (id-store.ts: ID_SPAN - 1). */
  idGenerations: 2 ** 28 - 1,
  /** Id records an IdRegistry keeps past its table's capacity before dropping them in bulk. */
  idRecordsKept: 1024,
};

/**
 * How often each rare path ran in this realm, for tests that must prove they reached it. Plain
 * counters, incremented only on rare paths (never per lookup).
 */
export const counters = {
  /** Registries replaced because stale registrations outnumbered the entries. */
  renewals: 0,
  /** Entries reaped during a renewal, their referents found dead before their notices arrived. */
  reapedInRenewal: 0,
  /** Notice batches applied (by the drain or by flush()). */
  batches: 0,
  /** Those applied without reading their WeakRefs: their registry had no stale registration. */
  trustedBatches: 0,
  /** Times a store's job cache paused itself because it did not pay. */
  cachePauses: 0,
  /** Compactions that removed tombstones from a table's order log (wasm-table.ts), on any path. */
  compactions: 0,
  /** Compactions that also shrank the table. */
  shrinks: 0,
  /** Weak-key indexes rebuilt because most of their shards' keys were gone (sharded-weak-map.ts). */
  shardRebuilds: 0,
  /** Registries let go of (renewal, clear) through `retire`. */
  retirements: 0,
  /** Shrinks that high slots blocked, so the store walked its entries to rename them (slot-store.ts). */
  relocations: 0,
  /** Entries those walks found dead and reaped (they cannot be registered again under a new name). */
  reapedInRelocation: 0,
  /** Entries renamed by relocations. */
  relocatedEntries: 0,
};

/** For tests: sets thresholds (omitted ones keep their value); returns the previous ones. */
export function tuneForTesting(overrides: Partial<typeof tuning>): typeof tuning {
  const previous = { ...tuning };
  Object.assign(tuning, overrides);
  return previous;
}

/** What a collector needs from its store. */
export interface Reaper {
  /** Entries in the store (live and dead-but-not-reaped). */
  readonly size: number;
  /**
   * Removes each (slot, gen) pair whose WeakRef is dead and whose slot still carries `gen`; queues
   * the user callbacks that produces on `callbacks`; returns how many entries it removed. With
   * `dead`, the caller vouches that every pair's entry is there and its referent dead (a batch of
   * a registry with no stale registration, see the header), and the WeakRefs are not read.
   */
  reap(slots: number[], gens: number[], callbacks: Array<() => void>, dead?: boolean): number;
  /** Calls `visit` for every entry with its slot, generation, and referent (undefined once dead). */
  forEachEntry(visit: (slot: number, gen: number, target: WeakKey | undefined) => void): void;
}

/** A registry callback's way to its collector, cut when the registry is let go of (`Collector.#letGo`). */
interface Line {
  collector: Collector | undefined;
}

/** The registrations and notices of one slot store. */
export class Collector {
  readonly #store: Reaper;
  /** Made on the first registration; replaced by a renewal; dropped by `reset()`. */
  #registry: FinalizationRegistry<number> | undefined;
  /** How `#registry`'s callback reaches this collector; cut when the registry is let go of. */
  #line: Line | undefined;
  /** Registrations in `#registry` whose entry was since deleted or overwritten. */
  #stale = 0;
  /** Held values of notices received and not yet applied (made on the first notice). */
  #pending: number[] | undefined;

  constructor(store: Reaper) {
    this.#store = store;
  }

  /** Notices received and not yet applied. */
  get pending(): number {
    return this.#pending?.length ?? 0;
  }

  /** Asks for a notice when `target`, now the referent of `slot` at generation `gen`, dies. */
  register(target: WeakKey, slot: number, gen: number): void {
    (this.#registry ?? this.#install()).register(target, (gen << SLOT_BITS) | slot);
  }

  /**
   * Counts one more stale registration (an entry deleted or overwritten); renews the registry when
   * they outnumber the entries. Call it only once the store is consistent again: a renewal walks
   * every entry and may reap some.
   */
  staled(): void {
    if (++this.#stale > Math.max(tuning.staleMin, this.#store.size)) this.#renew();
  }

  /**
   * Counts `n` registrations whose entries a relocation reaped before their notices came: stale
   * like a deleted entry's, but not a reason to renew (the relocation that reaped them then
   * renames the survivors, and counts those through `staled`).
   */
  orphaned(n: number): void {
    this.#stale += n;
  }

  /** Forgets every registration and notice (clear): O(1), the registry goes with them. */
  reset(): void {
    this.#letGo();
    this.#stale = 0;
    this.#pending = undefined;
  }

  /**
   * Replaces the registry with a fresh one (the one it replaces is let go of first). The fresh
   * registry holds this collector strongly, through its line: a cycle, collected with the
   * container. A WeakRef would do, but its deref on every notice would put the collector in the
   * engine's kept-objects set once a notice: measurably slower reaping.
   */
  #install(): FinalizationRegistry<number> {
    this.#letGo();
    const line: Line = { collector: this };
    const registry: FinalizationRegistry<number> = new FinalizationRegistry((held) => {
      if (held === RETIRED_MARKER) return retired(registry);
      line.collector?.notice(held);
    });
    this.#line = line;
    this.#registry = registry;
    return registry;
  }

  /**
   * Retires the registry, if any, cutting its line first: a retired registry outlives its time as
   * this collector's (see `retire`), and must neither keep the collector, its store and the
   * store's keys alive meanwhile nor hand it notices (its entries were dealt with when it was let
   * go of: reaped if dead, registered again if live, or cleared).
   */
  #letGo(): void {
    const previous = this.#registry;
    if (previous === undefined) return;
    this.#line!.collector = undefined;
    this.#line = undefined;
    this.#registry = undefined;
    retire(previous);
  }

  /** Applies the notices received so far; queues user callbacks; returns entries removed. */
  apply(callbacks: Array<() => void>): number {
    const pending = this.#pending;
    if (pending === undefined || pending.length === 0) return 0;
    this.#pending = undefined;
    counters.batches++;
    const slots: number[] = new Array(pending.length);
    const gens: number[] = new Array(pending.length);
    for (let i = 0; i < pending.length; i++) {
      const held = pending[i]!;
      slots[i] = held & SLOT_MASK;
      gens[i] = held >>> SLOT_BITS;
    }
    const trusted = this.#stale === 0;
    if (trusted) counters.trustedBatches++;
    return this.#store.reap(slots, gens, callbacks, trusted);
  }

  /**
   * Applies every notice received so far and runs the callbacks now; returns entries removed.
   * Until none is left: a callback may set entries, which may renew the registry, and a notice
   * that arrives meanwhile is one this flush must apply too (pending is 0 after a flush).
   */
  flush(): number {
    let removed = 0;
    while (this.pending > 0) {
      const callbacks: Array<() => void> = [];
      removed += this.apply(callbacks);
      runCallbacks(callbacks);
    }
    return removed;
  }

  /**
   * From the current registry's callback (in the engine's cleanup job): queues the notice, nothing
   * more. A registry that was let go of cannot call this: its line is cut.
   */
  notice(held: number): void {
    if ((this.#pending ??= []).push(held) === 1) markDirty(this);
  }

  /**
   * Registers every live entry again in a fresh registry and drops the old one with its stale
   * registrations. Entries found dead on the way are reaped now, as their notices would have been,
   * and their callbacks deferred like any others. The fresh registry is in place before the walk,
   * so a notice it delivers at any point is kept, and the old one's are ignored: every entry they
   * could name is either registered again or reaped here. Every live referent is dereferenced, so
   * it stays alive until the current job ends, as after any iteration.
   */
  #renew(): void {
    counters.renewals++;
    const registry = this.#install();
    this.#stale = 0;
    this.#pending = undefined;
    const dead: number[] = [];
    const deadGens: number[] = [];
    this.#store.forEachEntry((slot, gen, target) => {
      if (target === undefined) {
        dead.push(slot);
        deadGens.push(gen);
      } else {
        registry.register(target, (gen << SLOT_BITS) | slot);
      }
    });
    if (dead.length > 0) {
      const callbacks: Array<() => void> = [];
      counters.reapedInRenewal += this.#store.reap(dead, deadGens, callbacks);
      for (const callback of callbacks) defer(callback);
    }
  }
}

/** The held value of the marker that tells a retired registry the engine has cleaned up for it. */
const RETIRED_MARKER = -1;
/** Registries let go of, kept reachable until their marker arrives (see the header). */
const retiring = new Set<FinalizationRegistry<number>>();

/** Lets go of `registry` safely: kept until the engine has run a cleanup for it (its marker's). */
function retire(registry: FinalizationRegistry<number>): void {
  retiring.add(registry);
  registerMarker(registry);
  counters.retirements++;
}

/** In a function of its own, so that nothing keeps the marker reachable. */
function registerMarker(registry: FinalizationRegistry<number>): void {
  registry.register({}, RETIRED_MARKER);
}

/** From a retired registry's cleanup: the engine is done with it, so it may be collected now. */
function retired(registry: FinalizationRegistry<number>): void {
  retiring.delete(registry);
}

/** Retired registries still waiting for their marker (for tests). */
export function retiringRegistries(): number {
  return retiring.size;
}


// ---------------------------------------------------------------------------------------------
// The realm's registry

/** The held value of a realm registration: told once, from the cleanup job, that its target died. */
export interface Holdings {
  /** Must not call user code and must not throw: queue work and call `defer`. */
  collected(): void;
}

let realmRegistry: FinalizationRegistry<Holdings> | undefined;

/**
 * Registers `target` in the realm's registry; `held.collected()` runs once after it is collected.
 * Nothing here is ever unregistered: a ref group registers once per referent and simply finds
 * nothing to do when its refs, proxies and finalizers are gone or detached, and a table release
 * is wanted whenever its table dies. Made on first use: importing the library makes nothing.
 */
export function watch(target: WeakKey, held: Holdings): void {
  (realmRegistry ??= new FinalizationRegistry<Holdings>((h) => h.collected())).register(target, held);
}

/** A bare registry, for `collect()`'s sentinels in weaktable/testing. */
export function makeRegistry(onNotice: (held: number) => void): FinalizationRegistry<number> {
  return new FinalizationRegistry<number>(onNotice);
}

// ---------------------------------------------------------------------------------------------
// Jobs: the drain, deferred callbacks, the end of the current job

/**
 * Runs `callback` in a microtask: after the current job's synchronous code, before the engine
 * clears the objects that job kept alive. `queueMicrotask` where the realm has it; a resolved
 * promise where it does not (a `node:vm` context, some embedders), which reaches the same queue.
 * Looked up at each call, since test fakes install their own.
 */
export function atEndOfJob(callback: () => void): void {
  const queue = (globalThis as { queueMicrotask?: (callback: () => void) => void }).queueMicrotask;
  if (typeof queue === "function") queue(callback);
  else void Promise.resolve().then(callback);
}

const dirtyQueue: Collector[] = [];
const callbackQueue: Array<() => void> = [];
let drainScheduled = false;

function markDirty(collector: Collector): void {
  dirtyQueue.push(collector);
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
  atEndOfJob(drain);
}

function drain(): void {
  drainScheduled = false;
  // A collector may be queued again by a callback below; that starts a new drain.
  while (dirtyQueue.length > 0) {
    const batch = dirtyQueue.splice(0);
    for (const collector of batch) {
      try {
        collector.apply(callbackQueue);
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
