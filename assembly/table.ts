// The table: number keys to slots, and every slot's place in insertion order.
//
// Lineage: a CloseTable (V8's OrderedHashTable, AssemblyScript's std Map) with one change: the
// dense array in insertion order holds *slot numbers*, not entries. A slot names an entry; the
// TypeScript side keeps its WeakRef and key in arrays indexed by slot, and collection notices name
// a slot and a generation. Compaction moves positions in the order log but never renames a slot,
// so nothing on the JS side moves when the table compacts or grows. The one exception is a shrink
// that live high slots block: then the store asks `relocate` to rename them to low free slots, and
// renames what it keeps by slot (and registers the moved referents again) in the same step.
//
// What lives here, per table (layout.ts has the diagram):
//   - slots: canonical key bits, the generation the JS side stamped, and the link (order position or
//     next free slot). A slot is *used* from insert to remove, then *free* until reused.
//   - order log: used slots in insertion order, with HOLEs where entries were removed. Iteration is a
//     linear scan; `compact` squeezes the holes out in one pass.
//   - index: open addressing with linear probing over the slots whose key is a number; other keys are
//     indexed by the TypeScript side and only take a slot and a place in the order log here.
//
// The room policy lives here too (`room`, `compactDue`, `shrink`; the numbers in layout.ts), so the
// WebAssembly module and its JavaScript translation (src/wasm/fallback.ts, made from this code by
// wasm2js) cannot disagree about when a table compacts, grows or shrinks.
//
// Costs stay proportional to what a table holds now, not to the largest it ever was: compaction is
// O(USED) (it takes the few listed free slots off the free list instead of sorting every slot
// below SLOT_HIGH), and new entries take the lowest free slot through a scan that only moves up
// between compactions. Before that, one surviving high slot made every compaction O(SLOT_HIGH):
// set+delete of one key took 248 us instead of 0.8 after a table once held 2^20 entries. A live
// high slot would keep the capacity above it, so a shrink that one blocks renames slots first
// (`relocate`, driven by the store, which renames what it keeps by slot).
//
// Every function that allocates does so before it changes anything, so when the allocator traps
// (memory cannot grow) the table is exactly as it was.

import {
  H_BODY, H_CAPACITY, H_BUCKETS, H_USED, H_LIVE, H_FREE_SLOT, H_SLOT_HIGH, H_NUMERIC, H_FREE_SCAN, HEADER_SIZE,
  SLOT_KEY, SLOT_GEN, SLOT_LINK, SLOT_SIZE, ORDER_SIZE, BUCKET_SIZE,
  FREE_BIT, NUMERIC_BIT, LISTED_BIT, POS_MASK, HOLE, NONE, END, NEEDS_ROOM,
  MIN_CAPACITY, BUCKETS_PER_ENTRY, MAX_CAPACITY,
  ROOM_FITS, ROOM_COMPACT, ROOM_GROW, COMPACT_HOLES_N, COMPACT_HOLES_D, SPARSE_MIN_HOLES, SHRINK_N, SHRINK_D,
} from "./layout";
import { canonicalBits, hashBits } from "./hash";

/** A header that is always empty: containers point at it until their first insert. */
export const EMPTY_TABLE: usize = memory.data(HEADER_SIZE);
// Its free list must end at once, as tableNew's does: a zero there would name slot 0 (check() == 1).
store<i32>(EMPTY_TABLE + H_FREE_SLOT, NONE);

// ---------------------------------------------------------------------------------------------
// Addresses

// @ts-ignore: decorator
@inline function get(t: usize, field: i32): i32 {
  return load<i32>(t + <usize>field);
}

// @ts-ignore: decorator
@inline function put(t: usize, field: i32, value: i32): void {
  store<i32>(t + <usize>field, value);
}

// @ts-ignore: decorator
@inline function slotAt(body: usize, slot: i32): usize {
  return body + <usize>slot * SLOT_SIZE;
}

/**
 * An index bucket's word for `slot`, whose key hashes to `h`: the slot plus one in the bits the
 * bucket mask keeps (so 0 stays "empty"; there are twice as many buckets as slots, so the slot
 * always fits), and the hash's bits above the mask as a tag. A probe compares the tag before it
 * reads a slot record, so only the key's own bucket (and one in 2^(32 - log2 BUCKETS) others)
 * costs that read.
 */
// @ts-ignore: decorator
@inline function bucketEntry(h: u32, mask: u32, slot: i32): u32 {
  return (h & ~mask) | <u32>(slot + 1);
}

// @ts-ignore: decorator
@inline function orderOf(body: usize, capacity: i32): usize {
  return body + <usize>capacity * SLOT_SIZE;
}

// @ts-ignore: decorator
@inline function indexOf(body: usize, capacity: i32): usize {
  return body + <usize>capacity * (SLOT_SIZE + ORDER_SIZE);
}

// @ts-ignore: decorator
@inline function bodySize(capacity: i32, buckets: i32): usize {
  return <usize>capacity * (SLOT_SIZE + ORDER_SIZE) + <usize>buckets * BUCKET_SIZE;
}

// ---------------------------------------------------------------------------------------------
// Life cycle

export function tableNew(): usize {
  let t = heap.alloc(HEADER_SIZE);
  memory.fill(t, 0, HEADER_SIZE);
  put(t, H_FREE_SLOT, NONE);
  return t;
}

export function tableFree(t: usize): void {
  if (t == EMPTY_TABLE) return;
  let body = <usize>get(t, H_BODY);
  if (body) heap.free(body);
  heap.free(t);
}

/** Drops every entry and gives the body back to the allocator; the header stays usable. */
export function tableClear(t: usize): void {
  if (t == EMPTY_TABLE) return;
  let body = <usize>get(t, H_BODY);
  if (body) heap.free(body);
  memory.fill(t, 0, HEADER_SIZE);
  put(t, H_FREE_SLOT, NONE);
}

/** Bytes the allocator has handed this table (header and body, not counting allocator overhead). */
export function tableBytes(t: usize): i32 {
  if (t == EMPTY_TABLE) return 0;
  return HEADER_SIZE + <i32>bodySize(get(t, H_CAPACITY), get(t, H_BUCKETS));
}

// ---------------------------------------------------------------------------------------------
// Lookup

/** The slot holding number `key`, or -1. Called on every `get`/`has` with a number key. */
export function find(t: usize, key: f64): i32 {
  let buckets = get(t, H_BUCKETS);
  if (buckets == 0) return -1;
  let body = <usize>get(t, H_BODY);
  let index = indexOf(body, get(t, H_CAPACITY));
  let bits = canonicalBits(key);
  let mask = <u32>buckets - 1;
  let h = hashBits(bits);
  let tag = h & ~mask;
  let b = h & mask;
  let probes: u32 = 0;
  while (true) {
    let e = load<u32>(index + (<usize>b << 2));
    if (e == 0) return -1;
    // The tag rules out nearly every bucket of another key without reading its slot record.
    if ((e & ~mask) == tag) {
      let slot = <i32>(e & mask) - 1;
      if (load<u64>(slotAt(body, slot) + SLOT_KEY) == bits) return slot;
    }
    b = (b + 1) & mask;
    assert(++probes <= mask, "find: the index has no empty bucket"); // debug builds: fail, not hang
  }
  return -1; // unreachable: the index is never full
}

// ---------------------------------------------------------------------------------------------
// Slots

/**
 * The lowest free slot that compaction took off the list (FREE_SCAN walks up to it), else the
 * newest-freed slot, else the next never-used one. The scan only moves up between compactions
 * and passes each used or listed slot once, so it costs O(1) amortized per insert however high
 * SLOT_HIGH is (one surviving high slot must not make every compaction pay for the slots below it).
 */
function allocSlot(t: usize, body: usize): i32 {
  let high = get(t, H_SLOT_HIGH);
  let scan = get(t, H_FREE_SCAN);
  while (scan < high) {
    let link = load<i32>(slotAt(body, scan) + SLOT_LINK);
    if ((link & (FREE_BIT | LISTED_BIT)) == FREE_BIT) {
      put(t, H_FREE_SCAN, scan + 1);
      return scan;
    }
    scan++;
  }
  put(t, H_FREE_SCAN, scan);
  let slot = get(t, H_FREE_SLOT);
  if (slot != NONE) {
    let next = load<i32>(slotAt(body, slot) + SLOT_LINK) & POS_MASK;
    put(t, H_FREE_SLOT, next == POS_MASK ? NONE : next);
    return slot;
  }
  put(t, H_SLOT_HIGH, high + 1);
  put(t, H_FREE_SCAN, high + 1);
  return high;
}

function freeSlot(t: usize, body: usize, slot: i32): void {
  let head = get(t, H_FREE_SLOT);
  store<i32>(slotAt(body, slot) + SLOT_LINK, FREE_BIT | LISTED_BIT | (head == NONE ? POS_MASK : head));
  put(t, H_FREE_SLOT, slot);
}

/**
 * Takes every slot off the free list (they stay free) and restarts the scan at slot 0: from now on
 * new entries take the lowest free slots. O(listed slots), which are at most the removals since
 * the last compaction.
 */
function unlistFreeSlots(t: usize, body: usize): void {
  let s = get(t, H_FREE_SLOT);
  while (s != NONE) {
    let p = slotAt(body, s) + SLOT_LINK;
    let next = load<i32>(p) & POS_MASK;
    store<i32>(p, FREE_BIT);
    s = next == POS_MASK ? NONE : next;
  }
  put(t, H_FREE_SLOT, NONE);
  put(t, H_FREE_SCAN, 0);
}

/** Appends `slot` to the order log; the caller has checked that USED < CAPACITY. */
function append(t: usize, body: usize, slot: i32, flags: i32): void {
  let pos = get(t, H_USED);
  store<i32>(orderOf(body, get(t, H_CAPACITY)) + (<usize>pos << 2), slot);
  store<i32>(slotAt(body, slot) + SLOT_LINK, pos | flags);
  put(t, H_USED, pos + 1);
  put(t, H_LIVE, get(t, H_LIVE) + 1);
}

/** True when `slot` is a used slot of this table. */
export function isUsed(t: usize, slot: i32): bool {
  if (slot < 0 || slot >= get(t, H_SLOT_HIGH)) return false;
  return (load<i32>(slotAt(<usize>get(t, H_BODY), slot) + SLOT_LINK) & FREE_BIT) == 0;
}

export function genOf(t: usize, slot: i32): i32 {
  return load<i32>(slotAt(<usize>get(t, H_BODY), slot) + SLOT_GEN);
}

export function setGen(t: usize, slot: i32, gen: i32): void {
  store<i32>(slotAt(<usize>get(t, H_BODY), slot) + SLOT_GEN, gen);
}

export function keyOf(t: usize, slot: i32): f64 {
  return load<f64>(slotAt(<usize>get(t, H_BODY), slot) + SLOT_KEY);
}

/** The slot at order position `pos`: a slot number, HOLE, or END past the last used position. */
export function slotAtPosition(t: usize, pos: i32): i32 {
  if (pos >= get(t, H_USED)) return END;
  if (pos < 0) return HOLE;
  let body = <usize>get(t, H_BODY);
  return load<i32>(orderOf(body, get(t, H_CAPACITY)) + (<usize>pos << 2));
}

// ---------------------------------------------------------------------------------------------
// Insert and remove

/**
 * Inserts number `key` stamped with `gen` and returns its new slot; returns `~slot` (negative) when
 * the key is already there (its generation untouched), and NEEDS_ROOM when the caller must compact
 * or grow first. Called on every `set` of a new number key.
 */
export function insertNumber(t: usize, key: f64, gen: i32): i32 {
  let buckets = get(t, H_BUCKETS);
  if (buckets == 0) return NEEDS_ROOM;
  let body = <usize>get(t, H_BODY);
  let capacity = get(t, H_CAPACITY);
  let index = indexOf(body, capacity);
  let bits = canonicalBits(key);
  let mask = <u32>buckets - 1;
  let h = hashBits(bits);
  let tag = h & ~mask;
  let b = h & mask;
  let probes: u32 = 0;
  while (true) {
    let e = load<u32>(index + (<usize>b << 2));
    if (e == 0) break;
    if ((e & ~mask) == tag) {
      let found = <i32>(e & mask) - 1;
      if (load<u64>(slotAt(body, found) + SLOT_KEY) == bits) return ~found;
    }
    b = (b + 1) & mask;
    assert(++probes <= mask, "insertNumber: the index has no empty bucket");
  }
  if (get(t, H_USED) == capacity) return NEEDS_ROOM;
  let slot = allocSlot(t, body);
  let p = slotAt(body, slot);
  store<u64>(p + SLOT_KEY, bits);
  store<i32>(p + SLOT_GEN, gen);
  append(t, body, slot, NUMERIC_BIT);
  store<u32>(index + (<usize>b << 2), bucketEntry(h, mask, slot));
  put(t, H_NUMERIC, get(t, H_NUMERIC) + 1);
  return slot;
}

/** Takes a slot for a key the TypeScript side indexes (any key that is not a number). */
export function insertOther(t: usize, gen: i32): i32 {
  let capacity = get(t, H_CAPACITY);
  if (get(t, H_USED) == capacity) return NEEDS_ROOM;
  let body = <usize>get(t, H_BODY);
  let slot = allocSlot(t, body);
  let p = slotAt(body, slot);
  store<u64>(p + SLOT_KEY, 0);
  store<i32>(p + SLOT_GEN, gen);
  append(t, body, slot, 0);
  return slot;
}

/**
 * Removes a used slot: a HOLE in the order log (positions never shift outside `compact`, so open
 * iterators keep their place), out of the index, onto the free list. False for a slot not in use.
 */
export function remove(t: usize, slot: i32): bool {
  if (!isUsed(t, slot)) return false;
  let body = <usize>get(t, H_BODY);
  let capacity = get(t, H_CAPACITY);
  let link = load<i32>(slotAt(body, slot) + SLOT_LINK);
  store<i32>(orderOf(body, capacity) + (<usize>(link & POS_MASK) << 2), HOLE);
  put(t, H_LIVE, get(t, H_LIVE) - 1);
  if (link & NUMERIC_BIT) {
    eraseFromIndex(body, indexOf(body, capacity), <u32>get(t, H_BUCKETS) - 1, slot);
    put(t, H_NUMERIC, get(t, H_NUMERIC) - 1);
  }
  freeSlot(t, body, slot);
  return true;
}

/** The index bucket that holds the number slot `slot` (which must be in the index). */
function bucketOf(body: usize, index: usize, mask: u32, slot: i32): u32 {
  let h = hashBits(load<u64>(slotAt(body, slot) + SLOT_KEY));
  let entry = bucketEntry(h, mask, slot);
  let b = h & mask;
  let probes: u32 = 0;
  while (load<u32>(index + (<usize>b << 2)) != entry) {
    b = (b + 1) & mask;
    assert(++probes <= mask, "bucketOf: the slot is not in the index");
  }
  return b;
}

/**
 * Backward-shift deletion (linear probing needs no tombstones): after emptying bucket i, walk the
 * run that follows and pull back each entry whose home bucket is not cyclically in (i, j], so every
 * key stays reachable from its home without crossing an empty bucket.
 */
function eraseFromIndex(body: usize, index: usize, mask: u32, slot: i32): void {
  let b = bucketOf(body, index, mask, slot);
  let i = b;
  let j = b;
  while (true) {
    j = (j + 1) & mask;
    let e = load<u32>(index + (<usize>j << 2));
    if (e == 0) break;
    let k = hashBits(load<u64>(slotAt(body, <i32>(e & mask) - 1) + SLOT_KEY)) & mask;
    let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
    if (stays) continue;
    store<u32>(index + (<usize>i << 2), e);
    i = j;
  }
  store<u32>(index + (<usize>i << 2), 0);
}

/**
 * Batch reaping: `list` holds `n` (slot, gen) pairs from collection notices. Each pair whose slot is
 * still used *and* still carries that generation is removed; a pair for a slot since deleted,
 * overwritten or reused carries an older generation and is skipped. The removed slots are written
 * back to the front of `list`; returns how many. Called once per batch of notices.
 */
export function reap(t: usize, list: usize, n: i32): i32 {
  let removed = 0;
  for (let i = 0; i < n; i++) {
    let slot = load<i32>(list + (<usize>i << 3));
    let gen = load<i32>(list + (<usize>i << 3) + 4);
    if (isUsed(t, slot) && genOf(t, slot) == gen) {
      remove(t, slot);
      store<i32>(list + (<usize>removed << 2), slot);
      removed++;
    }
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------
// Compact, shrink, grow

/**
 * Squeezes the HOLEs out of the order log in one pass, keeping insertion order and updating each
 * moved slot's position; takes the free slots off the list, so that new entries fill the lowest
 * slots and high ones drain away (compaction never renames a slot; `relocate` does, on request);
 * then, when at most a quarter full, shrinks the body to the smallest power of two that holds
 * twice the entries and every used slot. With no holes it only tries to shrink (after a batch
 * reserved room it did not use). O(USED), never O(SLOT_HIGH); never allocates (shrinking
 * reallocates in place). Returns how many holes it removed.
 */
export function compact(t: usize): i32 {
  if (t == EMPTY_TABLE) return 0;
  let used = get(t, H_USED);
  let live = get(t, H_LIVE);
  let holes = used - live;
  if (holes == 0) {
    shrink(t);
    return 0;
  }
  let body = <usize>get(t, H_BODY);
  let capacity = get(t, H_CAPACITY);
  let order = orderOf(body, capacity);
  let w = 0;
  for (let r = 0; r < used; r++) {
    let slot = load<i32>(order + (<usize>r << 2));
    if (slot == HOLE) continue;
    if (r != w) {
      store<i32>(order + (<usize>w << 2), slot);
      let p = slotAt(body, slot) + SLOT_LINK;
      store<i32>(p, w | (load<i32>(p) & NUMERIC_BIT));
    }
    w++;
  }
  put(t, H_USED, live);
  unlistFreeSlots(t, body);
  shrink(t);
  return holes;
}

/** Needs no holes in the order log and no listed free slots (compaction leaves neither). */
function shrink(t: usize): void {
  let capacity = get(t, H_CAPACITY);
  let live = get(t, H_LIVE);
  if (capacity <= MIN_CAPACITY || live * SHRINK_D > capacity * SHRINK_N) return;
  if (get(t, H_FREE_SLOT) != NONE || get(t, H_USED) != live) return;
  let body = <usize>get(t, H_BODY);
  let order = orderOf(body, capacity);
  // Shrinking never renames slots (`relocate` does, first), so the new capacity covers the highest used slot.
  let highest = highestUsed(order, live);
  let newCapacity = shrunkCapacity(live);
  while (newCapacity <= highest) newCapacity <<= 1;
  if (newCapacity >= capacity) return;

  // Free slots at or above the new capacity are simply gone: none of them is listed.
  put(t, H_SLOT_HIGH, min(get(t, H_SLOT_HIGH), newCapacity));
  put(t, H_FREE_SCAN, 0);

  memory.copy(orderOf(body, newCapacity), order, <usize>live * ORDER_SIZE);
  let buckets = get(t, H_BUCKETS) == 0 ? 0 : newCapacity * BUCKETS_PER_ENTRY;
  put(t, H_CAPACITY, newCapacity);
  put(t, H_BUCKETS, buckets);
  if (buckets) rebuildIndex(t, body, newCapacity, buckets);
  let moved = heap.realloc(body, bodySize(newCapacity, buckets));
  assert(moved == body, "shrinking reallocates in place");
}

/**
 * Renames used slots so that a table whose entries sit in high slots can shrink. `list` holds `n`
 * used slots (i32 each, at stride 8 like `reap`'s pairs); each moves to the lowest free slot below
 * `limit`, keeping its key, generation and order position, and its index bucket follows it. The
 * new slot is written at `list + 8*i + 4`, or -1 when the slot was not used or no free slot is
 * left below `limit`. Returns how many moved. Precondition: no listed free slots (right after
 * `compact`, which takes every free slot off the list); the free scan then hands out the lowest
 * unlisted free slots, and a vacated slot is left unlisted at or above it, so the invariants hold.
 * The caller (the TypeScript store) renames everything it keeps by slot, then calls `compact`,
 * which shrinks. O(n) plus the scan, which only moves up. Never allocates.
 */
export function relocate(t: usize, list: usize, n: i32, limit: i32): i32 {
  let moved = 0;
  if (get(t, H_FREE_SLOT) != NONE) {
    for (let i = 0; i < n; i++) store<i32>(list + (<usize>i << 3) + 4, NONE);
    return 0;
  }
  let body = <usize>get(t, H_BODY);
  let capacity = get(t, H_CAPACITY);
  let order = orderOf(body, capacity);
  let high = min(get(t, H_SLOT_HIGH), limit);
  let scan = get(t, H_FREE_SCAN);
  for (let i = 0; i < n; i++) {
    let from = load<i32>(list + (<usize>i << 3));
    let to = NONE;
    if (from >= limit && isUsed(t, from)) {
      while (scan < high && (load<i32>(slotAt(body, scan) + SLOT_LINK) & FREE_BIT) == 0) scan++;
      if (scan < high) to = scan++;
    }
    store<i32>(list + (<usize>i << 3) + 4, to);
    if (to == NONE) continue;
    let src = slotAt(body, from);
    let dst = slotAt(body, to);
    let link = load<i32>(src + SLOT_LINK);
    memory.copy(dst, src, SLOT_SIZE);
    store<i32>(order + (<usize>(link & POS_MASK) << 2), to);
    if (link & NUMERIC_BIT) {
      let index = indexOf(body, capacity);
      let mask = <u32>get(t, H_BUCKETS) - 1;
      let b = bucketOf(body, index, mask, from);
      let at = index + (<usize>b << 2);
      store<u32>(at, (load<u32>(at) & ~mask) | <u32>(to + 1)); // the tag is the key's: it stays
    }
    store<i32>(src + SLOT_LINK, FREE_BIT); // free and unlisted, above the scan
    moved++;
  }
  put(t, H_FREE_SCAN, scan);
  return moved;
}

/** The capacity a shrink aims at for `live` entries: the smallest power of two holding twice them. */
function shrunkCapacity(live: i32): i32 {
  let target = max(MIN_CAPACITY, live * 2);
  let capacity = MIN_CAPACITY;
  while (capacity < target) capacity <<= 1;
  return capacity;
}

/** The highest slot named by the first `live` positions of a hole-free order log, or -1. */
function highestUsed(order: usize, live: i32): i32 {
  let highest = -1;
  for (let pos = 0; pos < live; pos++) highest = max(highest, load<i32>(order + (<usize>pos << 2)));
  return highest;
}

/**
 * After a compaction: the capacity this table would shrink to if used slots at or above it did
 * not block the shrink (pass it to `relocate` as the limit), or 0 when nothing blocks a shrink or
 * none is due. O(USED).
 */
export function relocationLimit(t: usize): i32 {
  let capacity = get(t, H_CAPACITY);
  let live = get(t, H_LIVE);
  if (capacity <= MIN_CAPACITY || live * SHRINK_D > capacity * SHRINK_N) return 0;
  if (get(t, H_FREE_SLOT) != NONE || get(t, H_USED) != live) return 0;
  let target = shrunkCapacity(live);
  if (target >= capacity) return 0;
  let body = <usize>get(t, H_BODY);
  return highestUsed(orderOf(body, capacity), live) >= target ? target : 0;
}

/** Refills the index from the order log (after a resize changed the bucket count). */
function rebuildIndex(t: usize, body: usize, capacity: i32, buckets: i32): void {
  let index = indexOf(body, capacity);
  memory.fill(index, 0, <usize>buckets * BUCKET_SIZE);
  let mask = <u32>buckets - 1;
  let order = orderOf(body, capacity);
  let used = get(t, H_USED);
  for (let pos = 0; pos < used; pos++) {
    let slot = load<i32>(order + (<usize>pos << 2));
    if (slot == HOLE) continue;
    let p = slotAt(body, slot);
    if ((load<i32>(p + SLOT_LINK) & NUMERIC_BIT) == 0) continue;
    let h = hashBits(load<u64>(p + SLOT_KEY));
    let b = h & mask;
    while (load<u32>(index + (<usize>b << 2)) != 0) b = (b + 1) & mask;
    store<u32>(index + (<usize>b << 2), bucketEntry(h, mask, slot));
  }
}

/**
 * Whether the allocation at `payload` is the last block in memory (only free space, if anything,
 * between it and the end). Reads the block layout of AssemblyScript's allocator (~lib/rt/tlsf.ts):
 * a 4-byte header holding the block's size and two tag bits before each payload, blocks end to
 * end, and a tail sentinel 4 bytes before the end of memory. Only decides how `grow` grows: a
 * wrong answer costs memory, never correctness.
 */
function isLastBlock(payload: usize): bool {
  let block = payload - 4;
  let right = block + 4 + (load<u32>(block) & ~3);
  let end = (<usize>memory.size() << 16) - 4;
  if (right == end) return true;
  if ((load<u32>(right) & 1) == 0) return false; // a used block follows
  return right + 4 + (load<u32>(right) & ~3) == end;
}

/**
 * Makes room for `extra` (at least one) more order positions: the smallest power of two, at least
 * the current capacity and MIN_CAPACITY, that holds USED + extra (so a full table doubles, and a
 * batch insert reserves all its room at once), and adds the index when `withIndex` and there is
 * none. The new body is allocated before anything changes, so a failed allocation (a trap) leaves
 * the table as it was. Returns the new capacity, or -1 when it would pass MAX_CAPACITY. `room`
 * says when to call it (compaction first when holes are worth reclaiming).
 */
export function grow(t: usize, withIndex: bool, extra: i32): i32 {
  let capacity = get(t, H_CAPACITY);
  let used = get(t, H_USED);
  let buckets = get(t, H_BUCKETS);
  if (extra < 1) extra = 1;
  if (extra > MAX_CAPACITY - used) return -1;
  let needed = used + extra;
  let newCapacity = max(capacity, MIN_CAPACITY);
  while (newCapacity < needed) newCapacity <<= 1;
  let newBuckets = buckets != 0 || withIndex ? newCapacity * BUCKETS_PER_ENTRY : 0;
  let newSize = bodySize(newCapacity, newBuckets);
  let body = <usize>get(t, H_BODY);
  let newBody: usize;
  if (body && isLastBlock(body)) {
    // Grow in place: the body is the last block in memory, so a block as large as the growth,
    // allocated and freed at once, makes the allocator grow memory right after it, and `realloc`
    // then merges that instead of copying the body elsewhere. Memory holds the new body once
    // instead of the old and the new side by side (at 10^6 entries: 34 instead of 67 bytes of
    // WebAssembly memory per entry). Should the allocator place the block elsewhere, `realloc`
    // moves the body, as the other branch does. Either call may trap when memory cannot grow,
    // before anything of the table changed.
    heap.free(heap.alloc(newSize - bodySize(capacity, buckets)));
    newBody = heap.realloc(body, newSize);
    // The slot records stay where they were; the order log moves up to its new offset (the two
    // ranges may overlap: memory.copy is a memmove); the index is rebuilt below.
    memory.copy(orderOf(newBody, newCapacity), orderOf(newBody, capacity), <usize>used * ORDER_SIZE);
  } else if (body) {
    newBody = heap.alloc(newSize); // may trap: nothing changed yet
    memory.copy(newBody, body, <usize>get(t, H_SLOT_HIGH) * SLOT_SIZE);
    memory.copy(orderOf(newBody, newCapacity), orderOf(body, capacity), <usize>used * ORDER_SIZE);
    heap.free(body);
  } else {
    newBody = heap.alloc(newSize); // may trap: nothing changed yet
  }
  put(t, H_BODY, <i32>newBody);
  put(t, H_CAPACITY, newCapacity);
  put(t, H_BUCKETS, newBuckets);
  if (newBuckets) rebuildIndex(t, newBody, newCapacity, newBuckets);
  return newCapacity;
}

// ---------------------------------------------------------------------------------------------
// Room policy: when to compact and when to grow (layout.ts holds the numbers)

/**
 * What must happen before `extra` (at least one) more inserts fit, with the index when
 * `withIndex`: ROOM_FITS, ROOM_COMPACT (then ask again) or ROOM_GROW. Compaction costs O(USED), so
 * it is chosen only when it reclaims at least a quarter of the capacity: that keeps it amortized
 * O(1) per insert, where compacting for a few holes in a full table would cost O(n) per insert.
 * A caller whose growth failed for want of memory may still compact (see WasmTable).
 */
export function room(t: usize, extra: i32, withIndex: bool): i32 {
  let capacity = get(t, H_CAPACITY);
  let used = get(t, H_USED);
  if (extra < 1) extra = 1;
  if (t != EMPTY_TABLE && capacity - used >= extra && (!withIndex || get(t, H_BUCKETS) != 0)) return ROOM_FITS;
  let holes = used - get(t, H_LIVE);
  if (holes > 0 && holes * COMPACT_HOLES_D >= capacity * COMPACT_HOLES_N) return ROOM_COMPACT;
  return ROOM_GROW;
}

/**
 * Whether removals left the order log sparse enough to compact now: more holes than entries
 * (so compaction is paid for by the removals, and iteration never scans more holes than entries),
 * and more than SPARSE_MIN_HOLES of them so small tables do not compact on every other delete. An
 * emptied table always compacts, which lets it shrink back to its minimum.
 */
export function compactDue(t: usize): bool {
  let live = get(t, H_LIVE);
  let holes = get(t, H_USED) - live;
  return holes > live && (holes > SPARSE_MIN_HOLES || live == 0);
}

// ---------------------------------------------------------------------------------------------
// Invariants

/**
 * Walks every invariant and returns 0, or the number of the first one broken. Tests call it after
 * every step; it is O(capacity).
 *   1 counts out of range          2 a bucket count that is not 0 or BUCKETS_PER_ENTRY * capacity
 *   3 an order entry names a slot that is not used, or whose link points elsewhere
 *   4 LIVE differs from the order log      5 NUMERIC differs from the order log
 *   6 a number key is not found at its own slot through the index
 *   7 the index holds a bucket for a slot that is not a used number slot, or whose tag is not
 *     its key's hash bits above the mask, or the wrong count of filled buckets
 *   8 the listed and unlisted free slots are not exactly the unused slots below SLOT_HIGH, or an
 *     unlisted free slot lies below FREE_SCAN
 */
export function check(t: usize): i32 {
  let capacity = get(t, H_CAPACITY);
  let used = get(t, H_USED);
  let live = get(t, H_LIVE);
  let numeric = get(t, H_NUMERIC);
  let slotHigh = get(t, H_SLOT_HIGH);
  let buckets = get(t, H_BUCKETS);
  if (!(0 <= live && live <= used && used <= capacity && numeric <= live && slotHigh <= capacity)) return 1;
  if (capacity > MAX_CAPACITY) return 1;
  if (buckets != 0 && buckets != capacity * BUCKETS_PER_ENTRY) return 2;
  if (capacity == 0) return live == 0 && get(t, H_FREE_SLOT) == NONE ? 0 : 1;
  let body = <usize>get(t, H_BODY);
  let order = orderOf(body, capacity);
  let seenLive = 0;
  let seenNumeric = 0;
  for (let pos = 0; pos < used; pos++) {
    let slot = load<i32>(order + (<usize>pos << 2));
    if (slot == HOLE) continue;
    if (slot < 0 || slot >= slotHigh) return 3;
    let link = load<i32>(slotAt(body, slot) + SLOT_LINK);
    if ((link & FREE_BIT) != 0 || (link & POS_MASK) != pos) return 3;
    seenLive++;
    if (link & NUMERIC_BIT) {
      seenNumeric++;
      if (find(t, load<f64>(slotAt(body, slot) + SLOT_KEY)) != slot) return 6;
    }
  }
  if (seenLive != live) return 4;
  if (seenNumeric != numeric) return 5;
  if (buckets == 0 && numeric != 0) return 7;
  if (buckets != 0) {
    let index = indexOf(body, capacity);
    let mask = <u32>buckets - 1;
    let filled = 0;
    for (let b = 0; b < buckets; b++) {
      let e = load<u32>(index + (<usize>b << 2));
      if (e == 0) continue;
      filled++;
      let owner = <i32>(e & mask) - 1;
      if (owner < 0 || owner >= slotHigh) return 7;
      let link = load<i32>(slotAt(body, owner) + SLOT_LINK);
      if ((link & FREE_BIT) != 0 || (link & NUMERIC_BIT) == 0) return 7;
      if (e != bucketEntry(hashBits(load<u64>(slotAt(body, owner) + SLOT_KEY)), mask, owner)) return 7;
    }
    if (filled != numeric) return 7;
  }
  let listed = 0;
  let s = get(t, H_FREE_SLOT);
  while (s != NONE) {
    if (s < 0 || s >= slotHigh || listed > slotHigh) return 8;
    let link = load<i32>(slotAt(body, s) + SLOT_LINK);
    if ((link & (FREE_BIT | LISTED_BIT)) != (FREE_BIT | LISTED_BIT)) return 8;
    listed++;
    let next = link & POS_MASK;
    s = next == POS_MASK ? NONE : next;
  }
  let scan = get(t, H_FREE_SCAN);
  if (scan < 0 || scan > slotHigh + 1) return 8;
  let unlisted = 0;
  for (let slot = 0; slot < slotHigh; slot++) {
    let link = load<i32>(slotAt(body, slot) + SLOT_LINK);
    if ((link & (FREE_BIT | LISTED_BIT)) != FREE_BIT) continue;
    if (slot < scan) return 8;
    unlisted++;
  }
  if (listed + unlisted != slotHigh - live) return 8;
  return 0;
}
