// Memory layout of one table. The single source of these numbers: assembly/ compiles this file as
// AssemblyScript and src/ imports it as TypeScript, so it uses only what both languages accept
// (untyped integer constants, which AssemblyScript reads as i32).
//
// A table is a fixed header plus one body block, both from the module's allocator (TLSF):
//
//   header (HEADER_SIZE bytes, never moves while the table lives)
//   +------+----------+---------+------+------+-----------+-----------+---------+-----------+
//   | BODY | CAPACITY | BUCKETS | USED | LIVE | FREE_SLOT | SLOT_HIGH | NUMERIC | FREE_SCAN |  i32 each
//   +------+----------+---------+------+------+-----------+-----------+---------+-----------+
//
//   body (one allocation, so growing is all-or-nothing; replaced wholesale on grow)
//   +------------------------------+---------------------------+------------------------+
//   | slots: CAPACITY x SLOT_SIZE  | order: CAPACITY x i32     | index: BUCKETS x i32   |
//   +------------------------------+---------------------------+------------------------+
//
//   slot (SLOT_SIZE bytes): key f64 @SLOT_KEY | gen i32 @SLOT_GEN | link i32 @SLOT_LINK
//     link of a used slot: its order position, plus NUMERIC_BIT when the key lives in the index
//     link of a free slot: FREE_BIT, plus LISTED_BIT | next free slot (POS_MASK ends the list) while
//     it is on the free list. Compaction takes every slot off the list at once (clears LISTED_BIT on
//     the few that are on it); from then on FREE_SCAN walks up from slot 0 and hands out the lowest
//     unlisted free slot first, so that high slots drain and the table can shrink, without a sort
//     that would cost O(SLOT_HIGH) per compaction. Every free slot below FREE_SCAN is listed.
//   order: slot numbers in insertion order; HOLE where an entry was removed (until compaction)
//   index: open addressing, linear probing, backward-shift deletion; 0 = empty, else slot + 1 in
//     the bits of BUCKETS - 1 and, above them, the same bits of the key's hash (a tag that lets a
//     probe pass other keys' buckets without reading their slot records). Present only once a
//     number key has been inserted (BUCKETS = 0 before that; then BUCKETS = 2 x CAPACITY).

export const H_BODY = 0;
export const H_CAPACITY = 4;
export const H_BUCKETS = 8;
export const H_USED = 12;
export const H_LIVE = 16;
export const H_FREE_SLOT = 20;
export const H_SLOT_HIGH = 24;
export const H_NUMERIC = 28;
export const H_FREE_SCAN = 32;
export const HEADER_SIZE = 36;

export const SLOT_KEY = 0;
export const SLOT_GEN = 8;
export const SLOT_LINK = 12;
export const SLOT_SIZE = 16;
export const ORDER_SIZE = 4;
export const BUCKET_SIZE = 4;

export const FREE_BIT = 0x40000000;
/** On a used slot's link: its key is a number, in the index. */
export const NUMERIC_BIT = 0x20000000;
/** On a free slot's link: the slot is on the free list (the same bit: a slot is never both). */
export const LISTED_BIT = 0x20000000;
export const POS_MASK = 0x1fffffff;

/** Order-log marker for a removed entry; also ends the free-slot list. */
export const HOLE = -1;
export const NONE = -1;
/** `tbl_slot_at` past the last used position. */
export const END = -2;
/** `tbl_insert_*` when the body is full or has no index yet: call `tbl_compact`/`tbl_grow`, then retry. */
export const NEEDS_ROOM = -2147483648;

export const MIN_CAPACITY = 8;

// The room policy, the one place it is written (table.ts `room` and `compactDue` apply it; both
// backends run that code, and the TypeScript side only follows the answer).
/** `tbl_room`: the table has room; `ROOM_COMPACT`: compact, then ask again; `ROOM_GROW`: call `tbl_grow`. */
export const ROOM_FITS = 0;
export const ROOM_COMPACT = 1;
export const ROOM_GROW = 2;
/** An insert that finds no room compacts first when holes are at least this fraction of the capacity. */
export const COMPACT_HOLES_N = 1;
export const COMPACT_HOLES_D = 4;
/** After removals, compaction is due when holes outnumber live entries and are more than this many. */
export const SPARSE_MIN_HOLES = 16;
/** Compaction shrinks a table at most this fraction full (SHRINK_N/SHRINK_D) to twice its entries. */
export const SHRINK_N = 1;
export const SHRINK_D = 4;
/** Buckets per entry of capacity: the index is at most half full, so probes stay short. */
export const BUCKETS_PER_ENTRY = 2;
/** Largest capacity: positions must fit POS_MASK, and one body must stay under TLSF's 1 GiB block limit. */
export const MAX_CAPACITY = 1 << 25;
