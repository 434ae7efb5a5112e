// test/model/harness.test.ts again, with every container on the JavaScript table (see rerun.ts and
// model-weak-value-map.rerun.test.ts: a file that loads the fake collector needs a process of its own).
import { expect, it } from "vitest";
import { resetTableModuleForTesting, wasmAvailable } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
await import("../model/harness.test.js");

it("ran on the JS table", async () => {
  expect(wasmAvailable()).toBe(false);
  const { WeakValueMap } = await import("../../src/index.js");
  expect(new WeakValueMap().stats().backend).toBe("js");
});
