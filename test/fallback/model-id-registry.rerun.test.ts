// test/model/id-registry.model.test.ts again, with every container on the JavaScript table. The model
// harness installs its fake collector before it loads the library, once per process, so each model
// file gets its own wrapper here (a file per process) instead of a folder re-run (see rerun.ts).
import { expect, it } from "vitest";
import { resetTableModuleForTesting, wasmAvailable } from "../../src/wasm/instance.js";

resetTableModuleForTesting({ disable: true });
await import("../model/id-registry.model.test.js");

it("ran on the JS table", async () => {
  expect(wasmAvailable()).toBe(false);
  const { WeakValueMap } = await import("../../src/index.js"); // loaded by the harness by now
  expect(new WeakValueMap().stats().backend).toBe("js");
});
