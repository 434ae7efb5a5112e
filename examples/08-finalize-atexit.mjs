// Seed 001, PyMOTW "finalize atexit": f.atexit = bool(int(sys.argv[1])). With 1, on_finalize runs
// when the interpreter exits while obj is still alive; with 0, it does not.
// Run: node examples/08-finalize-atexit.mjs        (runs itself as `... 1` and `... 0`)
//      node examples/08-finalize-atexit.mjs 1      (one process, as in Python)
import { spawnSync } from "node:child_process";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { finalize } from "weaktable";

class ExpensiveObject {}

function onFinalize(...args) {
  console.log(`on_finalize(${JSON.stringify(args)})`);
}

const flag = process.argv[2];
if (flag === undefined) {
  const self = fileURLToPath(import.meta.url);
  for (const arg of ["1", "0"]) {
    const child = spawnSync(process.execPath, [self, arg], { encoding: "utf8" });
    console.log(`$ node ${basename(self)} ${arg}`);
    process.stdout.write(child.stdout + child.stderr);
    console.log(`(exit code ${child.status})`);
  }
} else {
  const obj = new ExpensiveObject(); // alive until the process exits
  const f = finalize(obj, onFinalize, "extra argument");
  f.atexit = Boolean(Number(flag));
  console.log("f.atexit =", f.atexit, "- exiting");
}
