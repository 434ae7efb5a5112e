// Turns the raw per-process results into rows (medians and ratios), the printed table, the target
// verdicts and the comparison with the previous results.json. No I/O here except returning strings.

import { median } from "./util.mjs";

/**
 * @typedef {{ key: string, label: string, short?: string, unit: string, ref?: string, aggregate?: "min" }} MetricInfo
 * @typedef {{ name: string, description: string, metrics: MetricInfo[] }} CaseInfo
 * @typedef {{ name: string, label: string }} ContenderInfo
 * @typedef {{
 *   case: string, size: number, metric: string, label: string, short?: string, unit: string, ref: string | null,
 *   values: Record<string, number | null>, reps: Record<string, Array<number | null>>,
 *   ratios: Record<string, number | null>,
 * }} Row
 */

/**
 * The targets of issue 11, for weaktable, and of issue 14, for weaktable+retain (`subject`: the
 * contender judged, weaktable unless named). `vs`: a contender (the ratio to it in the same run);
 * `vsSize`: the same contender's own value at another size of the same case (same run); neither:
 * an absolute value; `min`: a boolean metric that must be 1.
 * @type {Array<{ case: string, size: number, metric: string, subject?: string, vs?: string, vsSize?: number, max?: number, min?: number, unit?: string, text: string }>}
 */
export const TARGETS = [
  ...[1e3, 1e5, 1e6].map((size) => ({ case: "registry", size, metric: "frames", vs: "floor", max: 1.1, text: `IdRegistry.get, random ids, frames of 10k, ${fmtSize(size)}: <= 1.10x deref floor` })),
  ...[1e4, 1e5].map((size) => ({ case: "game", size, metric: "get", vs: "map", max: 0.8, text: `game frame get (8 per entity per frame), ${fmtSize(size)}: <= 0.80x strong Map` })),
  ...[1e5, 1e6].flatMap((size) => [
    { case: "sparse", size, metric: "intget", vs: "map-weakref-fr", max: 0.8, text: `WeakValueMap.get, random safe integer keys, ${fmtSize(size)}: <= 0.80x hand-written` },
    { case: "sparse", size, metric: "dblget", vs: "map-weakref-fr", max: 0.8, text: `WeakValueMap.get, random double keys, ${fmtSize(size)}: <= 0.80x hand-written` },
  ]),
  ...[1e5, 1e6].map((size) => ({ case: "strings", size, metric: "strget", vs: "map-weakref-fr", max: 1.0, text: `WeakValueMap.get, string keys, ${fmtSize(size)}: <= 1.00x hand-written` })),
  { case: "set", size: 1e5, metric: "insert", vs: "map-weakref-fr", max: 0.7, text: "IterableWeakSet add, 1e5: <= 0.70x hand-written (TC39 pattern)" },
  { case: "set", size: 1e5, metric: "iterate", vs: "map-weakref-fr", max: 0.7, text: "IterableWeakSet iterate, 1e5: <= 0.70x hand-written (TC39 pattern)" },
  { case: "weakmap", size: 1e5, metric: "lookup", vs: "map-weakref-fr", max: 0.7, text: "IterableWeakMap.get, 1e5: <= 0.70x hand-written (TC39 IterableWeakMap)" },
  { case: "memory", size: 1e6, metric: "bytes", max: 135, unit: "B", text: "bytes per entry, WeakValueMap, 1e6: <= 135" },
  { case: "memory-registry", size: 1e6, metric: "bytes", max: 170, unit: "B", text: "bytes per entry, IdRegistry incl. object-to-id map, 1e6: <= 170" },
  { case: "memory-strings", size: 1e6, metric: "bytes", max: 160, unit: "B", text: "bytes per entry, WeakValueMap with string keys, 1e6: <= 160" },
  ...[
    ["registry", "IdRegistry"], ["set", "IterableWeakSet"], ["weakmap", "IterableWeakMap"], ["map", "WeakValueMap"],
  ].flatMap(([metric, noun]) => [
    { case: "scale", size: 3e6, metric, vsSize: 1e5, max: 1.5, text: `insert at 3e6, ${noun}: <= 1.5x its own cost at 1e5` },
    { case: "scale", size: 3e6, metric, vs: "map-weakref-fr", max: 1.0, text: `insert at 3e6, ${noun}: <= 1.00x hand-written at 3e6` },
  ]),
  { case: "insert", size: 1e5, metric: "insert", vs: "map-weakref-fr", max: 0.8, text: "insert of existing objects, 1e5: <= 0.80x hand-written" },
  { case: "churn", size: 1e5, metric: "insert", vs: "map-weakref-fr", max: 0.6, text: "churn insert, 1e5: <= 0.60x hand-written" },
  { case: "game", size: 1e5, metric: "reaped", vs: "map-weakref-fr", max: 0.7, text: "spawn + destroy incl. reaping, game frame 1e5: <= 0.70x hand-written" },
  { case: "empty", size: 1e4, metric: "bytes", max: 300, unit: "B", text: "empty container: <= 300 B" },
  { case: "registry", size: 1e6, metric: "frames", vs: "cpython", max: 0.5, text: "IdRegistry.get 1e6 vs CPython WeakValueDictionary, same loop: <= 0.5x" },
  { case: "game", size: 1e5, metric: "sizeOk", min: 1, text: "game frame 1e5: size == live count after every collection" },
  { case: "set", size: 1e5, metric: "sizeOk", min: 1, text: "IterableWeakSet: size == live count after collection" },
  { case: "weakmap", size: 1e5, metric: "sizeOk", min: 1, text: "IterableWeakMap: size == live count after collection" },
  // Issue 14: a get with `retain` = 10% of the entries is not measurably slower than a plain one.
  ...[1e4, 1e5].map((size) => ({ case: "game", size, metric: "get", subject: "weaktable+retain", vs: "weaktable", max: 1.05, text: `game frame get with retain = 10%, ${fmtSize(size)}: <= 1.05x weaktable without` })),
  ...[1e3, 1e5, 1e6].map((size) => ({ case: "id2obj", size, metric: "frames", subject: "weaktable+retain", vs: "weaktable", max: 1.05, text: `id2obj get, frames, with retain = 10%, ${fmtSize(size)}: <= 1.05x weaktable without` })),
  { case: "game", size: 1e5, metric: "sizeOk", subject: "weaktable+retain", min: 1, text: "game frame 1e5 with retain: size == live + retained dead after every collection" },
];

export const SUBJECT = "weaktable";

/**
 * @param {Array<{ case: string, size: number, contender: string, rep: number, result?: any, error?: string }>} runs
 * @param {Map<string, CaseInfo>} caseInfos
 * @param {ContenderInfo[]} contenders
 * @returns {Row[]}
 */
export function buildRows(runs, caseInfos, contenders) {
  /** @type {Row[]} */
  const rows = [];
  const seen = new Set();
  for (const run of runs) {
    const key = `${run.case}|${run.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const info = caseInfos.get(run.case);
    if (!info) continue;
    for (const metric of info.metrics) {
      /** @type {Row} */
      const row = {
        case: run.case, size: run.size, metric: metric.key, label: metric.label, short: metric.short, unit: metric.unit,
        ref: metric.ref ?? null, values: {}, reps: {}, ratios: {},
      };
      for (const c of contenders) {
        const values = runs
          .filter((r) => r.case === run.case && r.size === run.size && r.contender === c.name && r.result)
          .map((r) => /** @type {number | null} */ (r.result.metrics[metric.key] ?? null));
        if (values.length === 0) continue;
        row.reps[c.name] = values;
        const present = /** @type {number[]} */ (values.filter((v) => v !== null));
        row.values[c.name] = present.length === 0 ? null : metric.aggregate === "min" ? Math.min(...present) : median(present);
      }
      const refValue = row.ref ? row.values[row.ref] : null;
      for (const c of contenders) {
        const v = row.values[c.name];
        row.ratios[c.name] = v == null || refValue == null || refValue === 0 ? null : v / refValue;
      }
      rows.push(row);
    }
  }
  return rows;
}

/**
 * The smoke check across processes: every contender of a case and size must give the same answers.
 * @returns {Array<{ case: string, size: number, agree: boolean, detail: string }>}
 */
export function compareAnswers(/** @type {any[]} */ runs) {
  /** @type {Map<string, any[]>} */
  const groups = new Map();
  for (const run of runs) {
    if (!run.result) continue;
    const key = `${run.case}|${run.size}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)?.push(run);
  }
  const out = [];
  for (const [key, group] of groups) {
    const [name, size] = key.split("|");
    const first = JSON.stringify(group[0].result.check);
    const odd = group.filter((r) => JSON.stringify(r.result.check) !== first);
    const sizesWrong = group.filter((r) => r.result.sizes?.exact && r.result.sizes.actual !== r.result.sizes.expected);
    const problems = [
      ...odd.map((r) => `${r.contender} (rep ${r.rep}) answered ${JSON.stringify(r.result.check)}, ${group[0].contender} ${first}`),
      ...sizesWrong.map((r) => `${r.contender} (rep ${r.rep}) ended with size ${r.result.sizes.actual}, expected ${r.result.sizes.expected}`),
    ];
    out.push({ case: name, size: Number(size), agree: problems.length === 0, detail: problems.join("; ") });
  }
  return out;
}

/** @param {number} n */
export function fmtSize(n) {
  const k = Math.floor(Math.log10(n));
  const m = n / 10 ** k;
  return k >= 3 && Number.isInteger(m) ? `${m}e${k}` : String(n);
}

/** @param {number | null | undefined} v @param {string} unit */
export function fmtValue(v, unit) {
  if (v == null) return "-";
  if (unit === "bool") return v >= 1 ? "yes" : "NO";
  const a = Math.abs(v);
  if (a >= 1e5) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** @param {number | null | undefined} r */
export function fmtRatio(r) {
  if (r == null) return "-";
  if (r >= 100) return `${r.toFixed(0)}x`;
  if (r >= 10) return `${r.toFixed(1)}x`;
  return `${r.toFixed(2)}x`;
}

/**
 * The printed table: per metric a line of medians and a line of ratios to the metric's reference.
 * @param {Row[]} rows
 * @param {ContenderInfo[]} contenders
 * @param {Map<string, number>} [previous] weaktable's values of the last results.json, by row id
 */
export function formatTable(rows, contenders, previous) {
  const W = 13;
  const NAME = 66;
  const head = "case            N     metric".padEnd(NAME);
  const hasPrev = previous !== undefined && previous.size > 0;
  const lines = [head + contenders.map((c) => c.label.padStart(W)).join("") + (hasPrev ? "  wt vs last".padStart(13) : "")];
  lines.push("-".repeat(lines[0].length));
  let lastCase = "";
  for (const row of rows) {
    if (row.case !== lastCase && lastCase !== "") lines.push("");
    lastCase = row.case;
    const name = `${row.case.padEnd(15)} ${fmtSize(row.size).padEnd(5)} ${row.label} (${row.unit})`;
    let line = name.padEnd(NAME).slice(0, NAME) + contenders.map((c) => fmtValue(row.values[c.name], row.unit).padStart(W)).join("");
    if (hasPrev) {
      const before = previous.get(rowId(row));
      const now = row.values[SUBJECT];
      line += (before != null && now != null && before !== 0 && row.unit !== "bool"
        ? `${now >= before ? "+" : ""}${(((now - before) / before) * 100).toFixed(0)}%`
        : "").padStart(13);
    }
    lines.push(line);
    if (row.ref) {
      const refLabel = contenders.find((c) => c.name === row.ref)?.label ?? row.ref;
      lines.push(`${" ".repeat(22)}x ${refLabel}`.padEnd(NAME) + contenders.map((c) => fmtRatio(row.ratios[c.name]).padStart(W)).join(""));
    }
  }
  return lines.join("\n");
}

/** @param {{ case: string, size: number, metric: string }} row */
export const rowId = (row) => `${row.case}|${row.size}|${row.metric}`;

/**
 * The target verdicts for weaktable. A target whose size was not measured (quick mode) is judged at
 * the largest smaller size measured, and says so.
 * @param {Row[]} rows
 */
export function evaluateTargets(rows) {
  return TARGETS.map((t) => {
    const candidates = rows.filter((r) => r.case === t.case && r.metric === t.metric);
    // Not measured at its size (quick mode): the largest size below it, never a larger one.
    const row = candidates.find((r) => r.size === t.size) ?? [...candidates].filter((r) => r.size < t.size).sort((a, b) => b.size - a.size)[0];
    if (!row) return { ...t, measured: null, pass: null, note: "not measured" };
    const note = row.size === t.size ? "" : `measured at N=${fmtSize(row.size)}, not ${fmtSize(t.size)}`;
    const value = row.values[t.subject ?? SUBJECT];
    if (value == null) return { ...t, measured: null, pass: null, note: note || "no result" };
    if (t.min !== undefined) return { ...t, measured: value, pass: value >= t.min, note };
    let base = null;
    if (t.vs) base = row.values[t.vs];
    else if (t.vsSize !== undefined) {
      if (row.size === t.vsSize) return { ...t, measured: null, pass: null, note: `only N=${fmtSize(row.size)} measured` };
      base = candidates.find((r) => r.size === t.vsSize)?.values[t.subject ?? SUBJECT] ?? null;
    }
    const relative = t.vs !== undefined || t.vsSize !== undefined;
    const measured = relative ? (base ? value / base : null) : value;
    if (measured == null) return { ...t, measured: null, pass: null, note: note || `no ${t.vs ?? `N=${fmtSize(t.vsSize ?? 0)}`} result` };
    return { ...t, measured, pass: measured <= /** @type {number} */ (t.max), note };
  });
}

/** One verdict's measured value as text. @param {ReturnType<typeof evaluateTargets>[number]} v */
function fmtMeasured(v) {
  if (v.measured == null) return "-";
  if (v.min !== undefined) return v.measured >= 1 ? "yes" : "no";
  if (v.vs || v.vsSize !== undefined) return fmtRatio(v.measured);
  return `${fmtValue(v.measured, "")} ${v.unit ?? ""}`.trim();
}

/** @param {ReturnType<typeof evaluateTargets>} verdicts */
export function formatTargets(verdicts) {
  const counts = { PASS: 0, MISS: 0, "n/a": 0 };
  const lines = [];
  for (const v of verdicts) {
    const verdict = v.pass == null ? "n/a" : v.pass ? "PASS" : "MISS";
    counts[verdict]++;
    // A case this run did not measure at all (a filtered run): counted, not listed.
    if (v.note === "not measured") continue;
    lines.push(`  ${verdict.padEnd(4)}  ${v.text.padEnd(76)} ${fmtMeasured(v).padStart(9)}${v.note ? `   (${v.note})` : ""}`);
  }
  const unlisted = verdicts.filter((v) => v.note === "not measured").length;
  return [
    `Targets (weaktable unless a target names weaktable+retain; a ratio is within this run): ${counts.PASS} PASS, ${counts.MISS} MISS, ${counts["n/a"]} not measured${unlisted ? ` (${unlisted} of them in cases this run left out, not listed)` : ""}`,
    ...lines,
  ].join("\n");
}

/** p-th quantile (0..1) of numbers, by nearest rank. @param {number[]} xs @param {number} p */
function quantile(xs, p) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
}

/**
 * How busy the machine was: the load average before each child (the benchmark itself adds about
 * 1), the spread between frames within a process ((p90 - p10) / median of each timing metric's
 * samples, the median over processes), and with several repetitions the spread between them
 * ((max - min) / median over the repetitions of each row and contender, the median over those).
 * Busy when the load beyond the benchmark's own exceeds a quarter of the cores, or a spread is
 * wider than 25%.
 * @param {any[]} runs
 * @param {number[]} loadSamples
 * @param {number} cores
 * @param {Row[]} rows
 */
export function machineLoad(runs, loadSamples, cores, rows) {
  const frameSpreads = [];
  for (const run of runs) {
    for (const xs of Object.values(run.result?.samples ?? {})) {
      if (!Array.isArray(xs) || xs.length < 5) continue;
      const mid = quantile(xs, 0.5);
      const lo = quantile(xs, 0.1);
      const hi = quantile(xs, 0.9);
      if (mid && lo != null && hi != null) frameSpreads.push((hi - lo) / mid);
    }
  }
  const repSpreads = [];
  for (const row of rows) {
    if (row.unit === "bool" || row.unit.startsWith("B")) continue;
    for (const values of Object.values(row.reps)) {
      const xs = /** @type {number[]} */ (values.filter((v) => v != null));
      if (xs.length < 2) continue;
      const mid = quantile(xs, 0.5);
      if (mid) repSpreads.push((Math.max(...xs) - Math.min(...xs)) / mid);
    }
  }
  const loadMax = loadSamples.length ? Math.max(...loadSamples) : null;
  const loadMedian = quantile(loadSamples, 0.5);
  const frameSpread = quantile(frameSpreads, 0.5);
  const repSpread = quantile(repSpreads, 0.5);
  const reasons = [];
  if (loadMedian != null && loadMedian - 1 > cores / 4) reasons.push(`load average ${loadMedian.toFixed(2)} (median; max ${loadMax?.toFixed(2)}) on ${cores} cores, the benchmark itself adding about 1`);
  if (frameSpread != null && frameSpread > 0.25) reasons.push(`spread between frames ${(frameSpread * 100).toFixed(0)}% (median of (p90 - p10) / median)`);
  if (repSpread != null && repSpread > 0.25) reasons.push(`spread between repetitions ${(repSpread * 100).toFixed(0)}% (median of (max - min) / median)`);
  const busy = reasons.length > 0;
  const facts = [
    loadMedian != null ? `load average ${loadMedian.toFixed(2)} median, ${loadMax?.toFixed(2)} max, ${cores} cores` : null,
    frameSpread != null ? `spread between frames ${(frameSpread * 100).toFixed(0)}%` : null,
    repSpread != null ? `between repetitions ${(repSpread * 100).toFixed(0)}%` : null,
  ].filter(Boolean).join("; ");
  const text = busy
    ? `MACHINE BUSY: ${reasons.join("; ")}. Timings are noisy: trust ratios within this run more than nanoseconds, and re-run on a quiet machine before believing a change.`
    : `Machine quiet enough: ${facts}.`;
  return { busy, loadMedian, loadMax, frameSpread, repSpread, cores, text };
}

/**
 * The README's table (bench/results.md): the same rows as the printed table, one line per metric,
 * each value with its ratio to the reference, the command and the machine above it, the targets
 * below. Written by the same run that writes results.json and chart.svg.
 * @param {Row[]} rows
 * @param {ContenderInfo[]} contenders
 * @param {ReturnType<typeof evaluateTargets>} verdicts
 * @param {any} meta
 */
export function formatMarkdown(rows, contenders, verdicts, meta) {
  const out = [];
  out.push(`<!-- Written by \`${meta.command}\` with bench/results.json and bench/chart.svg; do not edit by hand. -->`);
  out.push("");
  out.push(`\`${meta.command}\`, ${String(meta.date).slice(0, 16)}Z, commit ${meta.commit ?? "?"}, Node ${meta.node}, ${meta.cpu} x${meta.cores}, ${meta.mode} mode, median of ${meta.reps} fresh processes. ${meta.load?.busy ? "**Taken on a busy machine**: " + meta.load.text : meta.load?.text ?? ""}`);
  out.push("");
  out.push(`| case | N | metric | ${contenders.map((c) => (c.name === SUBJECT ? `**${c.label}**` : c.label)).join(" | ")} |`);
  out.push(`| --- | ---: | --- | ${contenders.map(() => "---:").join(" | ")} |`);
  for (const row of rows) {
    if (row.unit === "bool" || !Object.values(row.values).some((v) => v != null)) continue;
    const refLabel = row.ref ? contenders.find((c) => c.name === row.ref)?.label ?? row.ref : null;
    const cells = contenders.map((c) => {
      const v = row.values[c.name];
      if (v === undefined || v === null) return "–";
      const r = row.ratios[c.name];
      const text = `${fmtValue(v, row.unit)}${r != null && c.name !== row.ref ? ` (${fmtRatio(r)})` : ""}`;
      return c.name === SUBJECT ? `**${text}**` : text;
    });
    out.push(`| ${row.case} | ${fmtSize(row.size)} | ${row.label} (${row.unit}${refLabel ? `; ratios x ${refLabel}` : ""}) | ${cells.join(" | ")} |`);
  }
  out.push("");
  out.push("| target | weaktable | verdict |");
  out.push("| --- | ---: | --- |");
  for (const v of verdicts) {
    out.push(`| ${v.text} | ${fmtMeasured(v)} | ${v.pass == null ? "not measured" : v.pass ? "PASS" : "**MISS**"}${v.note ? ` (${v.note})` : ""} |`);
  }
  return out.join("\n") + "\n";
}
