// Iteration over a table's order log that survives deletes, inserts, collection and compaction.
//
// A cursor is a position in the order log plus the epoch that position belongs to. Deletes leave
// tombstones (positions never shift), inserts append, so between compactions a cursor just walks
// forward and skips tombstones. A compaction or clear ends the epoch; the cursor carries its
// position forward the first time it moves again (V8's OrderedHashTableIterator::Transition does
// the same). So a cursor never blocks compaction and never skips or repeats a live entry: a JS
// iterator can be dropped without `return()`, so nothing may depend on it being closed.
// Open cursors are counted so that tables skip recording removed positions when nobody needs them;
// an abandoned cursor only keeps that recording on.

import { END, HOLE, carryPosition, type Epoch, type Slot, type Table } from "./table.js";

export class Cursor {
  readonly #table: Table;
  #epoch: Epoch;
  #pos = 0;
  #done = false;

  constructor(table: Table) {
    this.#table = table;
    this.#epoch = table.epoch;
    table.openCursors++;
  }

  /** The next used slot in insertion order, or -1 once the end is reached (then always -1). */
  next(): Slot | -1 {
    if (this.#done) return -1;
    let epoch = this.#epoch;
    if (epoch.next !== undefined) {
      let pos = this.#pos;
      while (epoch.next !== undefined) {
        pos = carryPosition(pos, epoch.removed!);
        epoch = epoch.next;
      }
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
    this.#table.openCursors--;
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
