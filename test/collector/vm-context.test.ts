// weaktable in a `node:vm` context, which has the language's globals (WeakRef,
// FinalizationRegistry, Promise, WebAssembly) and none of the host's: no queueMicrotask, no atob,
// no timers. The library must still use the WebAssembly table, release what a job read at its end,
// and apply collection notices, all through the engine's own job queue.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";

const SOURCE = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

let bundle = "";
beforeAll(async () => {
  const result = await build({
    entryPoints: [SOURCE],
    bundle: true,
    format: "iife",
    globalName: "weaktable",
    write: false,
    logLevel: "silent",
  });
  bundle = result.outputFiles[0]!.text;
});

const gc = (globalThis as unknown as { gc(): void }).gc;

function macrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Runs the bundle in a fresh context; `gc` is the host's (one heap for every context). */
function freshContext(): vm.Context {
  const context = vm.createContext({ gc });
  vm.runInContext(bundle, context);
  return context;
}

describe("in a node:vm context without queueMicrotask or atob", () => {
  it("has neither global, so the test means something", () => {
    const context = freshContext();
    expect(vm.runInContext("typeof queueMicrotask + ' ' + typeof atob", context)).toBe("undefined undefined");
  });

  it("looks values up on the WebAssembly table, and applies collection notices", async () => {
    const context = freshContext();
    vm.runInContext(
      `
      var map = new weaktable.WeakValueMap();
      var kept = [];
      (function () {
        for (var i = 0; i < 100; i++) {
          var value = { i: i };
          map.set(i, value);
          if (i % 2 === 0) kept.push(value);
        }
      })();
      var first = map.get(0) === kept[0] && map.get(1) !== undefined;
      `,
      context,
    );
    expect(vm.runInContext("first", context)).toBe(true);
    expect(vm.runInContext("map.stats().backend", context)).toBe("wasm");
    // Each round ends the job (what get() read is released), collects, and lets notices arrive.
    for (let round = 0; round < 50 && vm.runInContext("map.size", context) !== 50; round++) {
      await macrotask();
      gc();
      await macrotask();
    }
    expect(vm.runInContext("map.size", context)).toBe(50);
    expect(vm.runInContext("map.stats().pending", context)).toBe(0);
    expect(vm.runInContext("[...map.keys()].every(function (k) { return k % 2 === 0; })", context)).toBe(true);
  });
});
