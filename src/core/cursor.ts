// Iteration over a table's order log that survives deletes, inserts, collection and compaction.
//
// A cursor is a position in the order log plus the epoch that position belongs to. Deletes leave
// tombstones (positions never shift), inserts append, so between compactions a cursor just walks
// forward and skips tombstones. A compaction or clear ends the epoch; the cursor carries its
// position forward the first time it moves again (V8's OrderedHashTableIterator::Transition does
// the same). So a cursor never blocks compaction and never skips or repeats a live entry: a JS
// iterator can be dropped without `return()`, so nothing may depend on it being closed.
//
// CursorLog is the one owner of this bookkeeping for a table: the table only tells it "a
// compaction kept these positions" or "a clear kept none", and cursors ask it for the current
// epoch. Open cursors are counted so that the table skips recording when nobody needs it; an
// abandoned cursor only keeps that recording on.
//
// Why the record is bounded: an ended epoch records the positions whose entries survived (not the
// ones removed), and when a later epoch ends, every ended epoch that a cursor may still be on is
// rewritten to map straight to the new current epoch (its kept positions filtered through the new
// ones). So a paused cursor holds one record, never a chain, of at most as many positions as the
// table had entries at the last compaction; a cursor paused while millions of entries come and go
// costs memory in proportion to the live entries, as with a Map.

import { END, HOLE, type Slot, type Table } from "./table.js";

/** One period between compactions; `kept` and `next` are set when it ends. */
class Epoch {
  /** The positions of this epoch whose entries are now at positions 0, 1, ... of `next`, ascending. */
  kept: Int32Array | undefined = undefined;
  next: Epoch | undefined = undefined;
  /** Whether a cursor was ever on this epoch (only such epochs are worth rewriting later). */
  visited = false;

  /** Where position `pos` of this ended epoch is in `next`: how many kept positions lie before it. */
  carry(pos: number): number {
    const kept = this.kept!;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (kept[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const NOTHING_KEPT = new Int32Array(0);

export class CursorLog {
  #open = 0;
  #current: Epoch | undefined;
  /** Ended epochs a cursor was on, each already mapping straight to the current epoch. */
  #ended: Array<WeakRef<Epoch>> = [];

  /** Whether compactions must report what they kept (some cursor is not finished). */
  get recording(): boolean {
    return this.#open > 0;
  }

  /** For tests: positions recorded in ended epochs still reachable (bounded however many compactions). */
  get recordedPositions(): number {
    let n = 0;
    for (const ref of this.#ended) n += ref.deref()?.kept?.length ?? 0;
    return n;
  }

  current(): Epoch {
    return (this.#current ??= new Epoch());
  }

  opened(): void {
    this.#open++;
  }

  finished(): void {
    this.#open--;
  }

  /** A compaction of the current epoch kept the entries at `kept` (ascending), in that order. */
  compacted(kept: Int32Array): void {
    const ending = this.current();
    const next = new Epoch();
    const alive: Array<WeakRef<Epoch>> = [];
    for (const ref of this.#ended) {
      const epoch = ref.deref();
      if (epoch === undefined) continue;
      const old = epoch.kept!;
      // old[q] (a position of `epoch`) is at position q now; it survives iff q is kept.
      let n = 0;
      while (n < kept.length && kept[n]! < old.length) n++;
      const composed = new Int32Array(n);
      for (let i = 0; i < n; i++) composed[i] = old[kept[i]!]!;
      epoch.kept = composed;
      epoch.next = next;
      alive.push(ref);
    }
    ending.kept = kept;
    ending.next = next;
    if (ending.visited) alive.push(new WeakRef(ending));
    this.#ended = alive;
    this.#current = next;
  }

  /** A clear: no position carries over. */
  cleared(): void {
    this.compacted(NOTHING_KEPT);
  }
}

export class Cursor {
  readonly #table: Table;
  #epoch: Epoch;
  #pos = 0;
  #done = false;

  constructor(table: Table) {
    this.#table = table;
    const log = table.cursors;
    this.#epoch = log.current();
    this.#epoch.visited = true;
    log.opened();
  }

  /** The next used slot in insertion order, or -1 once the end is reached (then always -1). */
  next(): Slot | -1 {
    if (this.#done) return -1;
    let epoch = this.#epoch;
    if (epoch.next !== undefined) {
      // Every ended epoch a cursor was on maps straight to the current one (see CursorLog).
      let pos = this.#pos;
      while (epoch.next !== undefined) {
        pos = epoch.carry(pos);
        epoch = epoch.next;
      }
      epoch.visited = true;
      this.#epoch = epoch;
      this.#pos = pos;
    }
    const table = this.#table;
    for (;;) {
      const slot = table.slotAt(this.#pos);
      if (slot === END) {
        this.close();
        return -1;
      }
      this.#pos++;
      if (slot !== HOLE) return slot as Slot;
    }
  }

  close(): void {
    if (this.#done) return;
    this.#done = true;
    this.#table.cursors.finished();
  }
}

/** `read` returns this to pass over a slot (its referent is dead). */
export const SKIP: unique symbol = Symbol("skip");

// %IteratorPrototype%, so that iterator helpers (`.map`, `.toArray`, ...) work where the engine has them.
const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;

/** A Map-style iterator over a cursor: `read` turns a slot into the value to yield, or SKIP. */
export class SlotIterator<T> implements IterableIterator<T> {
  readonly #cursor: Cursor;
  readonly #read: (slot: Slot) => T | typeof SKIP;
  readonly #tag: string;

  constructor(table: Table, read: (slot: Slot) => T | typeof SKIP, tag: string) {
    this.#cursor = new Cursor(table);
    this.#read = read;
    this.#tag = tag;
  }

  next(): IteratorResult<T> {
    for (;;) {
      const slot = this.#cursor.next();
      if (slot === -1) return { done: true, value: undefined };
      const value = this.#read(slot);
      if (value !== SKIP) return { done: false, value };
    }
  }

  return(value?: unknown): IteratorResult<T> {
    this.#cursor.close();
    return { done: true, value: value as T };
  }

  [Symbol.iterator](): this {
    return this;
  }

  get [Symbol.toStringTag](): string {
    return this.#tag;
  }
}
Object.setPrototypeOf(SlotIterator.prototype, IteratorPrototype);
