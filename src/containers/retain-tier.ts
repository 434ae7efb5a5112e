// RetainTier: the strong half of `new WeakValueMap(entries, { retain: N })`. Besides its WeakRefs,
// the map holds its N most recently used values strongly, so that a hot value survives a
// collection even when nothing else refers to it; the value that falls out of the tier is held
// weakly again and goes, with onCollect, the next time the collector finds it unreachable.
// (Lineage: weak-lru-cache's strong LRU over a weak map; Java's LinkedHashMap in access order.)
//
// What it owns: nothing but strong references and their recency. The map's store keeps owning the
// entries; the tier names them by slot (stable for an entry's lifetime, kept by an overwrite) and
// the map tells it about every use (`use`) and every removal (`release`, `clear`). A value the tier
// holds is live, so its WeakRef derefs and no collection notice can reap its entry: the tier never
// has to hear from the collector, and onCollect can never run for an entry it holds.
//
// Layout: an intrusive doubly linked ring of nodes in typed arrays, and one plain array of the
// values. Nodes are numbered 0..count-1, dense; the ring runs from the most recently used node
// (`head`) through ever less recent ones back to the head, so the least recently used one is
// prev[head] and no separate tail is kept:
//   prev[node], next[node]   neighbours in the ring                    4 B a node (8 B if N > 65 535)
//   slotOf[node]             the entry's slot                          4 B a node
//   values[node]             the strong reference                      8 B a node
//   nodeOf[slot]             node + 1, or 0 when the tier holds none   2 B a slot of the table (4 B if N > 65 535)
// so a retained value costs 16 B, plus 2 B for each slot of the table (only once the tier holds
// something); node numbers take 16 bits while N is at most 65 535 (the usual cache: a few hundred
// or thousand values), 32 bits beyond, 20 B a value and 4 B a slot. The kind is fixed when the
// tier is made, so the code that uses a tier sees one kind of array. The node arrays grow by
// doubling up to N, so a large N costs nothing until it is used. Why nodes, not arrays indexed by
// slot (prev/next/held[slot], 16 B a slot): a tier is usually small beside its map (a cache of a
// few hundred images among thousands of entries), and indexing by slot would make the tier cost
// 16 B for every entry of the map, 8 of them in a JS array the garbage collector scans; by node
// it costs 16 B for every retained value and 2 B per slot, mostly in typed arrays it does not
// scan. The floor of this design is the 8 B reference, two links (a hit anywhere relinks in O(1))
// and the slot (an eviction clears its index entry); dropping the per-slot index would need a hash
// of slot to node, a probe on every use instead of one array read. A removal from the middle
// moves the last node into the hole, so the nodes stay dense and the arrays never have holes to
// skip.
//
// Why a ring: when the tier is full, a miss evicts the least recently used value and holds the new
// one as the most recent. In a ring those are neighbours (prev[head] is the oldest), so the
// eviction is the head stepping back one node, with no link written: a full miss writes the
// evicted slot's index entry, the node's slot and value, and the new slot's index entry. A hit on
// the least recent node is the same step; any other hit relinks one node (four links).
//
// Cost: `use` is O(1) and allocates nothing (except when an array doubles): a hit relinks one node
// at the head; a miss takes a fresh node or, when the tier is full, reuses the least recently used
// one, which is the eviction. Without the option, get pays one field test. Measured on Node 20, a
// 2-core machine other engineers' test runs loaded (load average 2-6), so ratios within one run:
//   `node bench/retain-tier.mjs SLOTS RETAIN`, the tier alone against two floors, ns per use over
//   a bare loop, uniform slots (nine uses in ten evict): at 1e3/100, 1e5/1e4 and 1e6/1e5 the tier
//   costs +6.7-8.2, +12.7-16.8 and +102 ns; one strong reference written per use (`hold`) +1.9-2.9,
//   +4.0-4.8 and +27-32; that plus an exact slot index (`index`, a FIFO) +3.6-4.5, +6.6-8.6 and
//   +47-50. The linear list this ring replaced, run just before the last of those: +8.3, +16.1
//   and +130 ns.
//   `npm run bench -- --case game,id2obj --contender weaktable,weaktable+retain --reps 3` (game
//   three runs, id2obj two), a get with retain = 10% of the entries against one without: game
//   1e4 0.91-1.34x, 1e5 1.08-1.24x; id2obj frames 1e3 0.94-1.32x, 1e5 1.03-1.05x, 1e6 1.17x. The
//   list, run just before the last of those: game 1.48x and 1.48x, id2obj 1.34x, 1.13x, 0.99x.
// So what is left is the price of recording a use at all when nearly every use evicts: an index
// entry and a strong reference written per get (the `index` floor), plus, at a million slots, the
// cache misses of walking a ring whose order the hits have shuffled (twice the floor there). A use
// that need not be recorded until the job ends (every value used in a job is kept alive by the
// engine until then) can be logged and applied at the end of the job, skipping the uses older
// than the job's last N distinct ones. Built and measured (2026-12-02, game pattern, 8 shuffled
// passes a frame, retain = 10%, the end-of-job work timed, one library per process): 1e4 entries
// 1.26-1.31x a map without retain, against this ring's 1.16-1.20x; 1e5 1.30-1.34x against
// 1.24-1.79x. Writing the log costs about what an eviction does while the tier fits the cache,
// so it was dropped. A tier whose `use` does nothing measures 1.04-1.07x: the rest is the LRU.

import type { Slot } from "../core/table.js";

const NONE = -1;
const EMPTY = new Int32Array(0);
/** Node numbers (and node + 1) fit 16 bits up to this capacity: the links and the index then take 2 B an element. */
const NARROW_CAPACITY = 0xffff;

/** The arrays of node numbers: 16-bit for a tier of at most NARROW_CAPACITY values, else 32-bit. */
type Nodes = Uint16Array | Int32Array;
/** Nodes allocated the first time the tier holds a value (then doubled, never beyond N). */
const FIRST_NODES = 16;
/** Bytes of one element of a JS array of references, as slot-store.ts counts them. */
const ARRAY_ELEMENT_BYTES = 8;

/**
 * Validates the `retain` option and makes its tier: undefined for 0 or absent (a plain weak map).
 * A TypeError for a non-number, a RangeError for a number that is not a non-negative safe integer,
 * both naming `retain`; nothing is made then.
 */
export function makeRetainTier(retain: unknown, where: string): RetainTier | undefined {
  if (retain === undefined) return undefined;
  if (typeof retain !== "number") {
    throw new TypeError(
      `weaktable: ${where}: the retain option must be a non-negative safe integer or undefined (got ${retain === null ? "null" : typeof retain}). Nothing was made.`,
    );
  }
  if (!Number.isSafeInteger(retain) || retain < 0) {
    throw new RangeError(`weaktable: ${where}: the retain option must be a non-negative safe integer (got ${retain}). Nothing was made.`);
  }
  return retain === 0 ? undefined : new RetainTier(retain);
}

export class RetainTier {
  /** N: the most values the tier holds. */
  readonly capacity: number;
  /** Uint16Array or Int32Array, for the arrays of node numbers (fixed at construction by N). */
  readonly #Nodes: new (length: number) => Nodes;
  /** By slot: node + 1, or 0 (grown to cover the largest slot used). */
  #nodeOf: Nodes;
  /** The ring's neighbours: next is one less recent, prev one more recent; circular. */
  #prev: Nodes;
  #next: Nodes;
  #slotOf: Int32Array = EMPTY;
  #values: Array<WeakKey | undefined> = [];
  /** The most recently used node (NONE when empty); the least recently used is prev[head]. */
  #head = NONE;
  #count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#Nodes = capacity <= NARROW_CAPACITY ? Uint16Array : Int32Array;
    // Empty arrays of the tier's own kind, so that the code using them sees one kind per tier.
    this.#nodeOf = this.#prev = this.#next = new this.#Nodes(0);
  }

  /** Values held now (`stats().retained`). */
  get size(): number {
    return this.#count;
  }

  /** Bytes of the tier's own arrays (not the values). */
  get bytes(): number {
    return this.#nodeOf.byteLength + this.#prev.byteLength + this.#next.byteLength + this.#slotOf.byteLength + this.#values.length * ARRAY_ELEMENT_BYTES;
  }

  /**
   * A use of the entry in `slot`, whose live value is `value`: holds it as the most recent, evicting
   * the least recent value when the tier is full. Returns `value`; does nothing for undefined (a
   * missing or collected value), so that `get` can hand its answer through.
   */
  use<T>(slot: Slot, value: T): T {
    if (value === undefined) return value;
    const nodeOf = this.#nodeOf;
    const node = (slot < nodeOf.length ? nodeOf[slot]! : 0) - 1;
    if (node >= 0) {
      this.#values[node] = value as WeakKey; // an overwrite keeps the slot, with a new value
      if (node !== this.#head) this.#toFront(node);
      return value;
    }
    if (this.#count === this.capacity && slot < nodeOf.length) {
      // Full: the least recently used node becomes the most recent one with the new value. In a
      // ring that is the head stepping back one node: no link changes.
      const tail = this.#prev[this.#head]!;
      const slotOf = this.#slotOf;
      nodeOf[slotOf[tail]!] = 0; // that value is held weakly from now on
      slotOf[tail] = slot;
      nodeOf[slot] = tail + 1;
      this.#values[tail] = value as WeakKey;
      this.#head = tail;
      return value;
    }
    return this.#add(slot, value);
  }

  /**
   * A miss that finds the tier not yet full, or a slot past the slot index. The index grows
   * first; a full tier then evicts through `use`, whose eviction the index now covers.
   */
  #add<T>(slot: Slot, value: T): T {
    if (slot >= this.#nodeOf.length) {
      this.#growSlots(slot);
      if (this.#count === this.capacity) return this.use(slot, value);
    }
    const node = this.#count++;
    if (node >= this.#prev.length) this.#growNodes();
    const head = this.#head;
    if (head === NONE) {
      this.#prev[node] = this.#next[node] = node;
    } else {
      this.#link(node, this.#prev[head]!, head);
    }
    this.#slotOf[node] = slot;
    this.#nodeOf[slot] = node + 1;
    this.#values[node] = value as WeakKey;
    this.#head = node;
    return value;
  }

  /** Whether the tier holds the value of `slot`. */
  holds(slot: Slot): boolean {
    return slot < this.#nodeOf.length && this.#nodeOf[slot] !== 0;
  }

  /** Drops what the tier holds for `slot` (delete, pop, popItem); nothing if it holds none. */
  release(slot: Slot): void {
    const nodeOf = this.#nodeOf;
    if (slot >= nodeOf.length || nodeOf[slot] === 0) return;
    const node = nodeOf[slot]! - 1;
    nodeOf[slot] = 0;
    const last = --this.#count;
    if (last === 0) {
      this.#head = NONE;
    } else {
      if (node === this.#head) this.#head = this.#next[node]!;
      this.#unlink(node);
      // Keep the nodes dense: the last node moves into the hole.
      if (node !== last) {
        if (last === 1) this.#prev[node] = this.#next[node] = node; // the one node left is `last`
        else this.#link(node, this.#prev[last]!, this.#next[last]!);
        if (this.#head === last) this.#head = node;
        const slotOfLast = this.#slotOf[last]!;
        this.#slotOf[node] = slotOfLast;
        nodeOf[slotOfLast] = node + 1;
        this.#values[node] = this.#values[last];
      }
    }
    this.#values[last] = undefined;
  }

  /**
   * The store renamed the entry in slot `from` to `to` (a free slot below it) while shrinking its
   * table (slot-store.ts `#relocate`): what the tier holds for it now goes by the new name.
   */
  moved(from: Slot, to: Slot): void {
    const nodeOf = this.#nodeOf;
    if (from >= nodeOf.length || nodeOf[from] === 0) return;
    const node = nodeOf[from]! - 1;
    nodeOf[from] = 0;
    nodeOf[to] = node + 1; // to < from < nodeOf.length
    this.#slotOf[node] = to;
  }

  /** After the table shrank to `slots` slots (none at or above it holds a value): gives the slot index back. */
  truncate(slots: number): void {
    const length = Math.max(FIRST_NODES, slots);
    if (this.#nodeOf.length > 2 * length) this.#nodeOf = this.#nodeOf.slice(0, length);
  }

  /** Drops every value; the arrays go too (a cleared map is usually refilled from small). */
  clear(): void {
    this.#nodeOf = this.#prev = this.#next = new this.#Nodes(0);
    this.#slotOf = EMPTY;
    this.#values = [];
    this.#head = NONE;
    this.#count = 0;
  }

  /** Visits the held entries from the least to the most recently used (for `copy()`). */
  forEachOldestFirst(visit: (slot: Slot, value: WeakKey) => void): void {
    if (this.#count === 0) return;
    const head = this.#head;
    let node = head;
    do {
      node = this.#prev[node]!;
      visit(this.#slotOf[node] as Slot, this.#values[node]!);
    } while (node !== head);
  }

  /**
   * A tier of the same capacity holding the same values in the same order, for a copy of the map
   * whose slots `slotIn` gives for this map's slots.
   */
  copy(slotIn: (slot: Slot) => Slot | -1): RetainTier {
    const copy = new RetainTier(this.capacity);
    this.forEachOldestFirst((slot, value) => {
      const target = slotIn(slot);
      if (target >= 0) copy.use(target as Slot, value);
    });
    return copy;
  }

  /** 0 when the ring, the node numbering and the slot index agree, else the number of the first broken invariant. */
  check(): number {
    const count = this.#count;
    if (count === 0 ? this.#head !== NONE : this.#head < 0 || this.#head >= count) return 1;
    let node = this.#head;
    for (let seen = 0; seen < count; seen++) {
      const next = this.#next[node]!;
      if (next < 0 || next >= count) return 1;
      if (this.#prev[next] !== node) return 2;
      if (this.#nodeOf[this.#slotOf[node]!] !== node + 1) return 3;
      if (this.#values[node] === undefined) return 4;
      node = next;
      if (node === this.#head && seen !== count - 1) return 5; // a ring shorter than count
    }
    if (count > 0 && node !== this.#head) return 5;
    if (count > this.capacity) return 6;
    let indexed = 0;
    for (let slot = 0; slot < this.#nodeOf.length; slot++) if (this.#nodeOf[slot] !== 0) indexed++;
    if (indexed !== count) return 7;
    for (let n = count; n < this.#values.length; n++) if (this.#values[n] !== undefined) return 8;
    return 0;
  }

  /** Takes a node out of the ring (which keeps at least one other node). */
  #unlink(node: number): void {
    const prev = this.#prev[node]!;
    const next = this.#next[node]!;
    this.#next[prev] = next;
    this.#prev[next] = prev;
  }

  /** Puts a node into the ring between `prev` and `next` (neighbours: next[prev] === next). */
  #link(node: number, prev: number, next: number): void {
    this.#prev[node] = prev;
    this.#next[node] = next;
    this.#next[prev] = node;
    this.#prev[next] = node;
  }

  /** Makes a linked node that is not the head the most recent one. */
  #toFront(node: number): void {
    const head = this.#head;
    const prev = this.#prev;
    // The least recent node becomes the most recent by the head stepping back onto it.
    if (prev[head] !== node) {
      this.#unlink(node);
      this.#link(node, prev[head]!, head);
    }
    this.#head = node;
  }

  #growNodes(): void {
    const length = Math.min(this.capacity, Math.max(FIRST_NODES, 2 * this.#prev.length));
    this.#prev = grown(this.#Nodes, this.#prev, length);
    this.#next = grown(this.#Nodes, this.#next, length);
    this.#slotOf = grown(Int32Array, this.#slotOf, length);
  }

  #growSlots(slot: number): Nodes {
    let length = Math.max(FIRST_NODES, this.#nodeOf.length);
    while (length <= slot) length *= 2;
    return (this.#nodeOf = grown(this.#Nodes, this.#nodeOf, length));
  }
}

function grown<T extends Nodes>(Array_: new (length: number) => T, array: Nodes, length: number): T {
  const bigger = new Array_(length);
  bigger.set(array);
  return bigger;
}
