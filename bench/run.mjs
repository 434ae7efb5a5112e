#!/usr/bin/env node
// The benchmark: every case x size x contender, each measurement in a fresh
// `node --expose-gc bench/worker.mjs` process (no shared heap, JIT state or kept objects), repeated
// --reps times with the contenders of one case side by side (their order rotated each repetition),
// medians over repetitions, ratios to each metric's reference. Prints a table and the targets,
// checks that every contender gave the same answers, and writes bench/results.json and
// bench/chart.svg. See bench/README.md.
//
//   node bench/run.mjs [--quick | --smoke] [--large] [--reps N] [--case a,b] [--contender a,b] [--size N] [--write | --no-write]
//
// Exit code: 1 for a wrong answer (a contender's answers differ, a size that should be exact is
// not, or a worker that threw WrongAnswer); a full run also exits 1 when a worker crashed or timed
// out (a quick or smoke run only reports that). A missed target never changes the exit code.
//
// Plain ESM JavaScript with JSDoc types: Node 20 runs it as is, so `npm run bench` needs no bundling
// step and the children start fast; weaktable is measured from the built package (dist/), exactly
// what users import.

import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { cases as allCases, loadCase } from "./cases/index.mjs";
import { contenders as allContenders, contendersFor, loadContender } from "./contenders/index.mjs";
import { renderChart } from "./lib/chart.mjs";
import {
  buildRows, compareAnswers, evaluateTargets, fmtSize, formatMarkdown, formatTable, formatTargets, machineLoad, rowId, SUBJECT,
} from "./lib/report.mjs";

const here = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url));
const WORKER = here("./worker.mjs");
const RESULTS = here("./results.json");
/** Quick runs compare with earlier quick runs only: their own file, kept locally (bench/.gitignore). */
const RESULTS_QUICK = here("./results-quick.json");
const RESULTS_MD = here("./results.md");
const CHART = here("./chart.svg");

const USAGE = `usage: node bench/run.mjs [options]
  --quick            smaller sizes, fewer frames, 1 repetition (a few minutes); compares with the
                     last quick run (bench/results-quick.json) and writes it
  --large            add the large sizes (scale at 1e7: minutes and several GiB)
  --smoke            tiny sizes: checks that everything runs and agrees; the numbers mean nothing
  --reps N           repetitions (fresh processes) per measurement (default 5, quick 1)
  --case a,b         only these cases (${allCases.map((c) => c.name).join(", ")})
  --contender a,b    only these contenders (${allContenders.map((c) => c.name).join(", ")})
  --size N           only this size (e.g. 1e5)
  --write            write bench/results.json and bench/chart.svg even for a partial run
  --no-write         do not write them even for a full run
  --timeout S        seconds before a child is killed (default 600)
  --verbose          print every child as it finishes
  --chart            only re-draw bench/chart.svg from bench/results.json (no measuring)`;

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ chart: boolean, smoke: boolean, quick: boolean, large: boolean, reps: number | null, cases: string[] | null, contenders: string[] | null, size: number | null, write: boolean | null, timeout: number, verbose: boolean }} */
  const o = { chart: false, smoke: false, quick: false, large: false, reps: null, cases: null, contenders: null, size: null, write: null, timeout: 600, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    const flag = a.split("=")[0];
    if (flag === "--quick") o.quick = true;
    else if (flag === "--smoke") o.smoke = true;
    else if (flag === "--large") o.large = true;
    else if (flag === "--chart") o.chart = true;
    else if (flag === "--reps") o.reps = Math.max(1, Number.parseInt(value(), 10));
    else if (flag === "--case") o.cases = value().split(",");
    else if (flag === "--contender") o.contenders = value().split(",");
    else if (flag === "--size") o.size = Number(value());
    else if (flag === "--write") o.write = true;
    else if (flag === "--no-write") o.write = false;
    else if (flag === "--timeout") o.timeout = Number(value());
    else if (flag === "--verbose") o.verbose = true;
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`bench: unknown option ${a}\n${USAGE}`);
  }
  return o;
}

/**
 * Runs one measurement in a fresh process.
 * @returns {Promise<{ result?: any, error?: string, ms: number }>}
 */
/** @type {import("node:child_process").ChildProcess | null} */
let currentChild = null;
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.on(signal, () => {
    currentChild?.kill("SIGKILL");
    process.exit(130);
  });
}

/** A fingerprint of the built package, to notice a rebuild during the run. */
function distFingerprint() {
  const dir = here("../dist/src");
  if (!existsSync(dir)) return null;
  const hash = createHash("sha256");
  for (const file of readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (file.endsWith(".js")) hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

/** @returns {Promise<[string, string[]]>} the command that measures one contender */
async function commandFor(/** @type {string} */ caseName, /** @type {string} */ contender, /** @type {number} */ size, /** @type {string} */ mode) {
  const entry = allContenders.find((c) => c.name === contender);
  if (entry?.external) return (await loadContender(contender)).command(caseName, size, mode);
  return [process.execPath, ["--expose-gc", WORKER, caseName, contender, String(size), mode]];
}

/** Load average samples taken before every child (os.loadavg()[0]). */
/** @type {number[]} */
const loadSamples = [];

async function runChild(/** @type {string} */ caseName, /** @type {string} */ contender, /** @type {number} */ size, /** @type {string} */ mode, /** @type {number} */ timeoutS) {
  const [cmd, args] = await commandFor(caseName, contender, size, mode);
  loadSamples.push(os.loadavg()[0]);
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    currentChild = child;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutS * 1000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      currentChild = null;
      const ms = Date.now() - t0;
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH-RESULT "));
      if (code === 0 && line) {
        try {
          resolve({ result: JSON.parse(line.slice("BENCH-RESULT ".length)), ms });
          return;
        } catch (error) {
          resolve({ error: `unreadable result: ${error}`, ms });
          return;
        }
      }
      const why = signal ? `killed by ${signal}${signal === "SIGKILL" ? ` (timeout ${timeoutS}s?)` : ""}` : code === 3 ? "WRONG ANSWER" : `exit code ${code}`;
      resolve({ error: `${why}: ${stderr.trim().split("\n").slice(0, 6).join(" | ")}`, wrong: code === 3, ms });
    });
  });
}

function gitCommit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: here("."), stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return null;
  }
}

/**
 * weaktable's values in the previous results of the same mode, by row id (for the "vs last"
 * column): a quick run compares only with earlier quick runs, a full run with results.json.
 */
function previousValues(/** @type {string} */ mode) {
  /** @type {Map<string, number>} */
  const out = new Map();
  const file = mode === "quick" ? RESULTS_QUICK : RESULTS;
  if (mode === "smoke" || !existsSync(file)) return out;
  try {
    const old = JSON.parse(readFileSync(file, "utf8"));
    if (old.meta?.mode !== mode) return out;
    for (const row of old.rows ?? []) {
      const v = row.values?.[SUBJECT];
      if (typeof v === "number") out.set(rowId(row), v);
    }
  } catch {
    // An unreadable old file just means no comparison.
  }
  return out;
}

/** The chart's title and subtitle for a run's metadata. */
function chartText(/** @type {any} */ meta) {
  return {
    title: "weaktable benchmark: ratio to each metric's reference (lower is better)",
    subtitle: `node ${meta.node}, ${meta.cpu} x${meta.cores}, ${String(meta.date).slice(0, 10)}, ${meta.mode} mode, median of ${meta.reps} processes; bars start at 1x (the reference)`,
  };
}

/** --chart: re-draws chart.svg from results.json, with the current cases' short labels. */
async function redrawChart() {
  const saved = JSON.parse(readFileSync(RESULTS, "utf8"));
  for (const row of saved.rows) {
    const metric = (await loadCase(row.case)).info.metrics.find((/** @type {any} */ m) => m.key === row.metric);
    if (metric?.short && !row.short) row.short = metric.short;
  }
  writeFileSync(CHART, renderChart(saved.rows, saved.contenders, chartText(saved.meta)));
  console.log("Wrote bench/chart.svg from bench/results.json.");
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.chart) return redrawChart();
  const mode = opts.smoke ? "smoke" : opts.quick ? "quick" : "full";
  const reps = opts.reps ?? (mode === "full" ? 5 : 1);
  const caseNames = opts.cases ?? allCases.map((c) => c.name);
  for (const name of opts.contenders ?? []) {
    if (!allContenders.some((c) => c.name === name)) throw new Error(`bench: unknown contender ${name}`);
  }
  /** @type {string[]} */
  const notes = [];
  const cpython = await loadContender("cpython");
  const skip = new Set();
  if (!cpython.available()) {
    skip.add("cpython");
    notes.push(`CPython left out: \`${cpython.PYTHON}\` does not run here (set BENCH_PYTHON to a python3).`);
  }
  const wanted = (/** @type {{ name: string }} */ c) => (!opts.contenders || opts.contenders.includes(c.name)) && !skip.has(c.name);
  if (!existsSync(here("../dist/src/index.js")) && (!opts.contenders || opts.contenders.includes(SUBJECT))) {
    throw new Error("bench: dist/src/index.js is missing: run `npm run build` first (npm run bench does)");
  }

  /** @type {Map<string, any>} */
  const caseInfos = new Map();
  /** @type {Array<{ case: string, size: number, contenders: typeof allContenders, reps: number, timeout: number }>} */
  const plan = [];
  for (const name of caseNames) {
    const info = (await loadCase(name)).info;
    caseInfos.set(name, info);
    const sizes = [...info.sizes[mode], ...(opts.large && mode === "full" ? info.sizes.large ?? [] : [])];
    const cs = contendersFor(info).filter(wanted);
    for (const size of sizes) {
      if (opts.size !== null && size !== opts.size) continue;
      // A case may allow its large sizes more than --timeout (never less).
      const timeout = Math.max(opts.timeout, info.timeouts?.[size] ?? 0);
      if (cs.length > 0) plan.push({ case: name, size, contenders: cs, reps: Math.min(reps, info.reps?.[size] ?? reps), timeout });
    }
  }
  // Table columns: every contender that runs somewhere, in table order.
  const contenders = allContenders.filter((c) => plan.some((p) => p.contenders.includes(c)));
  const partial = opts.cases !== null || opts.contenders !== null || opts.size !== null || mode !== "full";
  const write = opts.write ?? !partial;
  const total = plan.reduce((n, p) => n + p.contenders.length * p.reps, 0);
  const distBefore = distFingerprint();
  const started = Date.now();
  console.error(`bench: ${mode} mode, ${reps} rep(s), ${plan.length} case sizes, ${total} processes; load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);

  /** @type {Array<{ case: string, size: number, contender: string, rep: number, result?: any, error?: string, ms: number }>} */
  const runs = [];
  let done = 0;
  for (let rep = 1; rep <= reps; rep++) {
    for (const { case: caseName, size, contenders: cs, reps: caseReps, timeout } of plan) {
      if (rep > caseReps) continue;
      // Rotate the order each repetition so that no contender always runs first (or right after a heavy one).
      const order = cs.map((_, i) => cs[(i + rep - 1) % cs.length]);
      const parts = [];
      for (const c of order) {
        const r = await runChild(caseName, c.name, size, mode, timeout);
        runs.push({ case: caseName, size, contender: c.name, rep, ...r });
        done++;
        parts.push(`${c.label} ${(r.ms / 1000).toFixed(1)}s${r.error ? " FAILED" : ""}`);
        if (opts.verbose || r.error) {
          console.error(`  [${done}/${total}] ${caseName} N=${fmtSize(size)} ${c.name} rep ${rep}: ${r.error ?? "ok"} (${(r.ms / 1000).toFixed(1)}s)`);
        }
      }
      console.error(`rep ${rep}/${reps} ${caseName} N=${fmtSize(size)}: ${parts.join(", ")}   [${done}/${total}, ${((Date.now() - started) / 1000).toFixed(0)}s]`);
    }
  }

  const rows = buildRows(runs, caseInfos, contenders);
  const answers = compareAnswers(runs);
  const verdicts = evaluateTargets(rows);
  const errors = runs.filter((r) => r.error).map((r) => ({ case: r.case, size: r.size, contender: r.contender, rep: r.rep, error: r.error, wrong: Boolean(r.wrong) }));
  const load = machineLoad(runs, loadSamples, os.cpus().length, rows);
  const elapsed = (Date.now() - started) / 1000;
  const distAfter = distFingerprint();
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
    mode,
    reps,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    commit: gitCommit(),
    dist: distAfter,
    distChangedDuringRun: distBefore !== distAfter,
    seconds: Math.round(elapsed),
    load,
  };

  console.log(`\nweaktable benchmark: ${meta.date}, node ${meta.node}, ${meta.cpu} x${meta.cores}, ${mode} mode, median of ${reps} process(es) each`);
  console.log("Lower is better everywhere. Under each metric: the ratio to its reference (named on the line).\n");
  console.log(formatTable(rows, contenders, previousValues(mode)));
  console.log("");
  const sizeNotes = runs
    .filter((r) => r.result?.sizes && !r.result.sizes.exact && r.rep === 1)
    .map((r) => `${r.contender} ${r.case} N=${fmtSize(r.size)}: ${r.result.sizes.actual ?? "no size"} (live ${r.result.sizes.expected})`);
  if (sizeNotes.length > 0) console.log(`Sizes of contenders without cleanup, after the last collection: ${sizeNotes.join("; ")}\n`);
  console.log(formatTargets(verdicts));
  console.log("");
  console.log(load.text);
  for (const note of notes) console.log(note);
  console.log("");
  const disagreements = answers.filter((a) => !a.agree);
  const wrongRuns = errors.filter((e) => e.wrong);
  console.log(
    disagreements.length === 0
      ? `Answers: every contender that finished returned the same answers in every case and size (${answers.length} checked).`
      : `ANSWERS DIFFER:\n${disagreements.map((d) => `  ${d.case} N=${fmtSize(d.size)}: ${d.detail}`).join("\n")}`,
  );
  if (wrongRuns.length > 0) console.log(`WRONG ANSWERS: ${wrongRuns.length} run(s) stopped at a wrong answer (listed under FAILED RUNS).`);
  if (errors.length > 0) console.log(`\nFAILED RUNS (${errors.length}):\n${errors.map((e) => `  ${e.case} N=${fmtSize(e.size)} ${e.contender} rep ${e.rep}: ${e.error}`).join("\n")}`);
  const wrongAnswers = disagreements.length + wrongRuns.length;
  if (distBefore !== distAfter) {
    console.log("\nWARNING: dist/ changed during the run (something rebuilt it): weaktable's numbers may mix two builds.");
  }
  console.log(`\n${total} processes in ${elapsed.toFixed(0)} s.`);

  const contenderInfos = await Promise.all(contenders.map(async (c) => (await loadContender(c.name)).info));
  const output = () => ({
      schema: 1,
      meta,
      contenders: contenderInfos,
      cases: [...caseInfos.values()],
      rows,
      targets: verdicts,
      answers,
      errors,
      // Every process's own numbers (its medians, and extras such as heap and off-heap deltas).
      runs: runs.map((r) => ({
        case: r.case, size: r.size, contender: r.contender, rep: r.rep, ms: r.ms,
        metrics: r.result?.metrics ?? null, samples: r.result?.samples, extra: r.result?.extra, error: r.error,
      })),
    });
  if (write) {
    writeFileSync(RESULTS, JSON.stringify(output(), null, 1) + "\n");
    writeFileSync(CHART, renderChart(rows, contenders, chartText(meta)));
    writeFileSync(RESULTS_MD, formatMarkdown(rows, contenders, verdicts, meta));
    console.log("Wrote bench/results.json, bench/chart.svg and bench/results.md (the README's table), all from this run.");
  } else if (mode === "quick" && opts.write !== false) {
    // The quick history: this run's rows, plus rows of the last quick run that this one did not measure.
    /** @type {any[]} */
    let keep = [];
    try {
      const old = JSON.parse(readFileSync(RESULTS_QUICK, "utf8"));
      if (old.meta?.mode === "quick") keep = (old.rows ?? []).filter((/** @type {any} */ r) => !rows.some((n) => rowId(n) === rowId(r)));
    } catch {
      // No earlier quick run.
    }
    const out = output();
    out.rows = [...rows, ...keep];
    writeFileSync(RESULTS_QUICK, JSON.stringify(out, null, 1) + "\n");
    console.log("Wrote bench/results-quick.json (compared with by the next quick run; not committed). bench/results.json and chart.svg are written only by a full run or --write.");
  } else {
    console.log("Not written (partial or smoke run): pass --write to update bench/results.json, bench/chart.svg and bench/results.md.");
  }
  const crashed = errors.length - errors.filter((e) => e.wrong).length;
  if (wrongAnswers > 0) {
    console.log(`\nEXIT 1: ${wrongAnswers} wrong answer(s).`);
    process.exitCode = 1;
  } else if (crashed > 0 && mode === "full") {
    console.log(`\nEXIT 1: ${crashed} run(s) failed.`);
    process.exitCode = 1;
  } else if (crashed > 0) {
    console.log(`\n${crashed} run(s) failed (not wrong answers: a ${mode} run still exits 0).`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
