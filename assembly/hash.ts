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
 * 32-bit hash of canonical key bits: fold the halves (multiplying by an odd constant is a bijection,
 * so integer keys below 2^20, whose low half is zero, never collide), then murmur3's fmix32 so that
 * sequential keys spread over the low bits the bucket mask keeps.
 */
// @ts-ignore: decorator
@inline export function hashBits(bits: u64): u32 {
  let h = <u32>bits ^ (<u32>(bits >>> 32) * 0x9e3779b1);
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}
