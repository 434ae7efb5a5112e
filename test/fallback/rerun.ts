// Re-runs existing test files on the JavaScript table: each fallback/*.rerun.test.ts file turns
// the WebAssembly module off (resetTableModuleForTesting({ disable: true })) BEFORE anything makes
// a container, then imports the original test files inside describe blocks, so their tests are
// collected again, here, with every container on the JavaScript backend (the table module run as
// JavaScript, src/wasm/fallback.ts). New files in the re-run folders are
// picked up on their own.
//
// Files that need a process of their own (the fake-collector model tests) are not re-run here but
// by one wrapper file each (model-*.rerun.test.ts); the folder re-run checks that each has one.
//
// Import this module only after the reset, and import nothing from src/ statically before it:
// the default IdRegistry of `id()`/`id2obj()` makes its table when src/index.ts is first loaded.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { wasmAvailable } from "../../src/wasm/instance.js";

/** Test files that set the table module up themselves (memory caps, ...): they cannot run here. */
function managesTheModule(source: string): boolean {
  return source.includes("resetTableModuleForTesting");
}

/**
 * Test files that install the fake collector (through test/model/harness.ts or directly) need a
 * process of their own: loaded here, they would replace WeakRef and FinalizationRegistry under
 * every real-collector file after them. So each is re-run by its own wrapper file next to this
 * one, named by this function.
 */
function ownProcessWrapper(folder: string, file: string, source: string): string | undefined {
  if (!source.includes("loadWithFakeGc") && !source.includes("installFakeGc")) return undefined;
  return `${folder}-${file.replace(/(\.model)?\.test\.ts$/, "")}.rerun.test.ts`;
}

async function backendOfNewContainers(): Promise<string[]> {
  const { WeakValueMap, IdRegistry } = await import("../../src/index.js");
  return [new WeakValueMap().stats().backend, new IdRegistry().stats().backend];
}

/** Re-runs every `*.test.ts` of `test/<folder>/` on the JS table. */
export function rerunOnJsTable(folder: string): void {
  it("runs with WebAssembly turned off: containers report backend 'js'", async () => {
    expect(wasmAvailable()).toBe(false);
    expect(await backendOfNewContainers()).toEqual(["js", "js"]);
  });

  const dir = fileURLToPath(new URL(`../${folder}/`, import.meta.url));
  const files = readdirSync(dir).filter((name) => name.endsWith(".test.ts")).sort();
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const path = `${folder}/${file}`;
    const source = readFileSync(dir + file, "utf8");
    const wrapper = ownProcessWrapper(folder, file, source);
    if (wrapper !== undefined) {
      it(`re-runs ${path} in its own wrapper, test/fallback/${wrapper}`, () => {
        expect(existsSync(fileURLToPath(new URL(wrapper, import.meta.url))), `add test/fallback/${wrapper} (copy a model-*.rerun.test.ts)`).toBe(true);
      });
      continue;
    }
    if (managesTheModule(source)) {
      describe.skip(`${path} (sets up the table module itself, so it cannot run on the fallback)`, () => {
        it("skipped", () => {});
      });
      continue;
    }
    describe(`${path} on the JS table`, async () => {
      await import(dir + file);
    });
  }

  it("still ran on the JS table after every re-run file", async () => {
    expect(wasmAvailable()).toBe(false);
    expect(await backendOfNewContainers()).toEqual(["js", "js"]);
  });
}
