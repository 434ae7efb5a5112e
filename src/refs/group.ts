// Referent groups: the one registration per referent that ref(), proxy(), WeakMethod and
// finalize() share. Internal; nothing here is exported from the package.
//
// Vocabulary (live, dead, token: see core/collector.ts):
//   referent  the object a single reference points at.
//   owner     what the user holds: a Ref, a weak proxy, a WeakMethod or a Finalizer.
//   reaction  what runs once the referent is collected, given its owner: the user's callback, or a
//             finalizer's own run.
//   counted   an owner that getWeakRefCount/getWeakRefs report (Refs and proxies, as in CPython's
//             list of weak references; WeakMethods and finalizers are left out by the contract).
//
// Why one registration per referent rather than one per owner:
//   1. Order. The engine promises no order among the notices of one collection, so "newest
//      first among the callbacks of one referent" (CPython's order) is only possible if a single
//      notice handles all of them. It walks the owners from newest to oldest and defers each
//      reaction in that order.
//   2. Reachability of the owner. A callback runs only if its owner is still reachable when the
//      notice arrives, as in CPython, where a weakref that dies with (or before) its referent never
//      calls back. The registry holds its held value (the group) strongly, so the group holds its
//      owners through WeakRefs; holding them strongly would keep every dropped Ref alive for as long
//      as its referent lives.
//   3. Cost: ten refs to one object cost one registration, and plain `ref(o)` costs none (the
//      group registers lazily, on its first reaction).
//
// Where things are held:
//   groups     WeakMap referent -> Group. An ephemeron: a group lives as long as its referent and
//              holds nothing that leads back to the referent, so it never keeps it alive.
//   reactions  WeakMap owner -> reaction. The callback is kept alive by its owner and by nothing
//              else, exactly as a CPython weakref object holds its callback: dropping the Ref drops
//              the callback, and a callback that closes over its referent keeps the referent alive
//              only while the Ref itself lives.
//   registry   the one FinalizationRegistry (core/collector.ts) holds the group once it has a
//              reaction to deliver. `collected()` only queues: reactions run through `defer`, after
//              every container is consistent, each in its own try/catch.

import { defer, watch, type Holdings } from "../core/collector.js";

/** Runs once the referent of `owner` is collected; may call user code (it is always deferred). */
export type Reaction = (owner: object) => void;

interface Entry {
  /** The owner, weakly: an owner nobody holds any more must not react, nor be kept alive. */
  readonly wr: WeakRef<object>;
  readonly counted: boolean;
}

/** Prune dead owners from a group's list once it reaches this length (then at twice the survivors). */
const PRUNE_MIN_LENGTH = 8;

const reactions = new WeakMap<object, Reaction>();
const groups = new WeakMap<WeakKey, Group>();

/** Every single reference to one referent. The held value of the referent's one registration. */
export class Group implements Holdings {
  /** The Ref that `ref(obj)` without a callback shares, while someone holds it. */
  sharedRef: WeakRef<object> | undefined;
  /** The proxy that `proxy(obj)` without a callback shares, while someone holds it. */
  sharedProxy: WeakRef<object> | undefined;
  /** Every other owner, oldest first (newest last), so a notice can walk it backwards. */
  #entries: Entry[] = [];
  #pruneAt = PRUNE_MIN_LENGTH;
  #watched = false;

  /**
   * Adds an owner of `referent` (this group's referent). With a reaction, the reaction runs once
   * after the referent is collected if the owner is still reachable then.
   */
  add(referent: WeakKey, owner: object, counted: boolean, reaction?: Reaction): void {
    if (reaction !== undefined) {
      reactions.set(owner, reaction);
      if (!this.#watched) {
        // Lazily: a group without reactions has nothing to do at collection, so costs no registration.
        watch(referent, this);
        this.#watched = true;
      }
    }
    if (this.#entries.length >= this.#pruneAt) this.#prune();
    this.#entries.push({ wr: new WeakRef(owner), counted });
  }

  /** The owners that getWeakRefs reports, alive now. */
  countedOwners(): object[] {
    const owners: object[] = [];
    const shared = [this.sharedRef?.deref(), this.sharedProxy?.deref()];
    for (const owner of shared) if (owner !== undefined) owners.push(owner);
    for (const entry of this.#entries) {
      if (!entry.counted) continue;
      const owner = entry.wr.deref();
      if (owner !== undefined) owners.push(owner);
    }
    return owners;
  }

  collected(): void {
    // Called from the cleanup job: queue only, never call user code here, and never throw.
    const entries = this.#entries;
    this.#entries = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const owner = entries[i].wr.deref();
      if (owner === undefined) continue; // dropped before its referent: no callback, as in CPython
      const reaction = reactions.get(owner);
      if (reaction === undefined) continue;
      // Taken now, so that a reaction runs at most once even if the owner is somehow noticed again.
      reactions.delete(owner);
      defer(() => reaction(owner));
    }
  }

  /** Drops entries that can no longer matter: owner collected, or neither counted nor reacting. */
  #prune(): void {
    this.#entries = this.#entries.filter((entry) => {
      const owner = entry.wr.deref();
      return owner !== undefined && (entry.counted || reactions.has(owner));
    });
    this.#pruneAt = Math.max(PRUNE_MIN_LENGTH, 2 * this.#entries.length);
  }
}

/** The group of `referent`, made on first use. */
export function groupFor(referent: WeakKey): Group {
  let group = groups.get(referent);
  if (group === undefined) {
    group = new Group();
    groups.set(referent, group);
  }
  return group;
}

/** The group of `referent` if it has one; never creates one. */
export function peekGroup(referent: WeakKey): Group | undefined {
  return groups.get(referent);
}

/** Cancels the reaction of `owner` (a finalizer that was invoked or detached). */
export function forgetReaction(owner: object): void {
  reactions.delete(owner);
}

/** Node's `util.inspect.custom`; a registered symbol, so no import of node:util is needed. */
export const INSPECT_CUSTOM: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** The options Node passes to an `[INSPECT_CUSTOM]` method (only what we use). */
export interface InspectOptions {
  depth?: number | null;
}

/** Node's `util.inspect`, as passed to an `[INSPECT_CUSTOM]` method (third argument, Node >= 16.14). */
export type InspectFunction = (value: unknown, options?: InspectOptions) => string;

/** Inspects a referent one level deeper than the holder, with Node's own inspect if it gave one. */
export function inspectNested(
  value: unknown,
  options: InspectOptions | undefined,
  inspect: InspectFunction | undefined,
): string {
  if (typeof inspect !== "function") return describe(value);
  const depth = options?.depth;
  return inspect(value, { ...options, depth: typeof depth === "number" ? depth - 1 : depth });
}

/** A short name for a referent in `toString()`: its class, function or symbol description. */
export function describe(value: unknown): string {
  try {
    if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
    if (typeof value === "symbol") return value.toString();
    const constructor = (value as { constructor?: { name?: unknown } }).constructor;
    return typeof constructor?.name === "string" && constructor.name !== "" ? constructor.name : "Object";
  } catch {
    // A revoked Proxy, or a dead weak proxy, throws on any property read.
    return "Object";
  }
}
