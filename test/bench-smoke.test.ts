// The benchmark's smoke check (issues 4 and 11): every case runs at its tiny smoke size with every
// contender that takes part in it (the ones offering its container kind), in this process, and all
// of them must return the same answers. CPython (bench/python/id2obj.py) takes part in the
// registry case when python3 runs here. Timings are not asserted: this guards the benchmark's
// correctness (a contender that returns wrong objects, loses entries or keeps a wrong size would
// make its numbers meaningless), not anyone's speed.
// Needs dist/ (the weaktable contender imports the built package): `npm test` builds first.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cases, loadCase, type CaseResult } from "../bench/cases/index.mjs";
import { contenders, contendersFor, loadContender } from "../bench/contenders/index.mjs";
import { evaluateTargets, TARGETS } from "../bench/lib/report.mjs";

/** Runs an external contender (CPython) the way bench/run.mjs does, and reads its result line. */
async function runExternal(name: string, caseName: string, size: number): Promise<CaseResult | null> {
  const contender = await loadContender(name);
  if (!contender.available?.()) return null;
  const [cmd, args] = contender.command!(caseName, size, "smoke");
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
  expect(r.status, `${name}: ${r.stderr}`).toBe(0);
  const line = r.stdout.split("\n").find((l) => l.startsWith("BENCH-RESULT "));
  expect(line, `${name} printed a BENCH-RESULT line`).toBeDefined();
  return JSON.parse(line!.slice("BENCH-RESULT ".length)) as CaseResult;
}

describe("benchmark smoke check: every contender gives the same answers", () => {
  it("lists the contenders and cases of issues 4 and 11", () => {
    expect(contenders.map((c) => c.name)).toEqual([
      "map", "map-weakref", "map-weakref-fr", "weakref", "cspell", "floor", "notice-floor", "cpython", "weaktable", "weaktable+retain",
    ]);
    expect(cases.map((c) => c.name)).toEqual([
      "id2obj", "registry", "game", "sparse", "strings", "set", "weakmap", "insert", "churn", "scale",
      "memory", "memory-strings", "memory-registry", "empty",
    ]);
  });

  it("judges every target against a case and metric that exist", async () => {
    for (const t of TARGETS) {
      const info = (await loadCase(t.case)).info;
      expect(info.metrics.map((m) => m.key), `${t.text}`).toContain(t.metric);
      if (t.vs) expect(contendersFor(info).map((c) => c.name), `${t.text}`).toContain(t.vs);
      if (t.subject) expect(contendersFor(info).map((c) => c.name), `${t.text}`).toContain(t.subject);
    }
    expect(evaluateTargets([]).every((v) => v.pass === null)).toBe(true);
  });

  for (const { name } of cases) {
    it(`${name}`, async () => {
      expect(typeof (globalThis as { gc?: unknown }).gc, "the smoke test needs --expose-gc").toBe("function");
      const benchCase = await loadCase(name);
      const taking = contendersFor(benchCase.info);
      expect(taking.map((c) => c.name), "weaktable and the hand-written reference take part").toEqual(
        expect.arrayContaining(["weaktable", "map-weakref-fr"]),
      );
      for (const size of benchCase.info.sizes.smoke) {
        const results: Array<[string, CaseResult]> = [];
        for (const entry of taking) {
          if (entry.external) {
            const result = await runExternal(entry.name, name, size);
            if (result) results.push([entry.name, result]);
            continue;
          }
          const contender = await loadContender(entry.name);
          results.push([entry.name, await benchCase.run(contender, { size, mode: "smoke" })]);
        }
        const [, reference] = results[0]!;
        for (const [contenderName, result] of results) {
          // Same answers as the first contender (the strong one).
          expect({ contender: contenderName, size, check: result.check }).toEqual({ contender: contenderName, size, check: reference.check });
          // A contender that claims an exact size reached the live count after collection.
          if (result.sizes?.exact) {
            expect(result.sizes.actual, `${contenderName}: size after collection`).toBe(result.sizes.expected);
          }
          // One that also holds its `retain` most recently used values (weaktable+retain): live <= size <= live + retain.
          const retain = result.extra?.retain;
          if (retain !== undefined && result.sizes) {
            const live = result.check.live!;
            expect(result.sizes.expected - live, `${contenderName}: retained dead values`).toBe(result.extra!.retainedDead);
            expect(result.sizes.actual! >= live && result.sizes.actual! <= live + retain, `${contenderName}: live <= size <= live + retain`).toBe(true);
          }
          if ("sizeOk" in result.metrics && result.metrics.sizeOk !== null) {
            expect(result.metrics.sizeOk, `${contenderName}: size == live after every collection`).toBe(1);
          }
          // Every metric the case declares was measured (a number, or null where it does not apply).
          for (const metric of benchCase.info.metrics) {
            const value = result.metrics[metric.key];
            expect(value === null || Number.isFinite(value), `${contenderName}: ${metric.key} = ${value}`).toBe(true);
          }
        }
      }
    });
  }
});

describe("benchmark side scripts: they run and their gets return the objects remembered", () => {
  // Each script throws (and exits non-zero) on the first get that returns the wrong object.
  const run = (script: string, args: string[]) =>
    spawnSync(process.execPath, ["--expose-gc", `bench/${script}`, ...args], { encoding: "utf8", timeout: 120_000 });

  it("id-layout.mjs: every model and IdRegistry, interleaved in one process", () => {
    const r = run("id-layout.mjs", ["2000"]);
    expect(r.status, r.stderr).toBe(0);
    const kinds = r.stdout.split("\n").slice(1).filter((l) => l.trim() !== "").map((l) => l.trim().split(/\s+/)[0]);
    expect(kinds).toEqual(["refs", "pairs", "record", "both", "column", "weaktable"]);
  });

  it("keys-interleaved.mjs: WeakValueMap and the hand-written map with each key kind, either built first", () => {
    for (const keys of ["int", "double", "string"]) {
      for (const first of ["weaktable", "hand-written"]) {
        const r = run("keys-interleaved.mjs", ["2000", keys, first]);
        expect(r.status, `${keys}, ${first} first: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^${keys} N=2000, ${first} first: .*weaktable [0-9.]+x hand-written`, "m"));
      }
    }
  });

  it("sparse-layout.mjs: WeakValueMap, the hand-written map and both models with each number key kind", () => {
    for (const keys of ["int", "double"]) {
      const r = run("sparse-layout.mjs", ["2000", keys]);
      expect(r.status, `${keys}: ${r.stderr}`).toBe(0);
      const kinds = [...r.stdout.matchAll(/(?:^[a-z]+ N=2000: |, )([a-z-]+) [0-9.]+ ns \([0-9.]+x\)/gm)].map((m) => m[1]);
      expect(kinds, r.stdout).toEqual(["hand-written", "weaktable", "slots", "direct"]);
    }
  });

  it("reap-ab.mjs: two maps of this build reach their sizes, and --split times the reaping's parts", () => {
    const r = run("reap-ab.mjs", ["2000", "6", "--split"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^N=2000, 80 replaced per round, 2 rounds: settle A [0-9.]+ ms, B [0-9.]+ ms, B\/A [0-9.]+ /m);
    expect(r.stdout).toMatch(/^ {2}B: the store's reap [0-9.]+ ms \(the table's reap [0-9.]+ of it\), the rest -?[0-9.]+ ms/m);
  });

  it("id-floor.mjs: each kind in a process of its own", () => {
    for (const kind of ["floor", "notices", "weaktable"]) {
      const r = run("id-floor.mjs", [kind, "2000"]);
      expect(r.status, `${kind}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^${kind} N=2000: [0-9.]+ ns/get`, "m"));
    }
  });
});
