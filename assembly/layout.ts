// Memory layout of one table. The single source of these numbers: assembly/ compiles this file as
// AssemblyScript and src/ imports it as TypeScript, so it uses only what both languages accept
// (untyped integer constants, which AssemblyScript reads as i32).
//
// A table is a fixed header plus one body block, both from the module's allocator (TLSF):
//
//   header (HEADER_SIZE bytes, never moves while the table lives)
//   +--------+----------+---------+------+------+-----------+-----------+---------+
//   | BODY   | CAPACITY | BUCKETS | USED | LIVE | FREE_SLOT | SLOT_HIGH | NUMERIC |   i32 each
//   +--------+----------+---------+------+------+-----------+-----------+---------+
//
//   body (one allocation, so growing is all-or-nothing; replaced wholesale on grow)
//   +------------------------------+---------------------------+------------------------+
//   | slots: CAPACITY x SLOT_SIZE  | order: CAPACITY x i32     | index: BUCKETS x i32   |
//   +------------------------------+---------------------------+------------------------+
//
//   slot (SLOT_SIZE bytes): key f64 @SLOT_KEY | gen i32 @SLOT_GEN | link i32 @SLOT_LINK
//     link of a used slot: its order position, plus NUMERIC_BIT when the key lives in the index
//     link of a free slot: FREE_BIT | next free slot (NONE ends the list)
//   order: slot numbers in insertion order; HOLE where an entry was removed (until compaction)
//   index: open addressing, linear probing, backward-shift deletion; 0 = empty, else slot + 1.
//     Present only once a number key has been inserted (BUCKETS = 0 before that).

export const H_BODY = 0;
export const H_CAPACITY = 4;
export const H_BUCKETS = 8;
export const H_USED = 12;
export const H_LIVE = 16;
export const H_FREE_SLOT = 20;
export const H_SLOT_HIGH = 24;
export const H_NUMERIC = 28;
export const HEADER_SIZE = 32;

export const SLOT_KEY = 0;
export const SLOT_GEN = 8;
export const SLOT_LINK = 12;
export const SLOT_SIZE = 16;
export const ORDER_SIZE = 4;
export const BUCKET_SIZE = 4;

export const FREE_BIT = 0x40000000;
export const NUMERIC_BIT = 0x20000000;
export const POS_MASK = 0x1fffffff;

/** Order-log marker for a removed entry; also ends the free-slot list. */
export const HOLE = -1;
export const NONE = -1;
/** `tbl_slot_at` past the last used position. */
export const END = -2;
/** `tbl_insert_*` when the body is full or has no index yet: call `tbl_compact`/`tbl_grow`, then retry. */
export const NEEDS_ROOM = -2147483648;

export const MIN_CAPACITY = 8;
/** Buckets per entry of capacity: the index is at most half full, so probes stay short. */
export const BUCKETS_PER_ENTRY = 2;
/** Largest capacity: positions must fit POS_MASK, and one body must stay under TLSF's 1 GiB block limit. */
export const MAX_CAPACITY = 1 << 25;
