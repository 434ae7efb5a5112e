// Canonical number keys and their hashes.
//
// Keys compare by SameValueZero, like Map keys: -0 is 0 and every NaN is one NaN. Canonicalizing
// first lets the table compare raw bits (one i64 compare, no NaN special case) and hash raw bits.
// (AssemblyScript's own util/hash.ts hashes raw float bits, which is not SameValueZero.)

/** The canonical bits of a number key: +0 for -0, the one quiet NaN for every NaN. */
// @ts-ignore: decorator
@inline export function canonicalBits(key: f64): u64 {
  if (key == 0) return 0;
  if (key != key) return reinterpret<u64>(NaN);
  return reinterpret<u64>(key);
}

/**
 * The realm's hash secret, set once by `tbl_init` from the JS side's random source. Without it,
 * inverting the final mix makes thousands of keys with one hash in milliseconds, and a table fed
 * untrusted number keys degrades to linear scans (a test does exactly that).
 */
let seed: u32 = 0;

export function setSeed(value: u32): void {
  seed = value;
}

// @ts-ignore: decorator
@inline function fmix32(h: u32): u32 {
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

/**
 * 32-bit hash of canonical key bits: the high half goes through a keyed mix (murmur3's fmix32 is a
 * bijection, so distinct high halves stay distinct, and which keys collide depends on the secret),
 * is folded into the low half, and the result is mixed again so that sequential keys spread over
 * the low bits the bucket mask keeps. Integer keys below 2^20 have a zero low half and distinct high
 * halves, so they never collide.
 */
// @ts-ignore: decorator
@inline export function hashBits(bits: u64): u32 {
  return fmix32(<u32>bits ^ fmix32(<u32>(bits >>> 32) ^ seed));
}
