// CPython's weakref.WeakValueDictionary in the same id2obj loop (bench/python/id2obj.py), for the
// registry case only. Not a JavaScript container: run.mjs (and the smoke test) start python3 on
// that script instead of a worker; it prints the same BENCH-RESULT line. `available()` says
// whether python3 runs here: without it the contender is left out and says so.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const info = {
  name: "cpython",
  label: "CPython",
  description: "CPython weakref.WeakValueDictionary keyed by id(obj), the same id2obj loop in bench/python/id2obj.py (registry case only)",
  strong: false,
  exactSize: true,
};

export const SCRIPT = fileURLToPath(new URL("../python/id2obj.py", import.meta.url));
export const PYTHON = process.env.BENCH_PYTHON ?? "python3";

/** @type {boolean | undefined} */
let cached;
export function available() {
  if (cached === undefined) {
    const r = spawnSync(PYTHON, ["-c", "import weakref, json, sys; print(sys.version_info[0])"], { encoding: "utf8" });
    cached = r.status === 0 && r.stdout.trim() === "3";
  }
  return cached;
}

/** The command line for one measurement. */
export const command = (/** @type {string} */ caseName, /** @type {number} */ size, /** @type {string} */ mode) => [PYTHON, [SCRIPT, caseName, String(size), mode]];
