#!/usr/bin/env node
// WeakValueMap.get against the hand-written Map<K, WeakRef> + FinalizationRegistry with the sparse
// and string keys of the `sparse` and `strings` cases, both maps in one process with their frames
// interleaved, so that a busy host slows them alike (in `npm run bench` each contender has
// processes of its own, and between processes the same contender's median moves by 30-40% here):
//   node --expose-gc bench/keys-interleaved.mjs [N] [int|double|string] [FIRST]   (`npm run build` first)
// N default 1e5; keys default double; FIRST (weaktable or hand-written, default weaktable) is the
// map built first, whose objects and WeakRefs are allocated first (run both: the heap layout
// moves the figures by a few percent). Each map gets N objects of its own under the same keys
// (the case's generators: bench/cases/keys.mjs), then 40 rounds of one frame of 10 000 random
// gets per map, a macrotask before each, the maps in a rotating order. Prints each map's median
// ns per get over the last 30 rounds and weaktable's median ratio to hand-written within a round.
// Every get is checked against its object.
import { WeakValueMap } from "../dist/src/index.js";
import { HandWritten } from "./contenders/map-weakref-fr.mjs";
import { KEYS } from "./cases/keys.mjs";
import { interleavedGets, median, prng } from "./lib/util.mjs";

const size = Number(process.argv[2] ?? 1e5);
const keyKind = /** @type {keyof typeof KEYS} */ (process.argv[3] ?? "double");
const first = process.argv[4] ?? "weaktable";
const FRAME = 10_000;
const ROUNDS = 40;
const WARMUP = 10;
if (!(keyKind in KEYS) || (first !== "weaktable" && first !== "hand-written")) {
  console.error("usage: node --expose-gc bench/keys-interleaved.mjs [N] [int|double|string] [weaktable|hand-written]");
  process.exit(2);
}

const rng = prng(`keys-interleaved/${keyKind}/${size}`);
const { insert, lookup } = KEYS[keyKind](size, rng);
const names = first === "weaktable" ? ["weaktable", "hand-written"] : ["hand-written", "weaktable"];
const { maps, nsPerGet: times } = await interleavedGets(
  names.map((name) => [name, () => (name === "weaktable" ? new WeakValueMap() : new HandWritten())]),
  { insert, lookup, rng, frame: FRAME, rounds: ROUNDS },
);
const wt = names.indexOf("weaktable");
const hw = names.indexOf("hand-written");
const ratio = median(times[wt].slice(WARMUP).map((t, r) => t / times[hw][WARMUP + r]));
// The objects are read after the rounds, so they stay alive through every frame.
const live = maps.reduce((n, m) => n + m.objects.length, 0);
console.log(
  `${keyKind} N=${size}, ${first} first: ` +
    maps.map((m, j) => `${m.name} ${median(times[j].slice(WARMUP)).toFixed(1)} ns`).join(", ") +
    `; weaktable ${ratio.toFixed(2)}x hand-written (median within a round; ${live} objects)`,
);
