// Issue 9 §4: the old JavaScript fallback indexed number keys with a Map, that is with the engine's
// unseeded integer hash, so int32 keys crafted to share that hash made every set a linear scan
// (128 us instead of 1.9 us, also under `node --jitless`). The fallback is now the table module
// itself, with its keyed hash (assembly/hash.ts), so the same keys spread out.
//
// No timing here: the test crafts the keys (and checks that they really all share V8's unseeded
// hash), inserts them, and reads the index out of the module's memory. The longest run of filled
// buckets bounds the probes of any lookup; keys that collided would make one run of all of them.
// A run of 400 at this load is astronomically unlikely for a keyed hash, so the bound cannot flake.

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BUCKET_SIZE, H_BODY, H_BUCKETS, H_CAPACITY, ORDER_SIZE, SLOT_SIZE } from "../../assembly/layout.js";
import type { Gen } from "../../src/core/table.js";
import { WasmTable } from "../../src/core/wasm-table.js";
import { TableModule } from "../../src/wasm/instance.js";
import { assertBuilt } from "../package/built.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const KEYS = 4096;
const RUN_BOUND = 400;

/** V8's ComputeUnseededHash (src/utils/utils.h), what its Map hashes a small-integer key with. */
function unseededHash(key: number): number {
  let h = key >>> 0;
  h = (~h + (h << 15)) >>> 0;
  h = (h ^ (h >>> 12)) >>> 0;
  h = (h + (h << 2)) >>> 0;
  h = (h ^ (h >>> 4)) >>> 0;
  h = Math.imul(h, 2057) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h & 0x3fffffff;
}

/** The inverse of `a` modulo 2^32 (a odd), by Newton's iteration. */
function inverse(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x;
}

function unxorshift(h: number, shift: number): number {
  let x = h;
  for (let i = 0; i < 32; i += shift) x = h ^ (x >>> shift);
  return x >>> 0;
}

/** An int32 whose unseeded hash is `h` (any 30-bit value): each step of the hash undone. */
function keyWithHash(h: number): number {
  let x = (h ^ (h >>> 16)) >>> 0;
  x = Math.imul(x, inverse(2057)) >>> 0;
  x = unxorshift(x, 4);
  x = Math.imul(x, inverse(5)) >>> 0;
  x = unxorshift(x, 12);
  x = Math.imul(x + 1, inverse(32767)) >>> 0;
  return x | 0;
}

/** KEYS int32 keys whose unseeded hashes agree in the low 16 bits: one bucket in any Map up to 2^16. */
function craftedKeys(): number[] {
  return Array.from({ length: KEYS }, (_, i) => keyWithHash(((i + 1) << 16) | 0x2b5d));
}

/** The longest cyclic run of filled buckets in a table's index, read from the module's memory. */
function longestRun(heap: Int32Array, t: number): { run: number; buckets: number } {
  const field = (offset: number) => heap[(t + offset) >>> 2]!;
  const capacity = field(H_CAPACITY);
  const buckets = field(H_BUCKETS);
  const index = (field(H_BODY) + capacity * (SLOT_SIZE + ORDER_SIZE)) >>> 2;
  expect(BUCKET_SIZE).toBe(4);
  let run = 0;
  let longest = 0;
  for (let i = 0; i < 2 * buckets; i++) {
    run = heap[index + (i % buckets)] !== 0 ? run + 1 : 0;
    longest = Math.max(longest, Math.min(run, buckets));
  }
  return { run: longest, buckets };
}

describe("int32 keys crafted against the engine's unseeded hash, on the fallback", () => {
  const keys = craftedKeys();

  it("are what they claim: distinct int32s that all share V8's unseeded hash in the low 16 bits", () => {
    expect(new Set(keys).size).toBe(KEYS);
    for (const key of keys) {
      expect(key | 0).toBe(key);
      expect(unseededHash(key) & 0xffff).toBe(0x2b5d);
    }
  });

  it(`spread over the fallback's keyed index: no run of filled buckets reaches ${RUN_BOUND}`, () => {
    const module = new TableModule("js");
    const table = new WasmTable(module);
    for (const [i, key] of keys.entries()) expect(table.insertNumber(key, i as Gen)).toBeGreaterThanOrEqual(0);
    for (const key of keys) expect(table.find(key)).toBeGreaterThanOrEqual(0);
    expect(table.check()).toBe(0);
    const { run, buckets } = longestRun(module.heap32(), table.address);
    console.log(`crafted-keys: ${KEYS} keys in ${buckets} buckets on the fallback; longest run of filled buckets ${run}`);
    expect(run).toBeLessThan(RUN_BOUND);
  });

  it("and likewise under `node --jitless`, where the realm has no WebAssembly at all", () => {
    assertBuilt();
    const script = `
      const { WasmTable } = await import(${JSON.stringify(`${ROOT}dist/src/core/wasm-table.js`)});
      const { tableModule } = await import(${JSON.stringify(`${ROOT}dist/src/wasm/instance.js`)});
      const keys = ${JSON.stringify(keys)};
      const table = new WasmTable();
      keys.forEach((key, i) => table.insertNumber(key, i));
      const found = keys.every((key) => table.find(key) >= 0);
      const heap = tableModule().heap32();
      const [body, capacity, buckets] = [${H_BODY}, ${H_CAPACITY}, ${H_BUCKETS}].map((o) => heap[(table.address + o) >>> 2]);
      const index = (body + capacity * ${SLOT_SIZE + ORDER_SIZE}) >>> 2;
      let run = 0, longest = 0;
      for (let i = 0; i < 2 * buckets; i++) { run = heap[index + (i % buckets)] !== 0 ? run + 1 : 0; longest = Math.max(longest, Math.min(run, buckets)); }
      console.log(JSON.stringify({ wasm: typeof WebAssembly, backend: table.backend, found, check: table.check(), longest, live: table.live }));
    `;
    const out = execFileSync(process.execPath, ["--jitless", "--input-type=module", "-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const result = JSON.parse(out.trim().split("\n").pop()!) as Record<string, unknown>;
    console.log(`crafted-keys: under --jitless ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ wasm: "undefined", backend: "js", found: true, check: 0, live: KEYS });
    expect(result["longest"]).toBeLessThan(RUN_BOUND);
  });
});
