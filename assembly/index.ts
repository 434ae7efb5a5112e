// The ABI: flat `tbl_*` exports, numbers in and numbers out; src/wasm/instance.ts is the only caller.
// A table is named by the address of its header. Functions marked "allocates" may grow memory
// (the caller refreshes its views) and may trap when memory cannot grow (the table is unchanged).

import * as table from "./table";
import { setSeed } from "./hash";
import { EMPTY_TABLE } from "./table";

/** Pairs of i32 (slot, gen) that fit in the scratch area `tbl_reap` reads. */
export const SCRATCH_PAIRS: i32 = 4096;
const scratch = memory.data(SCRATCH_PAIRS * 8);

/** Once, right after instantiation: the realm's hash secret (see hash.ts). */
export function tbl_init(seed: u32): void { setSeed(seed); }

/** Address of the scratch area: the JS side writes batches of collection notices here. */
export function tbl_scratch(): usize { return scratch; }
/** The shared header of every empty container. */
export function tbl_empty(): usize { return EMPTY_TABLE; }

/** Allocates. Once per container, on its first insert. */
export function tbl_new(): usize { return table.tableNew(); }
/** Once per container, after the container itself was collected (or on `clear` of an emptied one). */
export function tbl_free(t: usize): void { table.tableFree(t); }
/** On `clear()`. */
export function tbl_clear(t: usize): void { table.tableClear(t); }
export function tbl_bytes(t: usize): i32 { return table.tableBytes(t); }

/** Every `get`/`has`/`delete` with a number key. */
export function tbl_find(t: usize, key: f64): i32 { return table.find(t, key); }
/** Every `set` of a number key: slot, ~slot if present, or NEEDS_ROOM. */
export function tbl_insert_number(t: usize, key: f64, gen: i32): i32 { return table.insertNumber(t, key, gen); }
/** Every insert of a key that is not a number: slot, or NEEDS_ROOM. */
export function tbl_insert_other(t: usize, gen: i32): i32 { return table.insertOther(t, gen); }
/** `delete`, and overwrite paths; 1 if the slot was in use. */
export function tbl_remove(t: usize, slot: i32): i32 { return table.remove(t, slot) ? 1 : 0; }
/** Once per batch of collection notices (at most SCRATCH_PAIRS pairs in the scratch area). */
export function tbl_reap(t: usize, n: i32): i32 { return table.reap(t, scratch, min(n, SCRATCH_PAIRS)); }
/** After `tbl_compact`: the limit to pass `tbl_relocate` when high used slots block a shrink, else 0. */
export function tbl_relocation_limit(t: usize): i32 { return table.relocationLimit(t); }
/**
 * Before a shrink that high slots block: moves the used slots in the scratch area (at most
 * SCRATCH_PAIRS, stride 8) to the lowest free slots below `limit`; each new slot (or -1) is written
 * after its old one. Right after `tbl_compact` only. Never allocates.
 */
export function tbl_relocate(t: usize, n: i32, limit: i32): i32 { return table.relocate(t, scratch, min(n, SCRATCH_PAIRS), limit); }
/** When `tbl_compact_due` or `tbl_room` asks, and to give back room a batch did not use. Never allocates. */
export function tbl_compact(t: usize): i32 { return table.compact(t); }
/**
 * Allocates. When `tbl_room` answered ROOM_GROW: after an insert answered NEEDS_ROOM, and before a
 * batch insert (`extra` > 1) so that the batch cannot fail halfway.
 */
export function tbl_grow(t: usize, withIndex: i32, extra: i32): i32 { return table.grow(t, withIndex != 0, extra); }
/** Before growing: ROOM_FITS, ROOM_COMPACT or ROOM_GROW for `extra` more inserts (layout.ts). */
export function tbl_room(t: usize, extra: i32, withIndex: i32): i32 { return table.room(t, extra, withIndex != 0); }
/** After removals: 1 when the order log is sparse enough that `tbl_compact` should run now. */
export function tbl_compact_due(t: usize): i32 { return table.compactDue(t) ? 1 : 0; }

export function tbl_gen(t: usize, slot: i32): i32 { return table.genOf(t, slot); }
/** Overwrite of a live key: a new generation makes notices for the old value stale. */
export function tbl_set_gen(t: usize, slot: i32, gen: i32): void { table.setGen(t, slot, gen); }
export function tbl_key(t: usize, slot: i32): f64 { return table.keyOf(t, slot); }
export function tbl_is_used(t: usize, slot: i32): i32 { return table.isUsed(t, slot) ? 1 : 0; }
/** Iteration: the slot at an order position, HOLE, or END. */
export function tbl_slot_at(t: usize, pos: i32): i32 { return table.slotAtPosition(t, pos); }
/** Tests: 0 when every invariant holds, else the number of the first broken one. */
export function tbl_check(t: usize): i32 { return table.check(t); }
