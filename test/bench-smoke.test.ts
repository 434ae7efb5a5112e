// The benchmark's smoke check (issue 4): every contender runs a small version of every case, in
// this process, and all of them must return the same answers. Timings are not asserted: this
// guards the benchmark's correctness (a contender that returns wrong objects, loses entries or
// keeps a wrong size would make its numbers meaningless), not anyone's speed.
// Needs dist/ (the weaktable contender imports the built package): `npm test` builds first.

import { describe, expect, it } from "vitest";
import { cases, loadCase, type CaseResult } from "../bench/cases/index.mjs";
import { contenders, loadContender } from "../bench/contenders/index.mjs";

describe("benchmark smoke check: every contender gives the same answers", () => {
  it("lists the contenders and cases of issue 4", () => {
    expect(contenders.map((c) => c.name)).toEqual([
      "map", "map-weakref", "map-weakref-fr", "weakref", "cspell", "floor", "weaktable",
    ]);
    expect(cases.map((c) => c.name)).toEqual(["id2obj", "game", "churn", "memory", "empty"]);
  });

  for (const { name } of cases) {
    it(`${name}`, async () => {
      expect(typeof (globalThis as { gc?: unknown }).gc, "the smoke test needs --expose-gc").toBe("function");
      const benchCase = await loadCase(name);
      for (const size of benchCase.info.sizes.smoke) {
        const results: Array<[string, CaseResult]> = [];
        for (const { name: contenderName } of contenders) {
          const contender = await loadContender(contenderName);
          results.push([contenderName, await benchCase.run(contender, { size, mode: "smoke" })]);
        }
        const [, reference] = results[0]!;
        for (const [contenderName, result] of results) {
          // Same answers as the strong Map.
          expect({ contender: contenderName, size, check: result.check }).toEqual({ contender: contenderName, size, check: reference.check });
          // A contender that claims an exact size reached the live count after collection.
          if (result.sizes?.exact) {
            expect(result.sizes.actual, `${contenderName}: size after collection`).toBe(result.sizes.expected);
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
