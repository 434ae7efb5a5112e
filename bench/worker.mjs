// One measurement in a fresh process: `node --expose-gc bench/worker.mjs CASE CONTENDER SIZE MODE`.
// Prints one line "BENCH-RESULT {json}" on stdout; exits 1 with the error on stderr when the case
// fails: code 3 for a wrong answer (WrongAnswer), 1 for anything else. run.mjs starts one of these per (case, contender, size, rep).

import { loadCase } from "./cases/index.mjs";
import { loadContender } from "./contenders/index.mjs";
import { unpinAll } from "./lib/util.mjs";

const [caseName, contenderName, sizeText, mode = "full"] = process.argv.slice(2);
if (!caseName || !contenderName || !sizeText) {
  console.error("usage: node --expose-gc bench/worker.mjs CASE CONTENDER SIZE [full|quick|smoke]");
  process.exit(2);
}
try {
  const benchCase = await loadCase(caseName);
  const contender = await loadContender(contenderName);
  const result = await benchCase.run(contender, { size: Number(sizeText), mode });
  unpinAll();
  process.stdout.write(`\nBENCH-RESULT ${JSON.stringify(result, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v))}\n`);
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  // 3: a wrong answer (always fatal for the run); 1: anything else (a crash).
  process.exit(error instanceof Error && error.name === "WrongAnswer" ? 3 : 1);
}
